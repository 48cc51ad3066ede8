package org.est4j.jaxrs;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.GenericFilter;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Puts RFC 7030's media types on the wire exactly as {@link EstMediaTypes} spells them, whichever
 * JAX-RS implementation runs est4j.
 *
 * <p>Why: the resources set {@code Content-Type} as a verbatim string, but a JAX-RS runtime may
 * re-serialise it from a parsed {@code MediaType}: RESTEasy (WildFly) writes
 * {@code application/pkcs7-mime;smime-type=certs-only}, without the space that the reference C
 * client (libest) compares byte for byte. Below the JAX-RS runtime, this filter restores the
 * canonical spelling of the EST types it recognises and leaves every other value alone.
 */
public class WireContentTypeFilter extends GenericFilter {
    private static final long serialVersionUID = 1L;

    private static final List<String> CANONICAL = List.of(EstMediaTypes.PKCS7_CERTS_ONLY, EstMediaTypes.PKCS7_MIME,
            EstMediaTypes.CMC_RESPONSE, EstMediaTypes.CSRATTRS);

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        chain.doFilter(request, response instanceof HttpServletResponse http ? new Canonical(http) : response);
    }

    /** The canonical spelling of {@code value} if it is an EST media type in another spelling, else {@code value}. */
    static String canonical(String value) {
        if (value == null) {
            return null;
        }
        String squeezed = value.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
        for (String c : CANONICAL) {
            if (squeezed.equals(c.replace(" ", "").toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        Matcher multipart = MULTIPART_MIXED.matcher(value);
        if (multipart.matches()) {
            // serverkeygen: keep the boundary as written (case matters), restore the space
            return "multipart/mixed; boundary=" + multipart.group(1);
        }
        return value;
    }

    /** {@code multipart/mixed;boundary=...} in any case, white space around the separators; the boundary kept. */
    private static final Pattern MULTIPART_MIXED = Pattern.compile("\\s*multipart/mixed\\s*;\\s*boundary\\s*=\\s*(\\S(?:.*\\S)?)\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private static final class Canonical extends HttpServletResponseWrapper {
        Canonical(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setContentType(String type) {
            super.setContentType(canonical(type));
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, "Content-Type".equalsIgnoreCase(name) ? canonical(value) : value);
        }

        @Override
        public void addHeader(String name, String value) {
            super.addHeader(name, "Content-Type".equalsIgnoreCase(name) ? canonical(value) : value);
        }
    }
}

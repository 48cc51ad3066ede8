package org.est4j.jaxrs;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.GenericFilter;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * The first filter in front of {@code /.well-known/est}: whatever refuses a request below it, the client
 * gets est4j's one-line {@code text/plain} reply, never the container's HTML error page.
 *
 * <ul>
 *   <li>A {@code Content-Type} that is not one well-formed media type, or more than one {@code Content-Type}
 *       field, is refused here with 400 (the JAX-RS runtime's parser would fail on it with the container's
 *       page). A malformed {@code Accept} is dropped, as if absent: only {@code /pal} (XML or JSON) and
 *       {@code /serverkeygen} (RFC 8295 formats) look at it, both fall back to their default without it, and
 *       clients send odd values.</li>
 *   <li>A {@code sendError} from below (the JAX-RS runtime, the container) becomes est4j's line for that
 *       status, as does an error status left without a body.</li>
 *   <li>An exception that escapes becomes a 500 with a request id, logged under that id.</li>
 * </ul>
 * Failures before the request reaches the application (a malformed request line, oversized headers) are the
 * connector's: Tomcat's {@code ErrorReportValve} is configured without report or server information in the
 * shipped {@code server.xml} (see the README).
 */
public class ErrorReplyFilter extends GenericFilter {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(ErrorReplyFilter.class.getName());

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        if (!isUriReference(request.getRequestURI(), false) || request.getQueryString() != null && !isUriReference(request.getQueryString(), true)) {
            // Tomcat refuses these itself; Undertow passes them on, and RESTEasy then fails building the URI (a 500)
            refuse(response, 400, "the request target is not a valid URI (RFC 3986 section 3.3)");
            return;
        }
        List<String> contentTypes = Collections.list(request.getHeaders("Content-Type"));
        if (contentTypes.size() > 1) {
            refuse(response, 400, "the request has " + contentTypes.size() + " Content-Type header fields; one is allowed");
            return;
        }
        if (contentTypes.size() == 1 && !MediaTypeSyntax.isMediaType(contentTypes.get(0))) {
            refuse(response, 400, "the Content-Type header is not a media type (RFC 9110 section 8.3): '"
                    + ClientText.quote(contentTypes.get(0), ClientText.REPLY_LIMIT) + "'");
            return;
        }
        HttpServletRequest downstream = request;
        for (Enumeration<String> accept = request.getHeaders("Accept"); accept.hasMoreElements(); ) {
            if (!MediaTypeSyntax.isAccept(accept.nextElement())) {
                LOG.log(Level.DEBUG, "ignoring a malformed Accept header from {0}", request.getRemoteAddr());
                downstream = new WithoutAccept(request);
                break;
            }
        }
        Watched watched = new Watched(response);
        try {
            chain.doFilter(downstream, watched);
        } catch (IOException | ServletException | RuntimeException e) {
            if (response.isCommitted()) {
                throw e;
            }
            response.reset();
            ErrorReplies.unexpected(e).writeTo(response);
            return;
        }
        if (watched.getStatus() >= 400 && !watched.bodyStarted && !watched.lengthDeclared && !response.isCommitted()) {
            answerBare(response); // an error status set without a body (a JAX-RS runtime answering on its own)
        }
    }

    /**
     * Gives an error status that came without est4j's reply its line; the 401 of HTTP authentication's first
     * leg stays empty on purpose (see {@link EstProtocolException#challenge}).
     */
    private static void answerBare(HttpServletResponse response) throws IOException {
        int status = response.getStatus();
        if (status == 401 && response.getHeader("WWW-Authenticate") != null) {
            response.setContentType(EstMediaTypes.TEXT_PLAIN_UTF8);
            response.setContentLength(0);
            return;
        }
        String allow = response.getHeader("Allow");
        ErrorReplies.forStatus(status, allow == null ? Map.of() : Map.of("Allow", allow)).writeTo(response);
    }

    /**
     * Whether {@code raw} (still percent-encoded, as on the request line) holds only what RFC 3986 allows in a path
     * ({@code pchar} and "/") or, with {@code query}, in a query (also "?").
     */
    static boolean isUriReference(String raw, boolean query) {
        if (raw == null) {
            return false;
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                // ASCII hex digits only: Character.digit also takes other scripts' digits (U+06F4 is 4)
                if (i + 2 >= raw.length() || !isHexDigit(raw.charAt(i + 1)) || !isHexDigit(raw.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0
                    || query && c == '?')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHexDigit(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static void refuse(HttpServletResponse response, int status, String reason) throws IOException {
        LOG.log(Level.DEBUG, "refused before JAX-RS with {0}: {1}", status, reason);
        EstReply.text(status, reason, Map.of()).writeTo(response);
    }

    /** The request without its {@code Accept} fields. */
    private static final class WithoutAccept extends HttpServletRequestWrapper {
        WithoutAccept(HttpServletRequest request) {
            super(request);
        }

        private static boolean isAccept(String name) {
            return "accept".equals(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String getHeader(String name) {
            return isAccept(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return isAccept(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = Collections.list(super.getHeaderNames());
            names.removeIf(WithoutAccept::isAccept);
            return Collections.enumeration(names);
        }
    }

    /** The response, watched for {@code sendError} and for whether a body or its length was given. */
    private static final class Watched extends HttpServletResponseWrapper {
        private boolean bodyStarted;
        private boolean lengthDeclared;

        Watched(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void sendError(int sc) throws IOException {
            sendError(sc, null);
        }

        @Override
        public void sendError(int sc, String containerMessage) throws IOException {
            // the container's message is never sent: it may quote the request
            if (isCommitted()) {
                throw new IllegalStateException("the response is committed");
            }
            resetBuffer();
            setStatus(sc);
            answerBare((HttpServletResponse) getResponse());
            bodyStarted = true;
            flushBuffer();
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            bodyStarted = true;
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            bodyStarted = true;
            return super.getWriter();
        }

        @Override
        public void setContentLength(int len) {
            lengthDeclared = true;
            super.setContentLength(len);
        }

        @Override
        public void setContentLengthLong(long len) {
            lengthDeclared = true;
            super.setContentLengthLong(len);
        }

        private void noteLength(String headerName) {
            lengthDeclared |= "content-length".equalsIgnoreCase(headerName);
        }

        @Override
        public void setHeader(String name, String value) {
            noteLength(name);
            super.setHeader(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            noteLength(name);
            super.addHeader(name, value);
        }

        @Override
        public void setIntHeader(String name, int value) {
            noteLength(name);
            super.setIntHeader(name, value);
        }

        @Override
        public void addIntHeader(String name, int value) {
            noteLength(name);
            super.addIntHeader(name, value);
        }
    }
}

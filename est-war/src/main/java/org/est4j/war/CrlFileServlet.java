package org.est4j.war;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.est4j.war.localca.LocalCa;

/**
 * The CRL distribution point the local CAs write into every certificate they issue (RFC 5280 section 4.2.1.13):
 * {@code GET /crl/<ca name>.crl} answers with the CA's current CRL in DER, {@code application/pkix-crl} (RFC 2585
 * section 4.2). Plain HTTP and no authentication, on purpose: a CRL is signed by its CA, and a relying party checking
 * a certificate cannot be asked to trust a TLS certificate whose revocation it is about to check.
 *
 * <p>The path is fixed by {@code web.xml}; only names a CA can have ({@code [A-Za-z0-9_-]{1,32}}, as in
 * {@code ca.<name>.*}) are looked up, so nothing from the path reaches the file system. After a key rollover each key
 * signs a CRL of its own: {@code /crl/<name>.crl} is the first key's, {@code /crl/<name>.g<n>.crl} that of key
 * generation {@code n}, served while that key is in use (docs/rollover.md).
 */
public class CrlFileServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(CrlFileServlet.class.getName());
    /** A CA name, and for a key generation after the first {@code .g<n>} (docs/rollover.md): no dot in a CA name. */
    private static final Pattern PATH = Pattern.compile("/([A-Za-z0-9_-]{1,32})(?:\\.g([2-9]|[1-9][0-9]{1,5}))?\\.crl");
    static final String MEDIA_TYPE = "application/pkix-crl";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        Matcher m = PATH.matcher(path == null ? "" : path);
        Optional<LocalCa> ca = m.matches() ? localCa(m.group(1)) : Optional.empty();
        if (ca.isEmpty()) {
            // the request path is not echoed: it is the client's text
            text(response, HttpServletResponse.SC_NOT_FOUND, "404 no CRL here: CRLs are at /crl/<CA name>.crl");
            return;
        }
        byte[] der;
        try {
            Optional<X509CRL> crl = ca.get().crl(m.group(2) == null ? 1 : Integer.parseInt(m.group(2)));
            if (crl.isEmpty()) {
                text(response, HttpServletResponse.SC_NOT_FOUND, "404 no CRL here: that key of the CA is no longer in use");
                return;
            }
            der = crl.get().getEncoded();
        } catch (IOException | CRLException e) {
            LOG.log(Level.ERROR, "local CA " + ca.get().name() + ": no CRL to serve", e);
            response.setHeader("Retry-After", "60");
            text(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "503 the CA cannot issue its CRL right now");
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MEDIA_TYPE);
        response.setContentLength(der.length);
        response.getOutputStream().write(der);
    }

    private static Optional<LocalCa> localCa(String name) {
        Est4jRuntime runtime;
        try {
            runtime = CDI.current().select(Est4jRuntime.class).get();
        } catch (RuntimeException e) {
            return Optional.empty(); // no CDI container (yet): nothing deployed to serve
        }
        return runtime.localCas().stream().filter(ca -> ca.name().equals(name)).findFirst();
    }

    private static void text(HttpServletResponse response, int status, String line) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(line + "\n");
    }
}

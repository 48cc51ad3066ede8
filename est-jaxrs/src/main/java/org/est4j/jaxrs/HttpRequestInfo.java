package org.est4j.jaxrs;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The parts of an HTTP request the EST protocol reads, taken from the servlet request once so that
 * the protocol classes run (and are unit-tested) without a container.
 *
 * @param contentType   the {@code Content-Type} header, or null
 * @param contentLength the declared body length, or -1 when unknown (chunked)
 * @param authorization the {@code Authorization} header, or null
 * @param tlsChain      the client certificate chain from {@code jakarta.servlet.request.X509Certificate},
 *                      leaf first; empty when the client sent none. Unvalidated.
 * @param remoteAddress the immediate peer's address
 */
public record HttpRequestInfo(String contentType, long contentLength, String authorization,
                              List<X509Certificate> tlsChain, String remoteAddress) {

    /** The standard servlet attribute holding the TLS client certificate chain. */
    public static final String X509_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    public HttpRequestInfo {
        tlsChain = List.copyOf(tlsChain);
        Objects.requireNonNull(remoteAddress, "remoteAddress");
    }

    public static HttpRequestInfo from(HttpServletRequest request) {
        Object chain = request.getAttribute(X509_ATTRIBUTE);
        List<X509Certificate> certificates = chain instanceof X509Certificate[] array ? List.of(array) : List.of();
        return new HttpRequestInfo(request.getContentType(), request.getContentLengthLong(),
                request.getHeader("Authorization"), certificates, request.getRemoteAddr());
    }
}

package org.est4j.war.cmp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.est4j.spi.CaUnavailableException;
import org.est4j.spi.CaUpstreamException;
import org.est4j.war.Pem;

/**
 * CMP over HTTP (RFC 9811, formerly RFC 6712): one POST of {@code application/pkixcmp} per message, with a connection
 * timeout and an overall timeout, over TLS that trusts only the configured anchors when there are any. An upstream that
 * cannot be reached, times out or says it is unavailable makes est4j answer 503 with {@code Retry-After}.
 */
final class CmpTransport {

    static final String MEDIA_TYPE = "application/pkixcmp";
    /** A CMP response is a few certificates at most; more is a misbehaving upstream. */
    private static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    private final URI url;
    private final SSLContext tls;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final Duration retryAfter;

    CmpTransport(URI url, Optional<List<X509Certificate>> trustAnchors, Duration connectTimeout, Duration timeout,
                 Duration retryAfter) throws GeneralSecurityException, IOException {
        this.url = url;
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
        this.retryAfter = retryAfter;
        this.tls = trustAnchors.isPresent() ? sslContext(trustAnchors.get()) : null;
    }

    /** The transport {@code url} and the PEM anchors file (relative to {@code home}) describe. */
    static CmpTransport of(URI url, Optional<String> anchorsFile, Path home, Duration connectTimeout, Duration timeout,
                           Duration retryAfter) throws GeneralSecurityException, IOException {
        Optional<List<X509Certificate>> anchors = anchorsFile.isPresent()
                ? Optional.of(Pem.readCertificates(home.resolve(anchorsFile.get()))) : Optional.empty();
        return new CmpTransport(url, anchors, connectTimeout, timeout, retryAfter);
    }

    private static SSLContext sslContext(List<X509Certificate> anchors) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < anchors.size(); i++) {
            store.setCertificateEntry("anchor-" + i, anchors.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /**
     * Sends one DER PKIMessage and returns the DER of the answer. One connection per message, closed after it
     * ({@code Connection: close}), as OpenSSL's own CMP client does: a transaction then never depends on a connection
     * that est4j holds, which a polled transaction outlives.
     */
    byte[] exchange(byte[] request) throws CaUnavailableException, CaUpstreamException {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) url.toURL().openConnection(java.net.Proxy.NO_PROXY);
            if (tls != null && connection instanceof HttpsURLConnection https) {
                https.setSSLSocketFactory(tls.getSocketFactory());
            }
            connection.setConnectTimeout((int) connectTimeout.toMillis());
            connection.setReadTimeout((int) timeout.toMillis());
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setDoOutput(true);
            connection.setRequestMethod("POST");
            connection.setRequestProperty("Content-Type", MEDIA_TYPE);
            // HttpURLConnection, not java.net.http: this header is allowed here (with "close") and refused there. Without
            // it a server may hold the connection for the rest of the transaction and cancel the transaction when the
            // connection goes away (openssl cmp's server does so a second after), e.g. across a restart of est4j.
            connection.setRequestProperty("Connection", "close");
            connection.setFixedLengthStreamingMode(request.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(request);
            }
            int status = connection.getResponseCode();
            if (status == 503 || status == 502 || status == 504) {
                throw new CaUnavailableException("the upstream CA is unavailable right now (HTTP " + status + ")", retryAfter, null);
            }
            String type = connection.getContentType() == null ? "" : connection.getContentType();
            // an error answer may still carry a CMP error message (RFC 9811 section 3.4): that says more than the status
            InputStream body = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            byte[] der = body == null ? new byte[0] : readLimited(body);
            if (!type.toLowerCase(java.util.Locale.ROOT).startsWith(MEDIA_TYPE) || der.length == 0) {
                throw new CaUpstreamException("the upstream CA answered HTTP " + status + " without a CMP message");
            }
            return der;
        } catch (IOException e) {
            throw new CaUnavailableException("the upstream CA cannot be reached right now", retryAfter, e);
        } finally {
            if (connection != null) {
                connection.disconnect(); // closes the socket: no kept-alive connection for the next message
            }
        }
    }

    private static byte[] readLimited(InputStream in) throws IOException, CaUpstreamException {
        try (in) {
            byte[] der = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (der.length > MAX_RESPONSE_BYTES) {
                throw new CaUpstreamException("the upstream CA's response is larger than " + MAX_RESPONSE_BYTES + " bytes");
            }
            return der;
        }
    }

    URI url() {
        return url;
    }
}

package org.est4j.war.cmp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
    private final HttpClient client;
    private final Duration timeout;
    private final Duration retryAfter;

    CmpTransport(URI url, Optional<List<X509Certificate>> trustAnchors, Duration connectTimeout, Duration timeout,
                 Duration retryAfter) throws GeneralSecurityException, IOException {
        this.url = url;
        this.timeout = timeout;
        this.retryAfter = retryAfter;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1);
        if (trustAnchors.isPresent()) {
            builder.sslContext(sslContext(trustAnchors.get()));
        }
        this.client = builder.build();
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

    /** Sends one DER PKIMessage and returns the DER of the answer. */
    byte[] exchange(byte[] request) throws CaUnavailableException, CaUpstreamException {
        HttpRequest post = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(post, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new CaUnavailableException("the upstream CA cannot be reached right now", retryAfter, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaUnavailableException("interrupted while waiting for the upstream CA", retryAfter, e);
        }
        int status = response.statusCode();
        if (status == 503 || status == 502 || status == 504) {
            throw new CaUnavailableException("the upstream CA is unavailable right now (HTTP " + status + ")", retryAfter, null);
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        boolean cmp = type.toLowerCase(java.util.Locale.ROOT).startsWith(MEDIA_TYPE);
        // an error answer may still carry a CMP error message (RFC 9811 section 3.4): that says more than the status
        if (!cmp || response.body().length == 0) {
            throw new CaUpstreamException("the upstream CA answered HTTP " + status + " without a CMP message");
        }
        if (response.body().length > MAX_RESPONSE_BYTES) {
            throw new CaUpstreamException("the upstream CA's response is larger than " + MAX_RESPONSE_BYTES + " bytes");
        }
        return response.body();
    }

    URI url() {
        return url;
    }
}

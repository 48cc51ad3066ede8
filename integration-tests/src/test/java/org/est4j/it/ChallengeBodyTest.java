package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.EnrollmentResponse;
import org.bouncycastle.est.HttpAuth;
import org.bouncycastle.est.jcajce.JcaJceUtils;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Why est4j's 401 challenge (HTTP authentication's first leg, no credentials sent) has an empty body while every
 * other error reply carries est4j's one-line reason: BouncyCastle's EST client (1.87), the reference client of these
 * tests, cannot answer a challenge that has a body. Shown here against a minimal HTTPS server that answers the first
 * request with the challenge, with or without est4j's line as its body, and the second with a certificate.
 */
class ChallengeBodyTest {

    static {
        Pki.registerBouncyCastle();
    }

    private static final String CHALLENGE_LINE = "401 authentication required\n";

    private HttpsServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private X509Certificate serverCertificate;

    @BeforeEach
    void start() throws Exception {
        KeyPair keys = Pki.p256();
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=localhost"), BigInteger.valueOf(1),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofHours(1))), new X500Name("CN=localhost"),
                keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        serverCertificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", keys.getPrivate(), new char[0], new X509Certificate[] {serverCertificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(store, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, new SecureRandom());
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** With est4j's line in the challenge, the client fails and never sends its credentials. */
    @Test
    void aChallengeWithAReasonBreaksBouncyCastlesClient() throws Exception {
        serve(CHALLENGE_LINE);
        Exception e = assertThrows(Exception.class, () -> client().simpleEnroll(false, csr(), auth()));
        assertTrue(String.valueOf(e.getMessage()).contains("Stream closed before limit fully read"), String.valueOf(e));
        assertEquals(1, authorizations.size(), "the client never answered the challenge");
        assertNull(authorizations.get(0));
    }

    /** With an empty challenge body, the client answers with its credentials and gets its certificate. */
    @Test
    void anEmptyChallengeIsAnswered() throws Exception {
        serve("");
        EnrollmentResponse response = client().simpleEnroll(false, csr(), auth());
        assertTrue(response.isCompleted());
        assertEquals(2, authorizations.size());
        assertNull(authorizations.get(0));
        assertEquals("Basic " + Base64.getEncoder().encodeToString("est:secret-pass".getBytes(StandardCharsets.UTF_8)),
                authorizations.get(1));
    }

    private void serve(String challengeBody) {
        server.createContext("/.well-known/est/simpleenroll", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(authorization);
            exchange.getRequestBody().readAllBytes();
            if (authorization == null) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"est4j\"");
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                send(exchange, 401, challengeBody.getBytes(StandardCharsets.US_ASCII));
            } else {
                exchange.getResponseHeaders().set("Content-Type", "application/pkcs7-mime; smime-type=certs-only");
                exchange.getResponseHeaders().set("Content-Transfer-Encoding", "base64");
                send(exchange, 200, Base64.getMimeEncoder().encode(certsOnly()));
            }
        });
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    private byte[] certsOnly() throws IOException {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCertificates(new JcaCertStore(List.of(serverCertificate)));
            return generator.generate(new CMSAbsentContent()).getEncoded();
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private ESTService client() {
        X509TrustManager[] trust = JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(serverCertificate, null)), null);
        return new JsseESTServiceBuilder("localhost:" + server.getAddress().getPort(), trust).build();
    }

    private static HttpAuth auth() throws Exception {
        return new HttpAuth("est4j", "est", "secret-pass".toCharArray(), new SecureRandom(), new JcaDigestCalculatorProviderBuilder().build());
    }

    private static org.bouncycastle.pkcs.PKCS10CertificationRequest csr() throws Exception {
        return Pki.csr(Pki.p256(), "CN=challenge-test");
    }
}

package org.est4j.war.cmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.sun.net.httpserver.HttpServer;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.cmp.CMPCertificate;
import org.bouncycastle.asn1.cmp.CMPObjectIdentifiers;
import org.bouncycastle.asn1.cmp.CertReqTemplateContent;
import org.bouncycastle.asn1.cmp.GenMsgContent;
import org.bouncycastle.asn1.cmp.GenRepContent;
import org.bouncycastle.asn1.cmp.InfoTypeAndValue;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIMessage;
import org.bouncycastle.asn1.crmf.CertTemplateBuilder;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.cmp.ProtectedPKIMessageBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.CaCertificatesRequest;
import org.est4j.spi.CsrAttributes;
import org.est4j.spi.CsrAttributesRequest;
import org.est4j.war.config.CmpSettings;
import org.est4j.war.config.Est4jConfig;

/**
 * {@code genm} answers that OpenSSL 3.0's mock server cannot give (it echoes the request): CA certificates
 * ({@code id-it-caCerts}) and a certificate request template ({@code id-it-certReqTemplate}), from a small upstream of
 * this test that protects its genp with the shared secret and answers est4j's transaction and nonce; and that upstream
 * over https, trusted through {@code cmp.tls-trust-anchors} or not.
 */
class CmpUpstreamGeneralMessagesTest {

    private static final char[] SECRET = "genm-secret".toCharArray();

    @TempDir
    Path home;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    /** Serves one answer: the genp {@code answer} builds from the requested infoType's ITAV. */
    private String upstream(Function<InfoTypeAndValue, InfoTypeAndValue> answer) throws Exception {
        return upstream(answer, null);
    }

    /** The same over TLS with {@code tls}'s key when given. */
    private String upstream(Function<InfoTypeAndValue, InfoTypeAndValue> answer, javax.net.ssl.SSLContext tls) throws Exception {
        CmpProtection protection = CmpProtection.mac(CmpSettings.MacAlgorithm.PBMAC1, SECRET, null, Optional.empty());
        if (tls != null) {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            server = https;
        } else {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        }
        server.createContext("/cmp", exchange -> {
            requests.incrementAndGet();
            try {
                PKIMessage request = PKIMessage.getInstance(exchange.getRequestBody().readAllBytes());
                InfoTypeAndValue asked = GenMsgContent.getInstance(request.getBody().getContent()).toInfoTypeAndValueArray()[0];
                byte[] der = protection.protect(new ProtectedPKIMessageBuilder(new GeneralName(new X500Name("CN=Upstream")),
                                request.getHeader().getSender())
                        .setTransactionID(request.getHeader().getTransactionID().getOctets())
                        .setRecipNonce(request.getHeader().getSenderNonce().getOctets())
                        .setSenderNonce("upstream-nonce-0".getBytes(StandardCharsets.US_ASCII)).setMessageTime(new Date())
                        .setBody(new PKIBody(PKIBody.TYPE_GEN_REP, new GenRepContent(answer.apply(asked)))))
                        .toASN1Structure().getEncoded();
                exchange.getResponseHeaders().add("Content-Type", "application/pkixcmp");
                exchange.sendResponseHeaders(200, der.length);
                exchange.getResponseBody().write(der);
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
            }
            exchange.close();
        });
        server.start();
        return (tls != null ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort() + "/cmp";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private CmpUpstream est4j(String url) throws Exception {
        return est4j(url, Map.of());
    }

    private CmpUpstream est4j(String url, Map<String, String> extra) throws Exception {
        Files.writeString(home.resolve("secret"), new String(SECRET));
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("ca.up.type", "cmp");
        keys.put("ca.up.cmp.url", url);
        keys.put("ca.up.cmp.protection", "mac");
        keys.put("ca.up.cmp.mac.secret-file", "secret");
        keys.put("ca.up.cmp.retry-after-seconds", "11");
        keys.putAll(extra);
        return CmpUpstream.open(Est4jConfig.parse(keys, "test").cmpCas().get("up"), home);
    }

    @Test
    void caCertificatesComeFromGenmAndAreCached() throws Exception {
        KeyPair key = CmpFixtures.ec();
        X509Certificate root = CmpFixtures.certificate("CN=Root", key, "CN=Root", key.getPrivate(), true);
        String url = upstream(asked -> {
            assertEquals(CMPObjectIdentifiers.id_it_caCerts, asked.getInfoType());
            return new InfoTypeAndValue(CMPObjectIdentifiers.id_it_caCerts, new DERSequence(
                    new CMPCertificate(Certificate.getInstance(encoded(root)))));
        });
        CmpUpstream upstream = est4j(url);
        CaCertificatesRequest request = new CaCertificatesRequest(Optional.of("up"), AuthenticatedClient.anonymous("127.0.0.1"));
        assertEquals(List.of(root), upstream.caCertificates(request).certificates());
        assertEquals(List.of(root), upstream.caCertificates(request).certificates());
        assertEquals(1, requests.get(), "the second answer comes from the cache");
    }

    @Test
    void aCertificateRequestTemplateBecomesCsrattrs() throws Exception {
        String url = upstream(asked -> new InfoTypeAndValue(CMPObjectIdentifiers.id_it_certReqTemplate,
                new CertReqTemplateContent(new CertTemplateBuilder().setSubject(new X500Name("O=Example,CN=")).build(), null)));
        Optional<CsrAttributes> attributes = est4j(url).csrAttributes(
                new CsrAttributesRequest(Optional.of("up"), AuthenticatedClient.anonymous("127.0.0.1")));
        CsrAttributes.Template template = assertInstanceOf(CsrAttributes.Template.class, attributes.orElseThrow().items().get(0));
        assertEquals("2.5.4.10", template.subject().get(0).type());
        assertTrue(template.subject().get(1).value().isEmpty());
    }

    @Test
    void anHttpsUpstreamMustChainToTheConfiguredAnchors() throws Exception {
        KeyPair caKey = CmpFixtures.ec();
        X509Certificate tlsCa = CmpFixtures.certificate("CN=TLS CA", caKey, "CN=TLS CA", caKey.getPrivate(), true);
        KeyPair serverKey = CmpFixtures.ec();
        X509Certificate serverCert = tlsServer(serverKey, tlsCa, caKey);
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("tls", serverKey.getPrivate(), new char[0], new java.security.cert.Certificate[] {serverCert, tlsCa});
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        kmf.init(store, new char[0]);
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        KeyPair key = CmpFixtures.ec();
        X509Certificate root = CmpFixtures.certificate("CN=Root", key, "CN=Root", key.getPrivate(), true);
        String url = upstream(asked -> new InfoTypeAndValue(CMPObjectIdentifiers.id_it_caCerts, new DERSequence(
                new CMPCertificate(Certificate.getInstance(encoded(root))))), tls);
        CaCertificatesRequest request = new CaCertificatesRequest(Optional.of("up"), AuthenticatedClient.anonymous("127.0.0.1"));

        Files.write(home.resolve("tls-anchors.pem"), org.est4j.war.Pem.certificates(List.of(tlsCa)));
        assertEquals(List.of(root), est4j(url, Map.of("ca.up.cmp.tls-trust-anchors", "tls-anchors.pem"))
                .caCertificates(request).certificates());

        KeyPair otherKey = CmpFixtures.ec();
        Files.write(home.resolve("other-anchors.pem"), org.est4j.war.Pem.certificates(List.of(
                CmpFixtures.certificate("CN=Other CA", otherKey, "CN=Other CA", otherKey.getPrivate(), true))));
        org.est4j.spi.CaUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.est4j.spi.CaUnavailableException.class, () -> est4j(url, Map.of("ca.up.cmp.tls-trust-anchors", "other-anchors.pem"))
                        .caCertificates(request));
        assertEquals(Optional.of(java.time.Duration.ofSeconds(11)), e.retryAfter());
        assertInstanceOf(javax.net.ssl.SSLHandshakeException.class, e.getCause(), "refused in the handshake");
    }

    /** A TLS server certificate for 127.0.0.1 (an IP address subjectAltName, as HTTPS host name checking wants). */
    private static X509Certificate tlsServer(KeyPair key, X509Certificate ca, KeyPair caKey) throws Exception {
        java.time.Instant now = java.time.Instant.now();
        org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                ca, java.math.BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(3600)),
                Date.from(now.plusSeconds(86400)), new javax.security.auth.x500.X500Principal("CN=127.0.0.1"), key.getPublic());
        builder.addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                new org.bouncycastle.asn1.x509.GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(builder.build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
    }

    private static ASN1Encodable encoded(X509Certificate c) {
        try {
            return org.bouncycastle.asn1.ASN1Primitive.fromByteArray(c.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

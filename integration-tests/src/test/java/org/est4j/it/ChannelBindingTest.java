package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Set;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;

import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.est.EnrollmentResponse;
import org.bouncycastle.est.jcajce.JcaJceUtils;
import org.bouncycastle.jsse.BCSSLSocket;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proof-of-possession linking (RFC 7030 section 3.5) with TLS ending in Tomcat and the est-tomcat-tls add-on
 * (est-tomcat-tls/src/main/tomcat/server-channel-binding.xml), on JDK 25: tls-unique on a TLS 1.2 BCJSSE
 * connector, checked with BouncyCastle's simpleEnrollPoP; tls-exporter on a TLS 1.3 connector, checked with a
 * JDK 25 client that exports it itself. In both, a request carrying another session's binding is refused.
 */
class ChannelBindingTest extends OwnConfigurationScenarios {

    private int exporterPort;

    static {
        Pki.registerBouncyCastle();
    }

    @Deployment(testable = false)
    static WebArchive est4jRequiringLinking() throws IOException {
        EstHomeConfig.append("ChannelBindingTest", """
                label.linked.ca = default
                label.linked.channel-binding = required
                """);
        return EstTarget.rootWar();
    }

    @BeforeEach
    void readExporterPort() {
        exporterPort = Integer.parseInt(System.getProperty("est.it.exporter.port"));
    }

    private X509TrustManager[] trust() {
        return JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(target.ca(), null)), null);
    }

    // ---- TLS 1.2, tls-unique ----------------------------------------------------------------------------

    @Test
    void bcClientLinksItsRequestWithTlsUnique() throws Exception {
        KeyPair keys = Pki.p256();
        EnrollmentResponse response = Pki.tlsUniqueClient(target, "linked")
                .simpleEnrollPoP(false, new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=tls-unique-device"), keys.getPublic()),
                        new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()), EstScenarios.preemptiveBasicFor(target));

        assertTrue(response.isCompleted());
        X509Certificate issued = Pki.toCertificates(response.getStore().getMatches(null)).get(0);
        assertEquals("CN=tls-unique-device", issued.getSubjectX500Principal().getName());
    }

    /** A CSR made for another TLS 1.2 session (its tls-unique captured there) is refused on this one. */
    @Test
    void aTlsUniqueFromAnotherSessionIsRefused() throws Exception {
        SSLContext bcjsse = SSLContext.getInstance("TLSv1.2", new BouncyCastleJsseProvider());
        bcjsse.init(null, trust(), null);
        byte[] captured;
        try (SSLSocket socket = (SSLSocket) bcjsse.getSocketFactory().createSocket("localhost", target.httpsPort())) {
            socket.startHandshake();
            captured = ((BCSSLSocket) socket).getConnection().getChannelBinding("tls-unique");
        }
        assertNotNull(captured);

        SSLContext tls12 = SSLContext.getInstance("TLSv1.2");
        tls12.init(null, trust(), null);
        EstHttp.Reply reply = new EstHttp(target.estBase(), tls12).basic(target.user(), target.password())
                .postCsr("linked/simpleenroll", linkedCsr(captured, "CN=tls-unique-replay"));
        assertEquals(400, reply.status(), reply::toString);
        assertTrue(reply.text().contains("not the tls-unique of this TLS session"), reply::toString);
    }

    // ---- TLS 1.3, tls-exporter (JDK 25 client) ------------------------------------------------------------

    @Test
    void aJdk25ClientLinksItsRequestWithTlsExporter() throws Exception {
        try (SSLSocket socket = tls13()) {
            String response = post(socket, linkedCsr(exporter(socket), "CN=tls-exporter-device"));
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            byte[] body = Base64.getMimeDecoder().decode(response.substring(response.indexOf("\r\n\r\n") + 4).strip());
            assertEquals("CN=tls-exporter-device", Pki.certsOnly(body).get(0).getSubjectX500Principal().getName());
        }
    }

    @Test
    void aTlsExporterFromAnotherSessionIsRefused() throws Exception {
        byte[] captured;
        try (SSLSocket first = tls13()) {
            captured = exporter(first);
        }
        try (SSLSocket second = tls13()) {
            String response = post(second, linkedCsr(captured, "CN=tls-exporter-replay"));
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            assertTrue(response.contains("not the tls-exporter of this TLS session"), response);
        }
        try (SSLSocket unlinked = tls13()) {
            String response = post(unlinked, Pki.csr(Pki.p256(), "CN=unlinked").getEncoded());
            assertTrue(response.startsWith("HTTP/1.1 400") && response.contains("linking is required"), response);
        }
    }

    private SSLSocket tls13() throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, trust(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", exporterPort);
        socket.setEnabledProtocols(new String[] {"TLSv1.3"});
        socket.startHandshake();
        return socket;
    }

    /** RFC 9266: 32 bytes of keying material, label EXPORTER-Channel-Binding, empty context (JDK 25 API). */
    private static byte[] exporter(SSLSocket socket) throws Exception {
        Method export = ExtendedSSLSession.class.getMethod("exportKeyingMaterialData", String.class, byte[].class, int.class);
        return (byte[]) export.invoke(socket.getSession(), "EXPORTER-Channel-Binding", new byte[0], 32);
    }

    private static byte[] linkedCsr(byte[] binding, String subject) throws Exception {
        KeyPair keys = Pki.p256();
        return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword,
                        new DERPrintableString(Base64.getEncoder().encodeToString(binding)))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
    }

    /**
     * One HTTP/1.1 request on the very TLS connection whose binding the CSR carries: no HTTP client exposes
     * the connection it uses before sending, so the request is written by hand.
     */
    private String post(SSLSocket socket, byte[] csrDer) throws IOException {
        byte[] body = Base64.getMimeEncoder().encode(csrDer);
        String auth = Base64.getEncoder().encodeToString((target.user() + ":" + target.password()).getBytes(StandardCharsets.UTF_8));
        String head = "POST /.well-known/est/linked/simpleenroll HTTP/1.1\r\nHost: localhost:" + exporterPort
                + "\r\nContent-Type: application/pkcs10\r\nAuthorization: Basic " + auth + "\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}

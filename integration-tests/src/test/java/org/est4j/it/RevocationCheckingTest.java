package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * PKIX revocation checking of TLS client certificates against a real OCSP responder ({@code openssl ocsp}, started
 * by the test with the local CA's key as its signer): {@code client-auth.revocation = ocsp}, hard fail. The client
 * certificates are made by the test with the local CA's key, so the responder's index knows them from the start.
 */
class RevocationCheckingTest extends OwnConfigurationScenarios {

    private static Process responder;
    private static KeyPair goodKeys;
    private static KeyPair revokedKeys;
    private static KeyPair unknownKeys;
    private static X509Certificate good;
    private static X509Certificate revoked;
    private static X509Certificate unknown;

    static {
        Pki.registerBouncyCastle();
    }

    @Deployment(testable = false)
    static WebArchive est4jCheckingOcsp() throws Exception {
        Path home = Path.of(System.getProperty("est.home"));
        Path caPem = home.resolve("ca").resolve("default").resolve("ca.pem");
        Path caKeyFile = home.resolve("ca").resolve("default").resolve("ca-key.pem");
        X509Certificate ca = Pki.readCertificate(caPem);
        PrivateKey caKey;
        try (PEMParser pem = new PEMParser(Files.newBufferedReader(caKeyFile))) {
            caKey = new JcaPEMKeyConverter().getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) pem.readObject());
        }
        goodKeys = Pki.p256();
        revokedKeys = Pki.p256();
        unknownKeys = Pki.p256();
        good = issue(ca, caKey, goodKeys, "CN=ocsp-good");
        revoked = issue(ca, caKey, revokedKeys, "CN=ocsp-revoked");
        unknown = issue(ca, caKey, unknownKeys, "CN=ocsp-unknown");

        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "est4j-ocsp");
        SimpleDateFormat utc = new SimpleDateFormat("yyMMddHHmmss'Z'");
        utc.setTimeZone(TimeZone.getTimeZone("UTC"));
        Path index = Files.writeString(dir.resolve("index.txt"),
                "V\t" + utc.format(good.getNotAfter()) + "\t\t" + hex(good) + "\tunknown\t/CN=ocsp-good\n"
                + "R\t" + utc.format(revoked.getNotAfter()) + "\t" + utc.format(new Date()) + ",keyCompromise\t" + hex(revoked)
                + "\tunknown\t/CN=ocsp-revoked\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("ocsp.log");
        responder = new ProcessBuilder("openssl", "ocsp", "-port", Integer.toString(port), "-index", index.toString(),
                "-CA", caPem.toString(), "-rsigner", caPem.toString(), "-rkey", caKeyFile.toString(), "-nmin", "5")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int i = 0; i < 100 && !Files.readString(log).contains("waiting for OCSP client connections"); i++) {
            Thread.sleep(50);
        }
        EstHomeConfig.append("RevocationCheckingTest", """
                client-auth.revocation = ocsp
                client-auth.revocation.failure = hard
                client-auth.ocsp-responder = http://127.0.0.1:%d
                """.formatted(port));
        return EstTarget.rootWar();
    }

    @AfterAll
    static void stopResponder() throws Exception {
        if (responder != null) {
            responder.destroy();
            responder.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private EstHttp as(KeyPair keys, X509Certificate certificate) throws Exception {
        return new EstHttp(target.estBase(), Pki.tls(target.ca(), Pki.clientKey(keys.getPrivate(), certificate, target.ca())));
    }

    @Test
    void aCertificateTheResponderCallsGoodAuthenticates() throws Exception {
        EstHttp.Reply reply = as(goodKeys, good).postCsr("simpleenroll", Pki.csr(Pki.p256(), "CN=ocsp-good-device").getEncoded());
        assertEquals(200, reply.status(), reply::toString);
    }

    @Test
    void aCertificateTheResponderCallsRevokedIsRefused() throws Exception {
        EstHttp.Reply reply = as(revokedKeys, revoked).postCsr("simpleenroll", Pki.csr(Pki.p256(), "CN=x").getEncoded());
        assertEquals(401, reply.status(), reply::toString);
        assertEquals("401 the TLS client certificate is not accepted: certificate revoked\n", reply.text());
    }

    @Test
    void aCertificateTheResponderDoesNotKnowIsRefusedUnderHardFail() throws Exception {
        EstHttp.Reply reply = as(unknownKeys, unknown).postCsr("simpleenroll", Pki.csr(Pki.p256(), "CN=y").getEncoded());
        assertEquals(401, reply.status(), reply::toString);
        assertEquals("401 the TLS client certificate is not accepted: the revocation status of the client certificate cannot be "
                + "determined\n", reply.text());
    }

    private static String hex(X509Certificate c) {
        return c.getSerialNumber().toString(16).toUpperCase();
    }

    private static X509Certificate issue(X509Certificate ca, PrivateKey caKey, KeyPair keys, String subject) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, new BigInteger(127, new SecureRandom()).setBit(100),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject),
                keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(
                caKey.getAlgorithm().startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA").build(caKey)));
    }
}

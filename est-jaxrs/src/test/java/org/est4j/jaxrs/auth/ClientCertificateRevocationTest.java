package org.est4j.jaxrs.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.est4j.jaxrs.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PKIX revocation checking of client certificates against real sources: CRL files, a CRL served over HTTP from
 * the certificate's distribution point, and an OCSP responder ({@code openssl ocsp}, started by the test).
 */
class ClientCertificateRevocationTest {

    private static final TestPki.Ca CA = TestPki.ca("Revocation Test CA");

    @TempDir
    Path dir;

    private Process responder;
    private HttpServer crlServer;
    private final KeyPair key = TestPki.ecKey();

    @AfterEach
    void stop() throws Exception {
        if (responder != null) {
            responder.destroy();
            responder.waitFor(5, TimeUnit.SECONDS);
        }
        if (crlServer != null) {
            crlServer.stop(0);
        }
    }

    private X509Certificate leaf(String cn) {
        return CA.issue("CN=" + cn, key.getPublic(), null, KeyPurposeId.id_kp_clientAuth);
    }

    private static ClientCertificateValidator.Result validate(RevocationChecking checking, X509Certificate leaf) {
        return new ClientCertificateValidator(List.of(CA.certificate()), checking).validate(List.of(leaf), new Date());
    }

    private static RevocationChecking crlFiles(boolean soft, Path... files) {
        return new RevocationChecking(RevocationChecking.Mode.CRL, soft, List.of(files), false, Optional.empty(), Duration.ofSeconds(2));
    }

    @Test
    void aCrlFileRefusesTheRevokedCertificateAndPassesTheOthers() throws Exception {
        X509Certificate good = leaf("good");
        X509Certificate revoked = leaf("revoked");
        Path file = writePem(dir.resolve("ca.crl"), crl(revoked.getSerialNumber()));
        assertTrue(validate(crlFiles(false, file), good).valid());
        ClientCertificateValidator.Result r = validate(crlFiles(false, file), revoked);
        assertEquals("certificate revoked", r.failure());
        assertEquals("certificate revoked", validate(crlFiles(true, file), revoked).failure(), "soft fail never passes a revoked one");
    }

    @Test
    void aReplacedCrlFileIsReadAgain() throws Exception {
        X509Certificate leaf = leaf("later-revoked");
        Path file = writePem(dir.resolve("ca.crl"), crl());
        ClientCertificateValidator validator = new ClientCertificateValidator(List.of(CA.certificate()), crlFiles(false, file));
        assertTrue(validator.validate(List.of(leaf), new Date()).valid());
        writePem(file, crl(leaf.getSerialNumber()));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals("certificate revoked", validator.validate(List.of(leaf), new Date()).failure());
    }

    @Test
    void withoutACurrentCrlHardFailRefusesAndSoftFailAccepts() throws Exception {
        X509Certificate leaf = leaf("no-crl");
        Path expired = writePem(dir.resolve("old.crl"), crl(Instant.now().minus(Duration.ofDays(2)), Instant.now().minus(Duration.ofDays(1))));
        assertEquals("the revocation status of the client certificate cannot be determined",
                validate(crlFiles(false, expired), leaf).failure());
        assertTrue(validate(crlFiles(true, expired), leaf).valid());
    }

    @Test
    void theCrlOfTheCertificatesDistributionPointIsFetched() throws Exception {
        crlServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        URI uri = URI.create("http://127.0.0.1:" + crlServer.getAddress().getPort() + "/ca.crl");
        X509Certificate good = leafWithDistributionPoint("dp-good", uri);
        X509Certificate revoked = leafWithDistributionPoint("dp-revoked", uri);
        byte[] der = crl(revoked.getSerialNumber()).getEncoded();
        int[] downloads = {0};
        crlServer.createContext("/ca.crl", exchange -> {
            downloads[0]++;
            exchange.getResponseHeaders().set("Content-Type", "application/pkix-crl");
            exchange.sendResponseHeaders(200, der.length);
            exchange.getResponseBody().write(der);
            exchange.close();
        });
        crlServer.start();
        RevocationChecking fetch = new RevocationChecking(RevocationChecking.Mode.CRL, false, List.of(), true, Optional.empty(),
                Duration.ofSeconds(2));
        ClientCertificateValidator validator = new ClientCertificateValidator(List.of(CA.certificate()), fetch);
        assertTrue(validator.validate(List.of(good), new Date()).valid());
        assertEquals("certificate revoked", validator.validate(List.of(revoked), new Date()).failure());
        assertEquals(1, downloads[0], "kept until its nextUpdate");
    }

    @Test
    void anOcspResponderIsAskedAndItsAnswerCounts() throws Exception {
        X509Certificate good = leaf("ocsp-good");
        X509Certificate revoked = leaf("ocsp-revoked");
        int port = startResponder(good, revoked);
        URI url = URI.create("http://127.0.0.1:" + port);
        RevocationChecking hard = new RevocationChecking(RevocationChecking.Mode.OCSP, false, List.of(), false, Optional.of(url),
                Duration.ofSeconds(2));
        assertTrue(validate(hard, good).valid(), () -> validate(hard, good).failure());
        assertEquals("certificate revoked", validate(hard, revoked).failure());

        responder.destroy();
        responder.waitFor(5, TimeUnit.SECONDS);
        responder = null;
        assertEquals("the revocation status of the client certificate cannot be determined", validate(hard, good).failure());
        RevocationChecking soft = new RevocationChecking(RevocationChecking.Mode.OCSP, true, List.of(), false, Optional.of(url),
                Duration.ofSeconds(2));
        assertTrue(validate(soft, good).valid(), "soft fail: the responder is down");
    }

    /** {@code openssl ocsp} with an index where {@code revoked} is revoked (keyCompromise) and {@code good} is valid. */
    private int startResponder(X509Certificate good, X509Certificate revoked) throws Exception {
        Path caPem = writePem(dir.resolve("ca.pem"), CA.certificate());
        Path caKey = writePem(dir.resolve("ca-key.pem"), new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY",
                CA.key().getPrivate().getEncoded())); // PKCS#8, which openssl reads
        SimpleDateFormat utc = new SimpleDateFormat("yyMMddHHmmss'Z'");
        utc.setTimeZone(TimeZone.getTimeZone("UTC"));
        String index = "V\t" + utc.format(good.getNotAfter()) + "\t\t" + good.getSerialNumber().toString(16).toUpperCase() + "\tunknown\t/CN=ocsp-good\n"
                + "R\t" + utc.format(revoked.getNotAfter()) + "\t" + utc.format(new Date()) + ",keyCompromise\t"
                + revoked.getSerialNumber().toString(16).toUpperCase() + "\tunknown\t/CN=ocsp-revoked\n";
        Path indexFile = Files.writeString(dir.resolve("index.txt"), index);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        responder = new ProcessBuilder("openssl", "ocsp", "-port", Integer.toString(port), "-index", indexFile.toString(),
                "-CA", caPem.toString(), "-rsigner", caPem.toString(), "-rkey", caKey.toString(), "-nmin", "5")
                .redirectErrorStream(true).redirectOutput(dir.resolve("ocsp.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            // not a probe connection: openssl serves one connection at a time and would wait on it
            if (Files.readString(dir.resolve("ocsp.log")).contains("waiting for OCSP client connections")) {
                return port;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("openssl ocsp did not listen: " + Files.readString(dir.resolve("ocsp.log")));
    }

    private X509Certificate leafWithDistributionPoint(String cn, URI crl) throws Exception {
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(CA.certificate(), BigInteger.valueOf(System.nanoTime()),
                Date.from(Instant.now().minus(Duration.ofMinutes(5))), Date.from(Instant.now().plus(Duration.ofDays(1))),
                new X500Name("CN=" + cn), key.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(
                new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crl.toString()))),
                null, null)}));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(CA.key().getPrivate())));
    }

    private static X509CRL crl(BigInteger... revoked) throws Exception {
        return crl(Instant.now().minus(Duration.ofMinutes(5)), Instant.now().plus(Duration.ofDays(1)), revoked);
    }

    private static X509CRL crl(Instant thisUpdate, Instant nextUpdate, BigInteger... revoked) throws Exception {
        X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(CA.certificate().getSubjectX500Principal().getEncoded()),
                Date.from(thisUpdate));
        b.setNextUpdate(Date.from(nextUpdate));
        for (BigInteger serial : revoked) {
            b.addCRLEntry(serial, Date.from(thisUpdate), CRLReason.keyCompromise);
        }
        return new JcaX509CRLConverter().getCRL(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(CA.key().getPrivate())));
    }

    private static Path writePem(Path file, Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            w.writeObject(object);
        }
        return Files.writeString(file, text.toString());
    }
}

package org.est4j.war.localca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.est4j.war.config.CaSettings;
import org.est4j.war.config.KeyAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LocalCaTest {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path dir;

    private static CaSettings settings(KeyAlgorithm alg) {
        return new CaSettings("default", alg, "CN=Test CA", 3650, 30, List.of(CLIENT_AUTH), new org.est4j.spi.CsrAttributes(List.of()), false, 60,
                org.est4j.jaxrs.policy.RequestPolicy.DEFAULTS);
    }

    private static LocalCa.Profile profile(String cn) {
        KeyPair key = KeyAlgorithm.EC_P256.generate();
        return new LocalCa.Profile(new X500Principal("CN=" + cn), key.getPublic(),
                new GeneralNames(new GeneralName(GeneralName.dNSName, cn + ".example")), List.of(CLIENT_AUTH));
    }

    /** Creates the CA, issues one certificate and returns its line of the issuance log. */
    private String oneRecord() throws Exception {
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            ca.issue(profile("a"));
        }
        return Files.readAllLines(dir.resolve("issued.log")).get(0);
    }

    private static void assertChainsTo(X509Certificate leaf, X509Certificate root) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void issuesValidCertificatesWithEveryKeyAlgorithm(KeyAlgorithm alg) throws Exception {
        try (LocalCa ca = LocalCa.openOrCreate(dir.resolve(alg.name()), settings(alg))) {
            LocalCa.Profile p = profile("device-1");
            X509Certificate cert = ca.issue(p);
            assertChainsTo(cert, ca.certificate());
            assertEquals("CN=device-1", cert.getSubjectX500Principal().getName());
            assertArrayEquals(p.publicKey().getEncoded(), cert.getPublicKey().getEncoded());
            assertEquals(List.of(CLIENT_AUTH), cert.getExtendedKeyUsage());
            assertEquals("device-1.example", cert.getSubjectAlternativeNames().iterator().next().get(1));
            assertEquals(-1, cert.getBasicConstraints(), "end entity");
            assertTrue(cert.getKeyUsage()[0], "digitalSignature");
            assertTrue(ca.certificate().getBasicConstraints() >= 0, "CA");
        }
    }

    @Test
    void serialsAreRandomPositiveAndAtMost16OctetsAndKnownAfterARestart() throws Exception {
        List<BigInteger> issued = new ArrayList<>();
        X509Certificate root;
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            root = ca.certificate();
            for (int i = 0; i < 5; i++) {
                issued.add(ca.issue(profile("s" + i)).getSerialNumber());
            }
        }
        for (int i = 0; i < issued.size(); i++) {
            BigInteger serial = issued.get(i);
            assertTrue(serial.signum() > 0);
            // 127 random bits: more than 64 bits with overwhelming probability (BR 7.1 asks for 64 from a CSPRNG)
            assertTrue(serial.bitLength() > 64 && serial.bitLength() <= 127, serial.toString(16));
            assertTrue(serial.toByteArray().length <= 16, "at most 16 octets, RFC 5280 allows 20");
            if (i > 0) {
                assertFalse(serial.subtract(issued.get(i - 1)).abs().equals(BigInteger.ONE), "not sequential");
            }
        }
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            assertEquals(root, ca.certificate(), "the CA key is kept");
            for (BigInteger serial : issued) {
                assertTrue(ca.hasIssued(serial));
            }
            assertFalse(ca.hasIssued(BigInteger.valueOf(7)));
            X509Certificate next = ca.issue(profile("after-restart"));
            assertFalse(issued.contains(next.getSerialNumber()));
            assertChainsTo(next, root);
        }
        assertEquals(6, Files.readAllLines(dir.resolve("issued.log")).size());
    }

    /** RFC 5280 section 4.2.1.6: with an empty subject the subjectAltName carries the identity and is critical. */
    @Test
    void anEmptySubjectGetsACriticalSubjectAltName() throws Exception {
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            X509Certificate c = ca.issue(new LocalCa.Profile(new X500Principal(""), KeyAlgorithm.EC_P256.generate().getPublic(),
                    new GeneralNames(new GeneralName(GeneralName.dNSName, "anonymous.example")), List.of(CLIENT_AUTH)));
            X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(c.getEncoded()));
            assertEquals("", parsed.getSubjectX500Principal().getName());
            assertTrue(parsed.getCriticalExtensionOIDs().contains("2.5.29.17"), "subjectAltName critical");
            X509Certificate named = ca.issue(profile("named"));
            assertFalse(named.getCriticalExtensionOIDs().contains("2.5.29.17"), "beside a subject it is not");
        }
    }

    @Test
    void aSerialDrawnTwiceIsDrawnAgain() throws Exception {
        // a random source that repeats its first draw: the log must not hand out that serial a second time
        java.security.SecureRandom repeating = new java.security.SecureRandom() {
            private static final long serialVersionUID = 1L;
            private int calls;

            @Override
            public void nextBytes(byte[] bytes) {
                java.util.Arrays.fill(bytes, (byte) (calls++ < 2 ? 0x42 : 0x17 + calls));
            }
        };
        try (IssuanceLog log = new IssuanceLog(dir.resolve("issued.log"), repeating)) {
            BigInteger first = log.newSerial();
            BigInteger second = log.newSerial();
            assertFalse(first.equals(second));
            assertTrue(log.contains(first) && log.contains(second));
        }
    }

    @Test
    void aStoreWithSequentialSerialsOfEarlierVersionsKeepsWorking() throws Exception {
        String cert;
        String first = oneRecord();
        Path log = dir.resolve("issued.log");
        cert = first.substring(first.indexOf(' ') + 1);
        Files.writeString(log, "1 " + cert + "\n2 " + cert + "\n3 " + cert + "\n", StandardCharsets.US_ASCII);
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            assertTrue(ca.hasIssued(BigInteger.ONE) && ca.hasIssued(BigInteger.TWO) && ca.hasIssued(BigInteger.valueOf(3)));
            assertFalse(ca.hasIssued(BigInteger.valueOf(4)));
            BigInteger next = ca.issue(profile("b")).getSerialNumber();
            assertTrue(next.bitLength() > 64);
        }
        assertEquals(4, Files.readAllLines(log).size());
    }

    @Test
    void aSerialOnRecordTwiceStopsStart() throws Exception {
        String first = oneRecord();
        Path log = dir.resolve("issued.log");
        Files.write(log, (first + "\n").getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        IOException e = assertThrows(IOException.class, () -> LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256)));
        assertTrue(e.getMessage().contains("on record already"), e.getMessage());
    }

    @Test
    void concurrentIssuanceGivesUniqueSerialsThatAreAllRecorded() throws Exception {
        List<BigInteger> serials = Collections.synchronizedList(new ArrayList<>());
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        serials.add(ca.issue(profile("d")).getSerialNumber());
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
        }
        assertEquals(400, new HashSet<>(serials).size());
        List<String> lines = Files.readAllLines(dir.resolve("issued.log"));
        assertEquals(400, lines.size());
        Set<BigInteger> recorded = new HashSet<>();
        for (String line : lines) {
            recorded.add(new BigInteger(line.substring(0, line.indexOf(' ')), 16));
        }
        assertEquals(new HashSet<>(serials), recorded);
    }

    @Test
    void aTornLastLineFromACrashIsCut() throws Exception {
        BigInteger kept;
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            kept = ca.issue(profile("a")).getSerialNumber();
        }
        Path log = dir.resolve("issued.log");
        long goodSize = Files.size(log);
        Files.write(log, "2 MIIBhalfwrittencert".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            assertEquals(goodSize, Files.size(log));
            assertTrue(ca.hasIssued(kept));
            assertFalse(ca.hasIssued(BigInteger.TWO), "never returned to anyone");
            assertFalse(ca.issue(profile("b")).getSerialNumber().equals(kept));
        }
    }

    @Test
    void blocksOfAnUnfinishedBatchAreCutFromTheFirstDamagedLine() throws Exception {
        String first = oneRecord();
        Path log = dir.resolve("issued.log");
        String cert = first.substring(first.indexOf(' ') + 1);
        // a group commit wrote serials out of order, then the next batch never reached the disk
        Files.write(log, ("5 " + cert + "\n4 " + cert + "\n").getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        long goodSize = Files.size(log);
        byte[] lostBlocks = new byte[300];
        Files.write(log, lostBlocks, StandardOpenOption.APPEND);
        Files.write(log, ("\n7 " + cert + "\n").getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            assertEquals(goodSize, Files.size(log), "the NUL blocks and everything after them are cut");
            assertTrue(ca.hasIssued(BigInteger.valueOf(5)) && ca.hasIssued(BigInteger.valueOf(4)));
            assertFalse(ca.hasIssued(BigInteger.valueOf(7)));
        }
    }

    @Test
    void damageFarFromTheEndStopsStartInsteadOfGuessing() throws Exception {
        oneRecord();
        Path log = dir.resolve("issued.log");
        StringBuilder after = new StringBuilder("\0\0\0\n");
        for (int i = 1; i <= IssuanceLog.RECOVERY_LINES; i++) {
            after.append(Integer.toHexString(i)).append(" MIIB\n");
        }
        Files.write(log, after.toString().getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        IOException e = assertThrows(IOException.class, () -> LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256)));
        assertTrue(e.getMessage().contains("refusing to guess"), e.getMessage());
    }

    @Test
    void aSecondProcessCannotOpenTheSameCa() throws Exception {
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            IOException e = assertThrows(IOException.class, () -> LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256)));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
    }

    @Test
    void aCorruptLastRecordStopsStartInsteadOfGuessing() throws Exception {
        oneRecord();
        Files.write(dir.resolve("issued.log"), "zz-not-hex cert\n".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        IOException e = assertThrows(IOException.class, () -> LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256)));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void theCaKeyIsOwnerOnly() throws Exception {
        try (LocalCa ignored = LocalCa.openOrCreate(dir, settings(KeyAlgorithm.EC_P256))) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("ca-key.pem"))));
        }
    }
}

package org.est4j.war.localca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.est4j.jaxrs.codec.SignatureProvider;
import org.est4j.war.Pem;
import org.est4j.war.config.CaSettings;
import org.est4j.war.config.KeyAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The local CA's CRLs, read back with {@code openssl crl} / {@code openssl verify} (not BouncyCastle, which made them):
 * version, CRL number, dates, entries and reasons; numbers that only increase, across restarts and revocations
 * appended by another process; and the CRL distribution point in issued certificates.
 */
class CrlPublisherTest {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path dir;

    private static CaSettings settings(KeyAlgorithm alg) {
        return new CaSettings("default", alg, "CN=CRL Test CA", 3650, 30, List.of(CLIENT_AUTH), new org.est4j.spi.CsrAttributes(List.of()),
                false, 60, org.est4j.jaxrs.policy.RequestPolicy.DEFAULTS);
    }

    private static X509Certificate issue(LocalCa ca, String cn) throws IOException {
        return ca.issue(new LocalCa.Profile(new X500Principal("CN=" + cn), KeyAlgorithm.EC_P256.generate().getPublic(), null,
                List.of(CLIENT_AUTH)));
    }

    // ---- openssl, the independent decoder --------------------------------------------------------------------------

    private static String run(Path workDir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + ": " + output);
        return output;
    }

    /** {@code openssl crl -inform DER -text -noout} of {@code crl}. */
    private String openssl(X509CRL crl) throws Exception {
        Path file = Files.createTempFile(dir, "crl", ".der");
        Files.write(file, crl.getEncoded());
        return run(dir, "openssl", "crl", "-inform", "DER", "-in", file.toString(), "-text", "-noout");
    }

    /** The CRL number as openssl prints it. */
    private static long number(String text) {
        Matcher m = Pattern.compile("X509v3 CRL Number: *\\n *([0-9]+)").matcher(text);
        assertTrue(m.find(), text);
        return Long.parseLong(m.group(1));
    }

    private static String hex(BigInteger serial) {
        String h = serial.toString(16).toUpperCase();
        return h.length() % 2 == 1 ? "0" + h : h;
    }

    /** openssl's block for one revoked serial: from its "Serial Number" line to the next entry or the signature. */
    private static String entry(String text, BigInteger serial) {
        int start = text.indexOf("Serial Number: " + hex(serial));
        assertTrue(start >= 0, () -> "serial " + hex(serial) + " is not in\n" + text);
        int next = text.indexOf("Serial Number:", start + 1);
        int sig = text.indexOf("Signature Algorithm", start);
        return text.substring(start, next < 0 ? sig : Math.min(next, sig));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END "
                + type + "-----\n";
    }

    // ---- tests ---------------------------------------------------------------------------------------------------

    @Test
    void aV2CrlListsEachRevocationWithItsReasonAndTheUnspecifiedOneWithout() throws Exception {
        try (LocalCa ca = LocalCa.openOrCreate(dir.resolve("ca"), settings(KeyAlgorithm.EC_P256))) {
            X509Certificate compromised = issue(ca, "compromised");
            X509Certificate plain = issue(ca, "plain");
            X509Certificate good = issue(ca, "good");
            ca.revocations().record(compromised.getSerialNumber(), 1, "test");
            ca.revocations().record(plain.getSerialNumber(), 0, "test");

            X509CRL crl = ca.crl();
            String text = openssl(crl);
            assertTrue(text.contains("Version 2 (0x1)"), text);
            assertTrue(text.contains("Issuer: CN = CRL Test CA"), text);
            assertTrue(text.contains("Signature Algorithm: ecdsa-with-SHA256"), text);
            assertEquals(1, number(text));
            assertTrue(text.contains("X509v3 Authority Key Identifier"), text);
            Matcher dates = Pattern.compile("Last Update: (.+)\\n *Next Update: (.+)\\n").matcher(text);
            assertTrue(dates.find(), text);
            // openssl's "Mon DD HH:MM:SS YYYY GMT", 24 hours apart (the default validity)
            java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy 'GMT'",
                    java.util.Locale.US).withZone(ZoneOffset.UTC);
            Instant last = Instant.from(f.parse(dates.group(1).strip()));
            Instant next = Instant.from(f.parse(dates.group(2).strip()));
            assertEquals(Duration.ofHours(24), Duration.between(last, next));
            assertTrue(Duration.between(last, Instant.now()).abs().getSeconds() < 60, "this update is now: " + last);

            String revoked = entry(text, compromised.getSerialNumber());
            assertTrue(revoked.contains("X509v3 CRL Reason Code:") && revoked.contains("Key Compromise"), revoked);
            String unspecified = entry(text, plain.getSerialNumber());
            assertFalse(unspecified.contains("Reason Code"), "RFC 5280 5.3.1: no reasonCode for unspecified\n" + unspecified);
            assertFalse(text.contains("Serial Number: " + hex(good.getSerialNumber())), text);

            // openssl verify with the CRL: the revoked certificate is refused, the other one accepted
            Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", ca.certificate().getEncoded()));
            Files.writeString(dir.resolve("crl.pem"), pem("X509 CRL", crl.getEncoded()));
            Files.writeString(dir.resolve("revoked.pem"), pem("CERTIFICATE", compromised.getEncoded()));
            Files.writeString(dir.resolve("good.pem"), pem("CERTIFICATE", good.getEncoded()));
            Process p = new ProcessBuilder("openssl", "verify", "-crl_check", "-CAfile", "ca.pem", "-CRLfile", "crl.pem", "revoked.pem")
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            String refused = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertTrue(p.exitValue() != 0 && refused.contains("certificate revoked"), refused);
            assertTrue(run(dir, "openssl", "verify", "-crl_check", "-CAfile", "ca.pem", "-CRLfile", "crl.pem", "good.pem")
                    .contains("good.pem: OK"));
        }
    }

    @ParameterizedTest
    @EnumSource(KeyAlgorithm.class)
    void everyKeyAlgorithmSignsItsCrlTheWayItSignsCertificates(KeyAlgorithm alg) throws Exception {
        try (LocalCa ca = LocalCa.openOrCreate(dir.resolve(alg.name()), settings(alg))) {
            X509CRL crl = ca.crl();
            crl.verify(ca.certificate().getPublicKey());
            assertEquals(ca.certificate().getSigAlgName(), crl.getSigAlgName());
            String text = openssl(crl);
            assertTrue(text.contains("Version 2 (0x1)") && text.contains("No Revoked Certificates."), text);
            Files.write(dir.resolve("ca.der"), ca.certificate().getEncoded());
            Files.write(dir.resolve("crl.der"), crl.getEncoded());
            // openssl checks the signature with the CA's key
            run(dir, "openssl", "crl", "-inform", "DER", "-in", "crl.der", "-CAfile",
                    Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", ca.certificate().getEncoded())).toString(), "-noout");
        }
    }

    @Test
    void theNumberGrowsWithEachRevocationAlsoFromAnotherProcessAndAcrossRestarts() throws Exception {
        Path caDir = dir.resolve("ca");
        BigInteger first;
        BigInteger second;
        try (LocalCa ca = LocalCa.openOrCreate(caDir, settings(KeyAlgorithm.EC_P256))) {
            first = issue(ca, "one").getSerialNumber();
            second = issue(ca, "two").getSerialNumber();
            assertEquals(1, number(openssl(ca.crl())));
            assertEquals(1, number(openssl(ca.crl())), "nothing changed: the same CRL");
            ca.revocations().record(first, 4, "test");
            String text = openssl(ca.crl());
            assertEquals(2, number(text));
            assertTrue(entry(text, first).contains("Superseded"), text);
        }
        assertTrue(Files.isRegularFile(caDir.resolve("crl.der")));
        try (LocalCa restarted = LocalCa.openOrCreate(caDir, settings(KeyAlgorithm.EC_P256))) {
            assertEquals(2, number(openssl(restarted.crl())), "after a restart without changes: the CRL of before");
            // Admin revoke's way: its own RevocationLog on the directory, as another JVM has
            new RevocationLog(caDir.resolve(CaRecords.REVOKED_LOG)).record(second, 1, "admin");
            String text = openssl(restarted.crl());
            assertEquals(3, number(text));
            entry(text, first);
            entry(text, second);
        }
        try (LocalCa again = LocalCa.openOrCreate(caDir, settings(KeyAlgorithm.EC_P256))) {
            assertEquals(3, number(openssl(again.crl())));
        }
        assertEquals(3, number(run(dir, "openssl", "crl", "-inform", "DER", "-in", caDir.resolve("crl.der").toString(), "-text",
                "-noout")), "crl.der holds the last CRL");
    }

    @Test
    void aNewCrlOnceHalfTheValidityPassedNotBefore() throws Exception {
        try (LocalCa ca = LocalCa.openOrCreate(dir.resolve("ca"), settings(KeyAlgorithm.EC_P256))) {
            Instant[] now = {Instant.parse("2030-01-01T00:00:00Z")};
            Clock clock = new Clock() {
                @Override
                public java.time.ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now[0];
                }
            };
            CrlPublisher publisher = publisher(ca, dir.resolve("ca"), dir.resolve("clocked"), Duration.ofHours(10), clock);
            X509CRL first = publisher.current();
            assertEquals(Instant.parse("2030-01-01T10:00:00Z"), first.getNextUpdate().toInstant());
            now[0] = Instant.parse("2030-01-01T04:59:59Z");
            assertEquals(first, publisher.current(), "less than half the validity passed");
            now[0] = Instant.parse("2030-01-01T05:00:00Z");
            X509CRL second = publisher.current();
            assertEquals(Instant.parse("2030-01-01T05:00:00Z"), second.getThisUpdate().toInstant());
            assertEquals(2, number(openssl(second)));
        }
    }

    @Test
    void concurrentRequestsAfterARevocationShareOneNewCrl() throws Exception {
        try (LocalCa ca = LocalCa.openOrCreate(dir.resolve("ca"), settings(KeyAlgorithm.EC_P256))) {
            ca.crl();
            ca.revocations().record(issue(ca, "x").getSerialNumber(), 1, "test");
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Callable<X509CRL>> calls = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    calls.add(ca::crl);
                }
                Set<String> encodings = new HashSet<>();
                for (Future<X509CRL> f : pool.invokeAll(calls)) {
                    encodings.add(Base64.getEncoder().encodeToString(f.get().getEncoded()));
                }
                assertEquals(1, encodings.size(), "one new CRL for all, not one each");
                assertEquals(2, number(openssl(ca.crl())));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aDamagedCrlFileStopsTheCaRatherThanReusingNumbers() throws Exception {
        Path caDir = dir.resolve("ca");
        try (LocalCa ca = LocalCa.openOrCreate(caDir, settings(KeyAlgorithm.EC_P256))) {
            ca.crl();
        }
        Files.write(caDir.resolve("crl.der"), new byte[] {0x30, 0x03, 0x02, 0x01, 0x05});
        IOException e = assertThrows(IOException.class, () -> LocalCa.openOrCreate(caDir, settings(KeyAlgorithm.EC_P256)).close());
        assertTrue(e.getMessage().contains("crl.der is damaged"), e.getMessage());
        // the issuance log was let go: once the file is moved away, the CA opens and starts over at 1
        Files.delete(caDir.resolve("crl.der"));
        try (LocalCa ca = LocalCa.openOrCreate(caDir, settings(KeyAlgorithm.EC_P256))) {
            assertEquals(1, number(openssl(ca.crl())));
        }
    }

    @Test
    void everyIssuedCertificateNamesTheCrlDistributionPoint() throws Exception {
        CaSettings custom = new CaSettings("edge", KeyAlgorithm.EC_P256, "CN=Edge CA", 3650, 30, List.of(CLIENT_AUTH),
                new org.est4j.spi.CsrAttributes(List.of()), false, 60, org.est4j.jaxrs.policy.RequestPolicy.DEFAULTS, 6,
                java.net.URI.create("http://pki.example.com/crl/edge.crl"));
        try (LocalCa byDefault = LocalCa.openOrCreate(dir.resolve("default"), settings(KeyAlgorithm.EC_P256));
             LocalCa configured = LocalCa.openOrCreate(dir.resolve("edge"), custom)) {
            X509Certificate cert = issue(byDefault, "dp");
            byte[] ext = cert.getExtensionValue("2.5.29.31");
            assertNotNull(ext, "a cRLDistributionPoints extension");
            assertFalse(cert.getCriticalExtensionOIDs().contains("2.5.29.31"), "non-critical");
            Files.writeString(dir.resolve("dp.pem"), pem("CERTIFICATE", cert.getEncoded()));
            String text = run(dir, "openssl", "x509", "-in", "dp.pem", "-noout", "-text");
            assertTrue(text.matches("(?s).*X509v3 CRL Distribution Points: *\\n\\s*Full Name:\\s*\\n\\s*URI:"
                    + Pattern.quote("http://localhost:8080/crl/default.crl") + "\\n.*"), text);

            Files.writeString(dir.resolve("edge.pem"), pem("CERTIFICATE", issue(configured, "edge").getEncoded()));
            assertTrue(run(dir, "openssl", "x509", "-in", "edge.pem", "-noout", "-ext", "crlDistributionPoints")
                    .contains("URI:http://pki.example.com/crl/edge.crl"));
            String crl = openssl(configured.crl());
            Matcher dates = Pattern.compile("Last Update: (.+)\\n *Next Update: (.+)\\n").matcher(crl);
            assertTrue(dates.find(), crl);
            assertEquals(6, configured.crl().getNextUpdate().toInstant().getEpochSecond() / 3600
                    - configured.crl().getThisUpdate().toInstant().getEpochSecond() / 3600, "ca.<name>.crl-validity-hours");
        }
    }

    /** A publisher of {@code ca}'s CRLs (key in {@code caDir}) into {@code out}, on {@code clock}. */
    private static CrlPublisher publisher(LocalCa ca, Path caDir, Path out, Duration validity, Clock clock) throws Exception {
        Files.createDirectories(out);
        java.security.PrivateKey key = Pem.readPrivateKey(caDir.resolve("ca-key.pem"));
        return new CrlPublisher(new CrlFile(out.resolve(CaRecords.CRL_FILE)), X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()),
                ca.certificate().getPublicKey(), new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.certificate()),
                new RevocationLog(out.resolve(CaRecords.REVOKED_LOG)), validity, () -> SignatureProvider.signer("SHA256withECDSA", key), clock);
    }
}

package org.est4j.war.localca;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.est4j.war.Pem;
import org.est4j.war.config.CaSettings;
import org.est4j.war.config.KeyAlgorithm;
import org.est4j.war.config.Pkcs11Settings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The local CA with its key in a SoftHSM2 token ({@code ca.<name>.key-store = pkcs11}). Surefire gives this JVM
 * {@code SOFTHSM2_CONF} (a file under {@code target/softhsm}, written here before SoftHSM is loaded) and
 * {@code EST_TEST_PKCS11_PIN} (for {@code pin-env}); see est-war's pom. Skipped when SoftHSM2 is not installed.
 */
class Pkcs11LocalCaTest {

    private static final Path LIBRARY = org.est4j.war.SoftHsmTokens.LIBRARY;
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String TOKEN = "est4j-test";
    private static final String PIN = "123456";
    private static final String OTHER_TOKEN = "est4j-other";
    private static final String OTHER_PIN = "654321";
    /** Only ever logged in to with a wrong PIN: PKCS#11 login is per application, shared by all sessions of this JVM. */
    private static final String PIN_TOKEN = "est4j-pin";
    /** Set by surefire to {@link #PIN}. */
    private static final String PIN_ENV = "EST_TEST_PKCS11_PIN";

    private static long tokenSlot;
    private static long otherSlot;

    @TempDir
    Path dir;

    @BeforeAll
    static void initialiseTokens() throws Exception {
        org.est4j.war.SoftHsmTokens.freshTokenDirectory("est-war's surefire configuration");
        tokenSlot = initToken(TOKEN, PIN);
        otherSlot = initToken(OTHER_TOKEN, OTHER_PIN);
        initToken(PIN_TOKEN, PIN);
    }

    /** {@code softhsm2-util --init-token --free}; returns the slot id SoftHSM gives the token. */
    private static long initToken(String label, String pin) throws Exception {
        String out = run(null, "softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "so-" + pin);
        Matcher slot = Pattern.compile("reassigned to slot (\\d+)").matcher(out);
        assertTrue(slot.find(), out);
        return Long.parseLong(slot.group(1));
    }

    private static String run(Path directory, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            pb.directory(directory.toFile());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + ": " + out);
        return out;
    }

    private static CaSettings settings(KeyAlgorithm alg, Pkcs11Settings token) {
        return new CaSettings("default", alg, "CN=Token CA", 3650, 30, List.of(CLIENT_AUTH), new org.est4j.spi.CsrAttributes(List.of()),
                false, 60, org.est4j.jaxrs.policy.RequestPolicy.DEFAULTS).withPkcs11(token);
    }

    /** The test token chosen by label, the PIN in {@code EST_HOME/ca-pin}. */
    private static Pkcs11Settings byLabel(String keyLabel) {
        return new Pkcs11Settings(LIBRARY, OptionalLong.empty(), TOKEN, keyLabel, Path.of("ca-pin"), null);
    }

    private static Path home(Path home, String pin) throws IOException {
        Files.createDirectories(home);
        Path file = home.resolve("ca-pin");
        Files.writeString(file, pin + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return home;
    }

    private static X509Certificate issue(LocalCa ca, String cn) throws IOException {
        KeyPair key = KeyAlgorithm.EC_P256.generate();
        return ca.issue(new LocalCa.Profile(new X500Principal("CN=" + cn), key.getPublic(),
                new GeneralNames(new GeneralName(GeneralName.dNSName, cn + ".example")), List.of(CLIENT_AUTH)));
    }

    /** {@code openssl verify -CAfile ca.pem leaf.pem} in the CA's directory. */
    private static void opensslVerifies(Path caDir, X509Certificate leaf) throws Exception {
        Files.write(caDir.resolve("leaf.pem"), Pem.certificates(List.of(leaf)));
        String out = run(caDir, "openssl", "verify", "-CAfile", "ca.pem", "leaf.pem");
        assertTrue(out.contains("leaf.pem: OK"), out);
    }

    /** A SunPKCS11 provider of its own on {@code slot}, logged in: the token as any other PKCS#11 application sees it. */
    private static KeyStore freshKeyStore(long slot, String pin) throws Exception {
        Provider p = Security.getProvider("SunPKCS11").configure("--name = est4j-test-reader\nlibrary = " + LIBRARY + "\nslot = " + slot + "\n");
        KeyStore ks = KeyStore.getInstance("PKCS11", p);
        ks.load(null, pin.toCharArray());
        return ks;
    }

    @Test
    void theCaKeyIsGeneratedInTheTokenAndSignsCertificatesAndCrlsThere() throws Exception {
        Path home = home(dir.resolve("home"), PIN);
        Path caDir = home.resolve("ca").resolve("default");
        X509Certificate caCert;
        try (LocalCa ca = LocalCa.openOrCreate(caDir, settings(KeyAlgorithm.EC_P256, byLabel("est4j-ca-default")), home)) {
            caCert = ca.certificate();
            assertTrue(Files.exists(caDir.resolve("ca.pem")));
            assertFalse(Files.exists(caDir.resolve("ca-key.pem")), "no key file for a key in a token");
            assertEquals(caCert, Pem.readCertificates(caDir.resolve("ca.pem")).get(0));
            caCert.verify(caCert.getPublicKey()); // self-signed through the token

            X509Certificate leaf = issue(ca, "device-1");
            leaf.verify(caCert.getPublicKey());
            opensslVerifies(caDir, leaf);

            ca.revocations().record(leaf.getSerialNumber(), 1, "test");
            X509CRL crl = ca.crl();
            crl.verify(caCert.getPublicKey());
            assertNotNull(crl.getRevokedCertificate(leaf.getSerialNumber()));
            Files.write(caDir.resolve("test-crl.der"), crl.getEncoded());
            String out = run(caDir, "openssl", "crl", "-inform", "DER", "-in", "test-crl.der", "-CAfile", "ca.pem", "-noout");
            assertTrue(out.contains("verify OK"), out);
        }

        // the token read by another provider instance: the key is there, unextractable, and is the CA certificate's
        KeyStore token = freshKeyStore(tokenSlot, PIN);
        Key key = token.getKey("est4j-ca-default", null);
        assertTrue(key instanceof PrivateKey, "the token holds the private key under the key label");
        assertNull(key.getEncoded(), "the private key cannot be extracted");
        assertTrue(key.toString().contains("token object") && key.toString().contains("sensitive")
                && key.toString().contains("unextractable"), key.toString());
        assertEquals(caCert, token.getCertificate("est4j-ca-default"), "the token keeps the CA certificate under the same label");
        byte[] message = "independent".getBytes(StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance("SHA256withECDSA", token.getProvider());
        s.initSign((PrivateKey) key);
        s.update(message);
        byte[] signature = s.sign();
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(caCert.getPublicKey());
        v.update(message);
        assertTrue(v.verify(signature), "the CA certificate's public key is the token key's");
        if (org.est4j.war.SoftHsmTokens.onPath("pkcs11-tool")) {
            // and by OpenSC: the token's public key object, as DER, is the CA certificate's
            String objects = run(dir, "pkcs11-tool", "--module", LIBRARY.toString(), "--token-label", TOKEN, "--login", "--pin", PIN,
                    "--list-objects");
            assertTrue(objects.contains("never extractable"), objects);
            Path pub = dir.resolve("token-pub.der");
            run(dir, "pkcs11-tool", "--module", LIBRARY.toString(), "--token-label", TOKEN, "--read-object", "--type", "pubkey",
                    "--label", "est4j-ca-default", "--output-file", pub.toString());
            assertArrayEquals(caCert.getPublicKey().getEncoded(), Files.readAllBytes(pub));
        }

        // a restart uses the token's key again
        try (LocalCa again = LocalCa.openOrCreate(caDir, settings(KeyAlgorithm.EC_P256, byLabel("est4j-ca-default")), home)) {
            assertEquals(caCert, again.certificate());
            issue(again, "device-2").verify(caCert.getPublicKey());
        }
    }

    @Test
    void aRolloverGeneratesTheNewKeyInTheTokenUnderADerivedLabelAndItsEndDeletesTheOldOne() throws Exception {
        Path home = home(dir.resolve("rollover"), PIN);
        Path caDir = home.resolve("ca").resolve("default");
        CaSettings settings = settings(KeyAlgorithm.EC_P256, byLabel("est4j-ca-roll"));
        X509Certificate oldRoot;
        X509Certificate newRoot;
        X509Certificate a;
        try (LocalCa ca = LocalCa.openOrCreate(caDir, settings, home)) {
            oldRoot = ca.certificate();
            a = issue(ca, "before-rollover");
            LocalCa.RolloverReport report = ca.rollover();
            assertEquals(2, report.generation());
            newRoot = ca.certificate();
            assertEquals(3, ca.caCertificates().size());
            ca.caCertificates().get(1).verify(oldRoot.getPublicKey()); // NewWithOld: signed by the old key in the token
            ca.caCertificates().get(2).verify(newRoot.getPublicKey()); // OldWithNew: signed by the new key in the token
            issue(ca, "after-rollover").verify(newRoot.getPublicKey());
            assertFalse(Files.exists(caDir.resolve("generation-2/ca-key.pem")), "no key file for a key in a token");
        }
        KeyStore token = freshKeyStore(tokenSlot, PIN);
        Key key = token.getKey("est4j-ca-roll.g2", null);
        assertTrue(key instanceof PrivateKey, "the new key is in the token under the derived label");
        assertNull(key.getEncoded(), "and cannot be extracted");
        assertEquals(newRoot, token.getCertificate("est4j-ca-roll.g2"));
        assertTrue(token.isKeyEntry("est4j-ca-roll"), "the old key stays during the overlap");

        try (LocalCa ca = LocalCa.openOrCreate(caDir, settings, home)) {
            assertEquals(2, ca.generation());
            assertEquals(newRoot, ca.certificate());
            assertTrue(ca.isIssuerOf(a));
            ca.crl(1).orElseThrow().verify(oldRoot.getPublicKey()); // the old key in the token still signs its CRL
            ca.finishRollover();
        }
        assertFalse(freshKeyStore(tokenSlot, PIN).containsAlias("est4j-ca-roll"), "the end of the overlap deletes the old key");
        try (LocalCa ca = LocalCa.openOrCreate(caDir, settings, home)) {
            assertEquals(List.of(newRoot), ca.caCertificates());
            issue(ca, "after-the-end").verify(newRoot.getPublicKey());
        }
    }

    @Test
    void aSecondInstanceOnTheSameTokenSignsWithTheSameKey() throws Exception {
        Path home1 = home(dir.resolve("one"), PIN);
        Path caDir1 = home1.resolve("ca").resolve("default");
        // the second instance: another EST_HOME, the token by slot id, the PIN from the environment
        Path home2 = Files.createDirectories(dir.resolve("two"));
        Path caDir2 = home2.resolve("ca").resolve("default");
        Pkcs11Settings bySlot = new Pkcs11Settings(LIBRARY, OptionalLong.of(tokenSlot), null, "shared", null, PIN_ENV);
        assumeTrue(PIN.equals(System.getenv(PIN_ENV)), PIN_ENV + " is not set: run through Maven");
        try (LocalCa one = LocalCa.openOrCreate(caDir1, settings(KeyAlgorithm.EC_P256, byLabel("shared")), home1);
             LocalCa two = LocalCa.openOrCreate(caDir2, settings(KeyAlgorithm.EC_P256, bySlot), home2)) {
            assertEquals(one.certificate(), two.certificate());
            assertArrayEquals(Files.readAllBytes(caDir1.resolve("ca.pem")), Files.readAllBytes(caDir2.resolve("ca.pem")),
                    "the second instance writes its ca.pem from the token");
            assertFalse(Files.exists(caDir2.resolve("ca-key.pem")));
            X509Certificate fromTwo = issue(two, "device-of-two");
            fromTwo.verify(one.certificate().getPublicKey());
            opensslVerifies(caDir1, fromTwo);
            issue(one, "device-of-one").verify(two.certificate().getPublicKey());
            two.crl().verify(one.certificate().getPublicKey());
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P384", "RSA_2048"})
    void otherKeyAlgorithmsAreGeneratedInTheToken(KeyAlgorithm alg) throws Exception {
        Path home = home(dir.resolve("home"), OTHER_PIN);
        Path caDir = home.resolve("ca").resolve("default");
        Pkcs11Settings token = new Pkcs11Settings(LIBRARY, OptionalLong.of(otherSlot), null, "ca-" + alg.name(), Path.of("ca-pin"), null);
        try (LocalCa ca = LocalCa.openOrCreate(caDir, settings(alg, token), home)) {
            assertEquals(alg == KeyAlgorithm.RSA_2048 ? "RSA" : "EC", ca.certificate().getPublicKey().getAlgorithm());
            assertEquals(alg.signatureAlgorithm().toUpperCase(java.util.Locale.ROOT),
                    ca.certificate().getSigAlgName().toUpperCase(java.util.Locale.ROOT));
            X509Certificate leaf = issue(ca, "device");
            leaf.verify(ca.certificate().getPublicKey());
            opensslVerifies(caDir, leaf);
            ca.crl().verify(ca.certificate().getPublicKey());
        }
        assertNull(freshKeyStore(otherSlot, OTHER_PIN).getKey("ca-" + alg.name(), null).getEncoded());
    }

    /** The one-line reason a CA refuses to open with. */
    private static String refusal(Path caDir, CaSettings settings, Path home) {
        IOException e = assertThrows(IOException.class, () -> LocalCa.openOrCreate(caDir, settings, home).close());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aWrongPinRefusesToOpen() throws Exception {
        Path home = home(dir.resolve("home"), "000000");
        String m = refusal(home.resolve("ca").resolve("default"), settings(KeyAlgorithm.EC_P256, new Pkcs11Settings(LIBRARY,
                OptionalLong.empty(), PIN_TOKEN, "est4j-ca-default", Path.of("ca-pin"), null)), home);
        assertTrue(m.contains("wrong PIN") && m.contains("token '" + PIN_TOKEN + "'"), m);
        assertFalse(m.contains("000000"), "the PIN is never echoed: " + m);
        assertFalse(Files.exists(home.resolve("ca").resolve("default").resolve("ca.pem")));
    }

    @Test
    void aMissingPinFileModuleOrTokenRefusesToOpen() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path caDir = home.resolve("ca").resolve("default");
        assertTrue(refusal(caDir, settings(KeyAlgorithm.EC_P256, byLabel("x")), home).contains("PIN file"));
        home(home, PIN);
        String m = refusal(caDir, settings(KeyAlgorithm.EC_P256, new Pkcs11Settings(Path.of("/nonexistent/libpkcs11.so"),
                OptionalLong.empty(), TOKEN, "x", Path.of("ca-pin"), null)), home);
        assertTrue(m.contains("/nonexistent/libpkcs11.so") && m.contains("does not exist"), m);
        m = refusal(caDir, settings(KeyAlgorithm.EC_P256, new Pkcs11Settings(LIBRARY, OptionalLong.empty(), "no-such-token", "x",
                Path.of("ca-pin"), null)), home);
        assertTrue(m.contains("no token labelled 'no-such-token'") && m.contains("'" + TOKEN + "'"), m);
        m = refusal(caDir, settings(KeyAlgorithm.EC_P256, new Pkcs11Settings(LIBRARY, OptionalLong.of(tokenSlot), null, "x", null,
                "EST4J_TEST_NO_SUCH_VARIABLE")), home);
        assertTrue(m.contains("EST4J_TEST_NO_SUCH_VARIABLE") && m.contains("not set"), m);
    }

    @Test
    void aCaPemWhoseKeyIsNotInTheTokenRefusesToOpen() throws Exception {
        Path home = home(dir.resolve("home"), PIN);
        Path caDir = home.resolve("ca").resolve("default");
        // a ca.pem of a file CA, then the token is configured: its key is not in the token
        Path fileCa = dir.resolve("file-ca");
        try (LocalCa file = LocalCa.openOrCreate(fileCa, new CaSettings("default", KeyAlgorithm.EC_P256, "CN=Token CA", 3650, 30,
                List.of(CLIENT_AUTH), new org.est4j.spi.CsrAttributes(List.of()), false, 60, org.est4j.jaxrs.policy.RequestPolicy.DEFAULTS))) {
            Files.createDirectories(caDir);
            Files.copy(fileCa.resolve("ca.pem"), caDir.resolve("ca.pem"));
        }
        String m = refusal(caDir, settings(KeyAlgorithm.EC_P256, byLabel("never-generated")), home);
        assertTrue(m.contains("exists but its key is not in token 'est4j-test'") && m.contains("never-generated"), m);

        // a key in the token under that label, but the ca.pem is another CA's
        Path other = home(dir.resolve("other"), PIN);
        try (LocalCa ignored = LocalCa.openOrCreate(other.resolve("ca").resolve("default"),
                settings(KeyAlgorithm.EC_P256, byLabel("mismatched")), other)) {
            // creates the key labelled "mismatched"
        }
        m = refusal(caDir, settings(KeyAlgorithm.EC_P256, byLabel("mismatched")), home);
        assertTrue(m.contains("is not the one of the key in token 'est4j-test'"), m);
    }

    @Test
    void theReasonOfAPkcs11FailureIsOneReadableLine() {
        List<Throwable> chain = new ArrayList<>();
        chain.add(new IOException("load failed", new javax.security.auth.login.FailedLoginException("CKR_PIN_INCORRECT")));
        assertEquals("wrong PIN (CKR_PIN_INCORRECT)", Pkcs11Key.reason(chain.get(0)));
        assertEquals("first line", Pkcs11Key.reason(new IllegalStateException("first line\nsecond line")));
    }

    @Test
    void est4jPropertiesPutTheDefaultCaInTheTokenForTheWholeHome() throws Exception {
        Path home = home(dir.resolve("home"), PIN);
        Files.writeString(home.resolve("est4j.properties"), "ca.default.key-store = pkcs11\n"
                + "ca.default.pkcs11.library = " + LIBRARY + "\n"
                + "ca.default.pkcs11.token-label = " + TOKEN + "\n"
                + "ca.default.pkcs11.key-label = home-ca\n"
                + "ca.default.pkcs11.pin-file = ca-pin\n");
        X509Certificate caCert;
        try (org.est4j.war.EstHome est = org.est4j.war.EstHome.open(home)) {
            caCert = est.localCas().get("default").certificate();
        }
        assertFalse(Files.exists(home.resolve("ca").resolve("default").resolve("ca-key.pem")));
        assertEquals(caCert, Pem.readCertificates(home.resolve("ca.pem")).get(0));
        // the HTTPS certificate of the first start is issued through the token
        X509Certificate server = Pem.readCertificates(home.resolve("tls-server.pem")).get(0);
        server.verify(caCert.getPublicKey());
        assertEquals(caCert, freshKeyStore(tokenSlot, PIN).getCertificate("home-ca"));
        try (org.est4j.war.EstHome again = org.est4j.war.EstHome.open(home)) {
            assertEquals(caCert, again.localCas().get("default").certificate());
        }
    }
}

package org.est4j.war.cmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.EnrollmentRequest;
import org.est4j.spi.Issued;
import org.est4j.war.Pem;
import org.est4j.war.config.CmpSettings;
import org.est4j.war.config.ConfigException;
import org.est4j.war.config.Est4jConfig;

/**
 * A CMP CA whose RA key sits in a SoftHSM2 token ({@code ca.<name>.cmp.signature.key-store = pkcs11}), driven against
 * OpenSSL's {@code openssl cmp} mock server, which verifies the request signature with the RA certificate on its own
 * ({@code -srv_trusted}).
 *
 * <p>Runs in a JVM of its own (est-war's pom, execution {@code cmp-pkcs11}, its own {@code SOFTHSM2_CONF}): SoftHSM
 * reads its token directory once per process, so the tokens made here would be invisible to a JVM in which
 * {@code Pkcs11LocalCaTest} loaded SoftHSM first, and that test wipes the directory it is given.
 */
class CmpUpstreamPkcs11Test {

    private static final Path LIBRARY = org.est4j.war.SoftHsmTokens.LIBRARY;
    private static final String TOKEN = "est4j-cmp-ra";
    private static final String PIN = "246810";
    private static final AuthenticatedClient DEVICE = new AuthenticatedClient(List.of(), Optional.of("device"),
            java.util.Set.of(org.est4j.spi.AuthenticationMethod.HTTP_BASIC), "127.0.0.1");

    @TempDir
    static Path home;
    static CmpFixtures pki;
    /** The RA key pair generated in the token (its private half a token handle) and its certificate. */
    static KeyPair tokenRa;
    static X509Certificate tokenRaCertificate;

    @BeforeAll
    static void tokenWithAnRaKey() throws Exception {
        assumeTrue(CmpFixtures.opensslCmp(), "openssl cmp is not installed");
        org.est4j.war.SoftHsmTokens.freshTokenDirectory("est-war's surefire execution cmp-pkcs11");
        String out = run("softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", "so-" + PIN);
        java.util.regex.Matcher slot = java.util.regex.Pattern.compile("reassigned to slot (\\d+)").matcher(out);
        assertTrue(slot.find(), out);

        pki = new CmpFixtures(home);
        // the RA key is generated inside the token, as an operator would (pkcs11-tool --keypairgen): never extractable
        Provider provider = Security.getProvider("SunPKCS11").configure("--name = cmp-test\n"
                + "library = \"" + LIBRARY + "\"\nslot = " + slot.group(1) + "\n"
                + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n  CKA_TOKEN = true\n  CKA_PRIVATE = true\n"
                + "  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n"
                + "attributes(generate, CKO_PUBLIC_KEY, *) = {\n  CKA_TOKEN = true\n}\n");
        KeyStore token = KeyStore.getInstance("PKCS11", provider);
        token.load(null, PIN.toCharArray());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        tokenRa = generator.generateKeyPair();
        assertNull(tokenRa.getPrivate().getEncoded(), "the token keeps the RA key to itself");
        tokenRaCertificate = CmpFixtures.certificate("CN=est4j token RA", tokenRa, "CN=Upstream CMP CA", pki.caKey.getPrivate(), false);
        token.setKeyEntry("cmp-ra", tokenRa.getPrivate(), null, new Certificate[] {tokenRaCertificate});
        Files.write(home.resolve("token-ra.pem"), Pem.certificates(List.of(tokenRaCertificate, pki.ca)));
        Path pin = home.resolve("ra-pin");
        Files.writeString(pin, PIN + "\n");
        Files.setPosixFilePermissions(pin, PosixFilePermissions.fromString("rw-------"));
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + ": " + out);
        return out;
    }

    /** A signature-protected CMP CA whose RA key is the token's {@code keyLabel}; {@code extra} adds or overrides keys. */
    private static CmpUpstream upstream(String url, String keyLabel, Map<String, String> extra) throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("ca.up.type", "cmp");
        keys.put("ca.up.cmp.url", url);
        keys.put("ca.up.cmp.protection", "signature");
        keys.put("ca.up.cmp.signature.key-store", "pkcs11");
        keys.put("ca.up.pkcs11.library", LIBRARY.toString());
        keys.put("ca.up.pkcs11.token-label", TOKEN);
        keys.put("ca.up.pkcs11.key-label", keyLabel);
        keys.put("ca.up.pkcs11.pin-file", "ra-pin");
        keys.put("ca.up.cmp.server-certificate", "server.pem");
        keys.put("ca.up.cmp.timeout-seconds", "10");
        keys.put("label.up.ca", "up");
        keys.putAll(extra);
        CmpSettings settings = Est4jConfig.parse(keys, "test").cmpCas().get("up");
        return CmpUpstream.open(settings, home);
    }

    private static CmpFixtures.MockServer signingServer(String name) throws Exception {
        // -srv_trusted: the mock server verifies each request's signature with the RA certificate in its extraCerts,
        // which must chain to the upstream CA; an unverifiable request gets an error response, not a certificate
        return new CmpFixtures.MockServer(home, name, List.of("-srv_cert", pki.file("server.pem").toString(),
                "-srv_key", pki.file("server-key.pem").toString(), "-srv_trusted", pki.file("ca.pem").toString(),
                "-rsp_cert", pki.file("client.pem").toString()));
    }

    private static EnrollmentRequest enrollment() throws Exception {
        return new EnrollmentRequest(Optional.of("up"), CmpFixtures.csr("CN=device-1,O=Example", pki.clientKey), DEVICE);
    }

    @Test
    void enrollsWithTheTokensRaKeyAndTheTokensCertificate() throws Exception {
        try (CmpFixtures.MockServer server = signingServer("token")) {
            Issued issued = assertInstanceOf(Issued.class, upstream(server.url(), "cmp-ra", Map.of()).enroll(enrollment()));
            assertEquals(pki.client, issued.certificate());
            String log = server.log();
            assertTrue(log.contains("received P10CR") && log.contains("received CERTCONF"), log);
            assertTrue(log.contains("received P10CR\nCMP DEBUG: validating CMP message\n"), log);
            assertTrue(log.contains("sending CP"), "the token's signature verified with the RA certificate: " + log);
        }
    }

    @Test
    void enrollsWithTheTokensRaKeyAndAConfiguredCertificateChain() throws Exception {
        try (CmpFixtures.MockServer server = signingServer("token-chain")) {
            Issued issued = assertInstanceOf(Issued.class, upstream(server.url(), "cmp-ra",
                    Map.of("ca.up.cmp.signature.certificates", "token-ra.pem")).enroll(enrollment()));
            assertEquals(pki.client, issued.certificate());
        }
    }

    @Test
    void theMockServerReallyVerifiesTheSignature() throws Exception {
        // the control of the cases above: trusting another anchor than the RA certificate's issuer, the server refuses
        try (CmpFixtures.MockServer server = new CmpFixtures.MockServer(home, "untrusted", List.of("-srv_cert",
                pki.file("server.pem").toString(), "-srv_key", pki.file("server-key.pem").toString(),
                "-srv_trusted", pki.file("server.pem").toString(), "-rsp_cert", pki.file("client.pem").toString()))) {
            CmpUpstream upstream = upstream(server.url(), "cmp-ra", Map.of());
            Exception e = assertThrows(Exception.class, () -> upstream.enroll(enrollment()));
            assertTrue(e.getMessage().startsWith("the upstream CA refused the request"), e.getMessage());
            assertFalse(server.log().contains("sending CP"), server.log());
        }
    }

    @Test
    void anRaCertificateOfAnotherKeyIsRefusedAtStart() {
        // ra.pem certifies the fixtures' PEM RA key, not the token's
        ConfigException e = assertThrows(ConfigException.class, () -> upstream("http://127.0.0.1:9/", "cmp-ra",
                Map.of("ca.up.cmp.signature.certificates", "ra.pem")));
        assertEquals("CMP CA 'up': the key 'cmp-ra' in token '" + TOKEN + "' is not the key of the RA certificate CN=est4j RA: "
                + "the upstream would refuse every signature", e.getMessage());
    }

    @Test
    void aKeyLabelTheTokenDoesNotHaveIsRefusedAtStart() {
        ConfigException e = assertThrows(ConfigException.class, () -> upstream("http://127.0.0.1:9/", "no-such-ra", Map.of()));
        assertEquals("CMP CA 'up': token '" + TOKEN + "' has no private key labelled 'no-such-ra' (ca.up.pkcs11.key-label) "
                + "with a certificate next to it", e.getMessage());
    }
}

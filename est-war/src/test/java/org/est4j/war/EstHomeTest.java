package org.est4j.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import org.est4j.jaxrs.auth.HashedCredentialStore;
import org.est4j.war.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EstHomeTest {

    @TempDir
    Path dir;

    private String mode(String file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file)));
    }

    @Test
    void firstStartCreatesEverythingWithSafePermissions() throws Exception {
        try (EstHome home = EstHome.open(dir)) {
            X509Certificate ca = home.localCas().get("default").certificate();
            assertEquals(ca, Pem.readCertificates(dir.resolve("ca.pem")).get(0));
            assertEquals(List.of(ca), home.clientTrustAnchors());

            List<X509Certificate> server = Pem.readCertificates(dir.resolve("tls-server.pem"));
            assertEquals(2, server.size(), "server certificate followed by the CA");
            assertEquals(ca, server.get(1));
            assertTrue(server.get(0).getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.28")));
            server.get(0).verify(ca.getPublicKey());

            assertEquals("rw-------", mode("tls-server-key.pem"));
            assertEquals("rw-------", mode("tls-server.p12"));
            assertEquals("rw-------", mode("wildfly-tls.cli"));
            String cli = Files.readString(dir.resolve("wildfly-tls.cli"));
            assertFalse(cli.contains("@EST_HOME@") || cli.contains("@TLS_PASSWORD@"), "placeholders filled in");
            assertTrue(cli.contains(dir.toAbsolutePath() + "/tls-server.p12"));
            assertEquals("rw-------", mode("initial-credentials"));
            assertEquals("rw-------", mode("users.properties"));

            String credentials = Files.readString(dir.resolve("initial-credentials"), StandardCharsets.US_ASCII);
            assertTrue(credentials.matches("est:[A-Za-z0-9_-]{24}\n"), "one line user:password");
            char[] password = credentials.strip().substring(4).toCharArray();
            assertTrue(new HashedCredentialStore(home.users()).verify("est", password));
            assertFalse(Files.readString(dir.resolve("users.properties")).contains(new String(password)),
                    "the users file holds the hash only");

            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve("client-truststore.p12"))) {
                trust.load(in, null); // no password
            }
            assertEquals(1, trust.size());
            assertEquals(ca, trust.getCertificate(trust.aliases().nextElement()));
        }
    }

    @Test
    void laterStartsKeepTheCaTheUsersAndTheServerCertificate() throws Exception {
        X509Certificate ca;
        try (EstHome home = EstHome.open(dir)) {
            ca = home.localCas().get("default").certificate();
        }
        String credentials = Files.readString(dir.resolve("initial-credentials"));
        byte[] server = Files.readAllBytes(dir.resolve("tls-server.pem"));
        try (EstHome home = EstHome.open(dir)) {
            assertEquals(ca, home.localCas().get("default").certificate());
        }
        assertEquals(credentials, Files.readString(dir.resolve("initial-credentials")));
        assertTrue(java.util.Arrays.equals(server, Files.readAllBytes(dir.resolve("tls-server.pem"))));
    }

    @Test
    void usersFromTheConfigurationFileJoinTheUsersFile() throws Exception {
        String hash = org.est4j.jaxrs.auth.PasswordHashes.hash("router-pw".toCharArray());
        Files.writeString(dir.resolve("est4j.properties"), "user.router = " + hash + "\n");
        try (EstHome home = EstHome.open(dir)) {
            HashedCredentialStore store = new HashedCredentialStore(home.users());
            assertTrue(store.verify("router", "router-pw".toCharArray()));
            assertTrue(home.users().containsKey("est"));
        }
        Files.writeString(dir.resolve("est4j.properties"), "user.est = " + hash + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> EstHome.open(dir));
        assertTrue(e.getMessage().contains("user.est"), e.getMessage());
    }

    @Test
    void theDataDirectoryIsEstHomeThenEstDotHomeThenWildflysDataDirThenTheUsersHome() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("EST_HOME") == null, "EST_HOME is set in this environment");
        String estHome = System.getProperty("est.home");
        String wildfly = System.getProperty("jboss.server.data.dir");
        try {
            System.setProperty("est.home", "/srv/est");
            System.setProperty("jboss.server.data.dir", "/opt/wildfly/standalone/data");
            assertEquals(Path.of("/srv/est"), EstHome.location());
            System.clearProperty("est.home");
            assertEquals(Path.of("/opt/wildfly/standalone/data/est4j"), EstHome.location());
            System.clearProperty("jboss.server.data.dir");
            assertEquals(Path.of(System.getProperty("user.home"), ".est4j").toAbsolutePath(), EstHome.location());
        } finally {
            restore("est.home", estHome);
            restore("jboss.server.data.dir", wildfly);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void aBadConfigurationStopsStartNamingTheKey() throws Exception {
        Files.writeString(dir.resolve("est4j.properties"), "ca.default.key-algorithm = DSA\n");
        ConfigException e = assertThrows(ConfigException.class, () -> EstHome.open(dir));
        assertTrue(e.getMessage().contains("ca.default.key-algorithm"), e.getMessage());
    }

    @Test
    void labelledCasGetTheirOwnKeysAndAllBecomeTrustAnchors() throws Exception {
        Files.writeString(dir.resolve("est4j.properties"), "ca.iot.key-algorithm = Ed25519\nlabel.iot.ca = iot\n");
        try (EstHome home = EstHome.open(dir)) {
            assertEquals(2, home.localCas().size());
            assertEquals("EdDSA", home.localCas().get("iot").certificate().getPublicKey().getAlgorithm());
            assertEquals(2, home.clientTrustAnchors().size());
        }
    }
}

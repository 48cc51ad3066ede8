package org.est4j.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.est4j.war.localca.LocalCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Admin rollover} on a stopped instance: refused while a server holds the CA; afterwards the next start serves
 * the three certificates, trusts both roots for TLS clients (the trust store the connector reads too) and gives clients
 * both roots in {@code EST_HOME/ca.pem}; {@code --finish} ends it; the audit trail records both.
 */
class AdminRolloverTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int admin(String... args) throws Exception {
        out.reset();
        err.reset();
        return Admin.run(args, home, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<X509Certificate> truststore() throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(home.resolve("client-truststore.p12"))) {
            ks.load(in, null);
        }
        List<X509Certificate> all = new ArrayList<>();
        for (String alias : java.util.Collections.list(ks.aliases())) {
            all.add((X509Certificate) ks.getCertificate(alias));
        }
        return all;
    }

    /** What the console calls in a running instance ({@code Est4jRuntime.rollover} without its CDI bean around it). */
    @Test
    void aRunningInstanceRollsOverInProcessAndIssuesWithTheNewKeyAtOnce() throws Exception {
        try (EstHome running = EstHome.open(home)) {
            LocalCa ca = running.localCas().get("default");
            X509Certificate oldRoot = ca.certificate();
            LocalCa.RolloverReport report = CaRollover.run(ca, running.store(), home, running.config(), false, "console test");
            assertEquals(2, report.generation());
            assertEquals(1, report.previous());
            assertEquals(ca.caCertificates(), report.caCertificates());
            X509Certificate issued = ca.issue(new LocalCa.Profile(new javax.security.auth.x500.X500Principal("CN=in-process"),
                    org.est4j.war.config.KeyAlgorithm.EC_P256.generate().getPublic(), null, List.of()));
            issued.verify(ca.certificate().getPublicKey());
            assertEquals(List.of(oldRoot, ca.certificate()), Pem.readCertificates(home.resolve("ca.pem")));
            assertEquals(2, truststore().size(), "ready for the next start");
            LocalCa.RolloverRefusedException again = org.junit.jupiter.api.Assertions.assertThrows(LocalCa.RolloverRefusedException.class,
                    () -> CaRollover.run(ca, running.store(), home, running.config(), false, "console test"));
            assertTrue(again.getMessage().contains("still in the overlap"), again.getMessage());
            assertEquals(0, CaRollover.run(ca, running.store(), home, running.config(), true, "console test").previous());
            assertEquals(List.of(ca.certificate()), ca.caCertificates());
            assertEquals(List.of(ca.certificate()), truststore());
        }
    }

    @Test
    void rollsOverAStoppedInstanceOnlyAndTheNextStartServesAndTrustsBothKeys() throws Exception {
        X509Certificate oldRoot;
        try (EstHome running = EstHome.open(home)) {
            oldRoot = running.localCas().get("default").certificate();
            assertEquals(1, admin("rollover", "default"));
            assertTrue(err.toString().startsWith("est4j is running with local CA default ("), err.toString());
            assertTrue(err.toString().contains("stop it first"), err.toString());
        }
        assertEquals(2, admin("rollover"));
        assertEquals("usage: est4j-admin rollover <ca> [--finish]\n", err.toString());
        assertEquals(1, admin("rollover", "nosuch"));
        assertEquals("no local CA named 'nosuch' in est4j.properties (local CAs: default)\n", err.toString());

        assertEquals(0, admin("rollover", "default"), err::toString);
        assertTrue(out.toString().startsWith("local CA default rolled over from key generation 1 to 2; the overlap lasts until "),
                out.toString());
        assertEquals(1, admin("rollover", "default"));
        assertTrue(err.toString().contains("end it first with 'rollover --finish default'"), err.toString());
        // before any start: the TLS connector reads the trust store before est4j could rewrite it
        assertEquals(2, truststore().size());
        assertTrue(truststore().contains(oldRoot));

        try (EstHome restarted = EstHome.open(home)) {
            LocalCa ca = restarted.localCas().get("default");
            assertEquals(2, ca.generation());
            assertEquals(3, ca.caCertificates().size());
            assertEquals(List.of(ca.certificate(), oldRoot), restarted.clientTrustAnchors());
            List<X509Certificate> trusted = truststore();
            assertEquals(2, trusted.size());
            assertTrue(trusted.containsAll(List.of(ca.certificate(), oldRoot)));
            assertEquals(List.of(oldRoot, ca.certificate()), Pem.readCertificates(home.resolve("ca.pem")),
                    "the old root stays first: the HTTPS server certificate is still the old key's");
        }

        assertEquals(0, admin("rollover", "default", "--finish"), err::toString);
        assertTrue(out.toString().startsWith("local CA default: the overlap ended; key generation 1 and the link certificates were deleted"),
                out.toString());
        assertEquals(1, truststore().size());
        assertTrue(!truststore().contains(oldRoot), "the old root no longer authenticates anyone");
        try (EstHome restarted = EstHome.open(home)) {
            LocalCa ca = restarted.localCas().get("default");
            assertEquals(List.of(ca.certificate()), ca.caCertificates());
            assertEquals(List.of(ca.certificate()), restarted.clientTrustAnchors());
        }

        List<String> events = new ArrayList<>();
        for (String line : Files.readAllLines(home.resolve("audit/audit.log"), StandardCharsets.UTF_8)) {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            if ("rolled_over".equals(n.path("event").asText())) {
                assertEquals("default", n.path("ca").asText());
                assertTrue(n.path("actor").asText().startsWith("admin "));
                events.add(n.path("operation").asText() + ": " + n.path("reason").asText());
            }
        }
        assertEquals(2, events.size(), events::toString);
        assertTrue(events.get(0).startsWith("rollover: local CA default rolled over from key generation 1 to 2"), events.get(0));
        assertTrue(events.get(1).startsWith("rollover-finish: local CA default: the overlap ended"), events.get(1));
    }
}

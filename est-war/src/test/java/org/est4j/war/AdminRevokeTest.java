package org.est4j.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.est4j.war.config.CaSettings;
import org.est4j.war.config.KeyAlgorithm;
import org.est4j.war.localca.LocalCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Admin revoke} while a server holds the CA open: the server's next look-up sees the revocation. */
class AdminRevokeTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int admin(String... args) throws Exception {
        out.reset();
        err.reset();
        return Admin.run(args, home, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static CaSettings settings() {
        return new CaSettings("default", KeyAlgorithm.EC_P256, "CN=Admin Test CA", 3650, 30, List.of("1.3.6.1.5.5.7.3.2"),
                new org.est4j.spi.CsrAttributes(List.of()), false, 60,
                org.est4j.jaxrs.policy.RequestPolicy.DEFAULTS);
    }

    @Test
    void revokesACertificateTheRunningServerThenRefuses() throws Exception {
        try (LocalCa running = LocalCa.openOrCreate(home.resolve("ca").resolve("default"), settings())) {
            KeyPair key = KeyAlgorithm.EC_P256.generate();
            X509Certificate device = running.issue(new LocalCa.Profile(new X500Principal("CN=stolen-device"), key.getPublic(), null,
                    List.of()));
            String serial = device.getSerialNumber().toString(16);
            assertTrue(running.revocations().find(device.getSerialNumber()).isEmpty());

            assertEquals(0, admin("revoke", serial, "keyCompromise"), err::toString);
            assertTrue(out.toString().startsWith("revoked " + serial + " (CN=stolen-device, CA default, reason keyCompromise"), out.toString());
            assertEquals(1, running.revocations().find(device.getSerialNumber()).orElseThrow().reason());

            assertEquals(0, admin("revoke", serial.toUpperCase(), "superseded"));
            assertTrue(out.toString().startsWith("already revoked " + serial), out.toString());
            assertEquals(1, running.revocations().find(device.getSerialNumber()).orElseThrow().reason(), "the first reason stands");

            // the revocation is in the audit trail, once (the repetition changed nothing), read by Jackson
            List<com.fasterxml.jackson.databind.JsonNode> revoked = new java.util.ArrayList<>();
            for (String line : java.nio.file.Files.readAllLines(home.resolve("audit/audit.log"), StandardCharsets.UTF_8)) {
                com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
                if ("revoked".equals(n.path("event").asText())) {
                    revoked.add(n);
                }
            }
            assertEquals(1, revoked.size());
            assertEquals(serial, revoked.get(0).path("serial").asText());
            assertEquals("keyCompromise", revoked.get(0).path("reason").asText());
            assertEquals("default", revoked.get(0).path("ca").asText());
            assertTrue(revoked.get(0).path("actor").asText().startsWith("admin "));
        }
    }

    @Test
    void refusesWhatNoLocalCaIssuedAndUnknownReasons() throws Exception {
        try (LocalCa running = LocalCa.openOrCreate(home.resolve("ca").resolve("default"), settings())) {
            X509Certificate device = running.issue(new LocalCa.Profile(new X500Principal("CN=d"),
                    KeyAlgorithm.EC_P256.generate().getPublic(), null, List.of()));
            assertEquals(1, admin("revoke", "0123abcd"));
            assertTrue(err.toString().contains("issued serial 123abcd"), err.toString());
            assertEquals(2, admin("revoke", device.getSerialNumber().toString(16), "removeFromCRL"));
            assertEquals(2, admin("revoke", "not-hex"));
            assertEquals(2, admin("revoke"));
            assertEquals(0, admin("revoke", device.getSerialNumber().toString(16), "9", "--ca", "default"));
            assertEquals(9, running.revocations().find(device.getSerialNumber()).orElseThrow().reason());
        }
    }
}

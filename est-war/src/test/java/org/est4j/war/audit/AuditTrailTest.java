package org.est4j.war.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.est4j.jaxrs.events.Decision;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.AuthenticationMethod;
import org.est4j.spi.CertificationRequest;
import org.est4j.spi.SubjectAltName;
import org.est4j.war.config.AuditSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit file as an operator reads it: one JSON object per line, parsed by Jackson. */
class AuditTrailTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void aRefusalAndAnApprovalAreOneLineEach() throws Exception {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        CertificationRequest csr = new CertificationRequest(new byte[] {0x30, 0}, new X500Principal("CN=dev\\\"ice,O=x"),
                generator.generateKeyPair().getPublic(), List.of(new SubjectAltName(SubjectAltName.Type.DNS_NAME, "a.example")),
                List.of(), Optional.of("the-otp-secret"));
        AuthenticatedClient client = new AuthenticatedClient(List.of(), Optional.of("alice\nfake"), Set.of(AuthenticationMethod.HTTP_BASIC),
                "192.0.2.7");
        try (AuditTrail trail = AuditTrail.open(home, new AuditSettings(true, "audit/audit.log", 1 << 20, 3))) {
            trail.decided(Decision.onRequest(Decision.Outcome.REFUSED, "enroll", Optional.of("iot"), client, csr, null, 403,
                    "subject not allowed"));
            AuditLog.install(trail);
            try {
                AuditLog.decided(true, "default", "0123456789abcdef0123456789abcdef", "operator", "looks right");
                AuditLog.revoked("revoke", "default", BigInteger.valueOf(0xabcdef), "operator", AuditLog.reasonName(1), Optional.empty());
            } finally {
                AuditLog.uninstall(trail);
            }
        }
        List<String> lines = Files.readAllLines(home.resolve("audit/audit.log"), StandardCharsets.UTF_8);
        assertEquals(3, lines.size(), String.join("\n", lines));
        JsonNode refused = JSON.readTree(lines.get(0));
        assertEquals("refused", refused.get("event").asText());
        assertEquals("enroll", refused.get("operation").asText());
        assertEquals("iot", refused.get("label").asText());
        assertEquals("alice\nfake", refused.get("client_user").asText());
        assertEquals("http-basic", refused.get("authenticated_by").get(0).asText());
        assertEquals("192.0.2.7", refused.get("peer_address").asText());
        assertEquals("CN=dev\\\"ice,O=x", refused.get("requested_subject").asText());
        assertEquals("dns-name:a.example", refused.get("requested_san").get(0).asText());
        assertEquals("EC-256", refused.get("key_type").asText());
        assertEquals(403, refused.get("status").asInt());
        assertEquals("subject not allowed", refused.get("reason").asText());
        assertTrue(refused.get("time").asText().endsWith("Z"));
        assertFalse(lines.get(0).contains("the-otp-secret"), "the challengePassword is never written");
        JsonNode approved = JSON.readTree(lines.get(1));
        assertEquals("approved", approved.get("event").asText());
        assertEquals("default", approved.get("ca").asText());
        assertEquals("operator", approved.get("actor").asText());
        assertEquals("0123456789abcdef0123456789abcdef", approved.get("queue_id").asText());
        assertEquals("looks right", approved.get("reason").asText());
        JsonNode revoked = JSON.readTree(lines.get(2));
        assertEquals("revoked", revoked.get("event").asText());
        assertEquals("abcdef", revoked.get("serial").asText());
        assertEquals("keyCompromise", revoked.get("reason").asText());
    }

    @Test
    void rotationKeepsTheConfiguredNumberOfFiles() throws Exception {
        Path file = home.resolve("a.log");
        try (RotatingFile out = new RotatingFile(file, 100, 2)) {
            for (int i = 0; i < 10; i++) {
                out.append("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(30) + "\"}"); // 48 bytes: two per file
            }
        }
        assertEquals(List.of("{\"n\":8,\"pad\":\"" + "x".repeat(30) + "\"}", "{\"n\":9,\"pad\":\"" + "x".repeat(30) + "\"}"),
                Files.readAllLines(file));
        assertTrue(Files.readAllLines(home.resolve("a.log.1")).get(0).startsWith("{\"n\":6,"));
        assertTrue(Files.readAllLines(home.resolve("a.log.2")).get(0).startsWith("{\"n\":4,"));
        assertFalse(Files.exists(home.resolve("a.log.3")));
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
    }
}

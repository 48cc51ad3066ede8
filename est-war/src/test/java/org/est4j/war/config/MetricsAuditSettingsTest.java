package org.est4j.war.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.Test;

/** The {@code metrics.*} and {@code audit*} keys of est4j.properties: defaults, values, and the messages of bad ones. */
class MetricsAuditSettingsTest {

    private static Est4jConfig parse(Map<String, String> keys) {
        return Est4jConfig.parse(keys, "est4j.properties");
    }

    @Test
    void metricsAreOffAndTheAuditTrailOnByDefault() {
        Est4jConfig c = parse(Map.of());
        assertFalse(c.metrics().enabled());
        assertEquals(new AuditSettings(true, "audit/audit.log", 10L << 20, 10), c.audit());
    }

    @Test
    void theKeysAreRead() {
        Est4jConfig c = parse(Map.of("metrics.token-file", "metrics.token", "metrics.client-subject", "CN=prometheus, O=Example",
                "metrics.refresh-seconds", "5", "audit.file", "/var/log/est4j/audit.log", "audit.max-file-mb", "50", "audit.files", "3"));
        assertEquals(new MetricsSettings(Optional.of("metrics.token"), Optional.of(new X500Principal("CN=prometheus,O=Example")), 5),
                c.metrics());
        assertTrue(c.metrics().enabled());
        assertEquals(new AuditSettings(true, "/var/log/est4j/audit.log", 50L << 20, 3), c.audit());
        assertFalse(parse(Map.of("audit", "off")).audit().enabled());
    }

    @Test
    void badValuesNameTheKey() {
        assertEquals("est4j.properties: unknown key 'metrics.token' (metrics.token-file, metrics.client-subject, metrics.refresh-seconds)",
                assertThrows(ConfigException.class, () -> parse(Map.of("metrics.token", "x"))).getMessage());
        assertEquals("est4j.properties: 'audit' = 'yes': expected on or off",
                assertThrows(ConfigException.class, () -> parse(Map.of("audit", "yes"))).getMessage());
        assertEquals("est4j.properties: 'audit.files' = '0': expected a whole number from 1 to 1000",
                assertThrows(ConfigException.class, () -> parse(Map.of("audit.files", "0"))).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> parse(Map.of("metrics.client-subject", "not a name")))
                .getMessage().startsWith("est4j.properties: 'metrics.client-subject' = 'not a name': expected a distinguished name"));
    }
}

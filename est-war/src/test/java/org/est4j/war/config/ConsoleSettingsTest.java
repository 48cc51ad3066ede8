package org.est4j.war.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.Test;

/** The {@code console.*} keys: closed by default, the values, their messages, and their environment variables. */
class ConsoleSettingsTest {

    private static Est4jConfig parse(Map<String, String> keys) {
        return Est4jConfig.parse(keys, "est4j.properties");
    }

    @Test
    void theConsoleIsOffByDefault() {
        assertFalse(parse(Map.of()).console().enabled());
    }

    @Test
    void theKeysAreRead() {
        ConsoleSettings c = parse(Map.of("console.role", "est-operator", "console.client-subject", "CN=operator, O=Example")).console();
        assertEquals(new ConsoleSettings(Optional.of("est-operator"), Optional.of(new X500Principal("CN=operator,O=Example"))), c);
        assertTrue(c.enabled());
        assertTrue(parse(Map.of("console.role", "admins")).console().enabled());
    }

    @Test
    void badValuesNameTheKey() {
        assertEquals("est4j.properties: unknown key 'console.user' (console.role, console.client-subject)",
                assertThrows(ConfigException.class, () -> parse(Map.of("console.user", "x"))).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> parse(Map.of("console.role", "two words"))).getMessage()
                .startsWith("est4j.properties: 'console.role' = 'two words': expected a role name"));
        assertTrue(assertThrows(ConfigException.class, () -> parse(Map.of("console.client-subject", "not a name"))).getMessage()
                .startsWith("est4j.properties: 'console.client-subject' = 'not a name': expected a distinguished name"));
    }

    @Test
    void environmentVariablesNameTheKeys() {
        assertEquals(Optional.of("console.role"), KeyGrammar.keyFor("EST4J_CONSOLE_ROLE", Set.of()));
        assertEquals(Optional.of("console.client-subject"), KeyGrammar.keyFor("EST4J_CONSOLE_CLIENT_SUBJECT", Set.of()));
    }
}

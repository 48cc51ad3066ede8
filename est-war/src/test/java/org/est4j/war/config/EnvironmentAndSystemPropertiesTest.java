package org.est4j.war.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code est4j.properties} keys set by {@code EST4J_*} environment variables and {@code est4j.*} system properties:
 * precedence, the variable names, the same validation, and messages that name where a value came from.
 */
class EnvironmentAndSystemPropertiesTest {

    private static final String LIB = "/usr/lib/softhsm/libsofthsm2.so";

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path f = dir.resolve(Est4jConfig.FILE_NAME);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    private Est4jConfig load(String file, Map<String, String> env, Map<String, String> system) throws IOException {
        return Est4jConfig.load(file(file), env, system);
    }

    @Test
    void aVariableSetsTheKeyItNames() throws IOException {
        Est4jConfig c = load("", Map.of("EST4J_CA_DEFAULT_KEY_ALGORITHM", "RSA-3072", "EST4J_AUTH_BASIC_REALM", " devices ",
                "EST4J_POLICY_SERVER_KEYGEN", "true", "EST4J_STORE", "jdbc", "PATH", "/usr/bin", "HOME", "/root"), Map.of());
        assertEquals(KeyAlgorithm.RSA_3072, c.cas().get("default").keyAlgorithm());
        assertEquals("devices", c.basicRealm(), "values are stripped as in the file");
        assertTrue(c.policies().of(Optional.empty()).serverKeyGen());
        assertEquals(StoreSettings.Type.JDBC, c.store().type());
    }

    @Test
    void aSystemPropertyBeatsAVariableWhichBeatsTheFileWhichBeatsTheDefault() throws IOException {
        String file = "auth.basic-realm = from-file\n";
        Map<String, String> env = Map.of("EST4J_AUTH_BASIC_REALM", "from-env");
        Map<String, String> system = Map.of("est4j.auth.basic-realm", "from-system", "user.name", "root", "java.home", "/opt/jdk");
        assertEquals("from-system", load(file, env, system).basicRealm());
        assertEquals("from-env", load(file, env, Map.of()).basicRealm());
        assertEquals("from-file", load(file, Map.of(), Map.of()).basicRealm());
        assertEquals("est4j", load("", Map.of(), Map.of()).basicRealm());
        // only the value that wins is validated: a file value that a variable overrides is never read
        assertEquals("from-env", load("auth.basic-realm = \"quoted\"\n", env, Map.of()).basicRealm());
    }

    @Test
    void namesOfTheFileAreRecognisedInAnySpelling() throws IOException {
        Est4jConfig c = load("ca.iot-devices.subject = CN=IoT\nlabel.iot.ca = iot-devices\n",
                Map.of("EST4J_CA_IOT_DEVICES_KEY_ALGORITHM", "RSA-2048", "EST4J_LABEL_IOT_SERVER_KEYGEN", "on"), Map.of());
        assertEquals(Set.of("default", "iot-devices"), c.cas().keySet());
        assertEquals(KeyAlgorithm.RSA_2048, c.cas().get("iot-devices").keyAlgorithm());
        assertTrue(c.policies().of(Optional.of("iot")).serverKeyGen());
    }

    @Test
    void aNameOnlyInTheEnvironmentIsTakenLowerCaseAndTheLongestKeyWins() throws IOException {
        Est4jConfig c = load("", Map.of("EST4J_CA_FACTORY_LINE_SUBJECT", "CN=Factory", "EST4J_CA_FACTORY_LINE_CERT_VALIDITY_DAYS", "30",
                "EST4J_LABEL_FACTORY_CA", "factory_line"), Map.of());
        assertEquals("factory_line", c.caFor(Optional.of("factory")));
        assertEquals("CN=Factory", c.cas().get("factory_line").subject());
        assertEquals(30, c.cas().get("factory_line").certValidityDays());
    }

    @Test
    void anEst4jVariableThatSetsNoKeyIsRefusedByName() throws IOException {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("", Map.of("EST4J_AUTH_BASIC_REALMM", "x", "PATH", "/usr/bin"), Map.of()));
        assertTrue(e.getMessage().startsWith("environment variable EST4J_AUTH_BASIC_REALMM: sets no est4j.properties key"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("", Map.of("EST4J_VERSION", "1"), Map.of()));
        assertTrue(e.getMessage().startsWith("environment variable EST4J_VERSION: sets no est4j.properties key"), e.getMessage());
    }

    @Test
    void aVariableNamedByAnEnvKeyIsLeftAlone() throws IOException {
        Est4jConfig c = load("ca.default.key-store = pkcs11\nca.default.pkcs11.library = " + LIB + "\nca.default.pkcs11.token-label = t\n"
                        + "ca.default.pkcs11.pin-env = EST4J_CA_PIN\n",
                Map.of("EST4J_CA_PIN", "123456", "EST4J_STORE_JDBC_PASSWORD_ENV", "EST4J_DB_PASSWORD", "EST4J_DB_PASSWORD", "pw"), Map.of());
        assertEquals("EST4J_CA_PIN", c.cas().get("default").pkcs11().pinEnv());
        assertEquals(Optional.of("EST4J_DB_PASSWORD"), c.store().passwordEnv());
    }

    @Test
    void anUnknownSystemPropertyKeyIsRefusedByName() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> load("", Map.of(), Map.of("est4j.auth.basic-relm", "x")));
        assertEquals("system property est4j.auth.basic-relm: unknown key 'auth.basic-relm' (see docs/configuration.md)", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ca.default.pkcs11.pin | 31415926",
            "store.jdbc-password | s3cret-db",
            "user.alice | s3cret-password",
    })
    void aSecretIsRefusedFromEveryOriginAndNeverEchoed(String key, String secret) throws IOException {
        for (ConfigException e : List.of(
                assertThrows(ConfigException.class, () -> load(key + " = " + secret + "\n", Map.of(), Map.of())),
                assertThrows(ConfigException.class, () -> load("", Map.of(KeyGrammar.envName(key), secret), Map.of())),
                assertThrows(ConfigException.class, () -> load("", Map.of(), Map.of("est4j." + key, secret))))) {
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
            assertFalse(e.getMessage().contains(secret), e.getMessage());
            assertTrue(e.getMessage().contains("never"), e.getMessage());
        }
    }

    /** The same bad value gives the same message from the file, a variable and a system property, but for its origin. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "ca.default.validity-days | 0",
            "ca.default.key-algorithm | DSA-1024",
            "policy.channel-binding | sometimes",
            "limits.max-request-bytes | 12",
            "store | mysql",
            "store.jdbc-url | postgresql://db/est4j",
            "client-auth.revocation | crl,ocsp,guess",
            "proxy.client-cert.max-chain-length | 99",
            "auth.users | ldap",
    })
    void theSameBadValueGivesTheSameMessageWhereverItComesFrom(String key, String value) throws IOException {
        String fromFile = assertThrows(ConfigException.class, () -> load(key + " = " + value + "\n", Map.of(), Map.of())).getMessage();
        String fromEnv = assertThrows(ConfigException.class, () -> load("", Map.of(KeyGrammar.envName(key), value), Map.of())).getMessage();
        String fromSystem = assertThrows(ConfigException.class, () -> load("", Map.of(), Map.of("est4j." + key, value))).getMessage();
        assertTrue(fromFile.startsWith("est4j.properties: "), fromFile);
        String rest = fromFile.substring("est4j.properties".length());
        assertTrue(rest.contains(key), rest);
        assertEquals("environment variable " + KeyGrammar.envName(key) + rest, fromEnv);
        assertEquals("system property est4j." + key + rest, fromSystem);
    }

    @Test
    void aMessageAboutSeveralKeysNamesEachOrigin() throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> load("store.jdbc-password-file = db-password\n",
                Map.of("EST4J_STORE_JDBC_PASSWORD_ENV", "DB_PASSWORD"), Map.of()));
        assertEquals("est4j.properties and environment variable EST4J_STORE_JDBC_PASSWORD_ENV: set one of "
                + "'store.jdbc-password-file' and 'store.jdbc-password-env'", e.getMessage());
    }

    @Test
    void valuesAreTakenAsWrittenWithoutExpressionsOrProfiles() throws IOException {
        assertEquals("${user.home}", load("auth.basic-realm = ${user.home}\n", Map.of(), Map.of()).basicRealm());
        ConfigException e = assertThrows(ConfigException.class, () -> load("%dev.auth.basic-realm = x\n", Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("unknown key '%dev.auth.basic-realm'"), e.getMessage());
    }

    /** Every key of the grammar reads back from its variable, and the parser knows it (a bad value is not "unknown"). */
    @Test
    void everyKeyOfTheGrammarRoundTripsAndIsKnownToTheParser() {
        List<String> keys = new ArrayList<>(KeyGrammar.SINGLE);
        keys.addAll(KeyGrammar.STORE);
        keys.addAll(KeyGrammar.PROXY);
        KeyGrammar.CA.forEach(k -> keys.add("ca.default." + k));
        KeyGrammar.POLICY.forEach(k -> keys.add("policy." + k));
        KeyGrammar.POLICY.forEach(k -> keys.add("label.iot." + k));
        keys.add("label.iot.ca");
        keys.add("user.alice");
        for (String key : keys) {
            assertEquals(Optional.of(key), KeyGrammar.keyFor(KeyGrammar.envName(key), Set.of()), key);
            Map<String, String> m = new LinkedHashMap<>();
            m.put(key, "\u0001?");
            try {
                Est4jConfig.parse(m, "f");
            } catch (ConfigException e) {
                assertFalse(e.getMessage().contains("unknown key"), e.getMessage());
            }
        }
    }

    /** The real thing: a child JVM whose environment and system properties reach {@link Est4jConfig#load(Path)}. */
    @Test
    void theProcessEnvironmentAndSystemPropertiesReachLoad() throws Exception {
        Path f = file("auth.basic-realm = from-file\nlimits.max-request-bytes = 4096\n");
        List<String> ok = probe(f, Map.of("EST4J_AUTH_BASIC_REALM", "from-env", "EST4J_CA_DEFAULT_KEY_ALGORITHM", "RSA-2048"),
                List.of("-Dest4j.limits.max-request-bytes=2048"));
        assertEquals(List.of("realm=from-env", "max-request-bytes=2048", "default-ca=RSA_2048"), ok);
        List<String> bad = probe(f, Map.of("EST4J_LIMITS_MAX_REQUEST_BYTES", "12"), List.of());
        assertEquals(List.of("error=environment variable EST4J_LIMITS_MAX_REQUEST_BYTES: 'limits.max-request-bytes' = '12': "
                + "expected a whole number from 1024 to 16777216", "exit=2"), bad);
    }

    private static List<String> probe(Path file, Map<String, String> env, List<String> jvmArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(jvmArgs);
        command.add(ConfigProbe.class.getName());
        command.add(file.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // only what the test sets: surefire's own variables (and any EST4J_* of whoever runs the build) stay out
        pb.environment().keySet().removeIf(k -> k.startsWith("EST4J_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        List<String> out = new ArrayList<>(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        int status = p.waitFor();
        if (status != 0) {
            out.add("exit=" + status);
        }
        return out;
    }
}

package org.est4j.war.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The keys of {@code est4j.properties}, of {@code EST4J_*} environment variables and of {@code est4j.*} system
 * properties as MicroProfile Config sources (SmallRye Config), merged by precedence: a system property over an
 * environment variable over the file over the default. Each key keeps where its value came from, for messages.
 *
 * <p>Only SmallRye Config's sources and ordinals are used: no expression expansion ({@code ${...}} stays as written,
 * as the file always read it), no profiles, no discovered sources.
 */
final class LayeredProperties {
    static final int FILE_ORDINAL = 100;
    static final int ENVIRONMENT_ORDINAL = 300;
    static final int SYSTEM_PROPERTY_ORDINAL = 400;

    /** The merged keys, and where each value came from. */
    record Merged(Map<String, String> values, ConfigOrigins origins) {
    }

    private LayeredProperties() {
    }

    /** This JVM's system properties. */
    static Map<String, String> systemProperties() {
        Map<String, String> system = new LinkedHashMap<>();
        Properties properties = System.getProperties();
        for (String name : properties.stringPropertyNames()) {
            system.put(name, properties.getProperty(name));
        }
        return system;
    }

    /** {@code file} (UTF-8; missing: no keys) merged with {@code environment} and {@code system}, as {@link #merge}. */
    static Merged read(Path file, Map<String, String> environment, Map<String, String> system) {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(file + ": cannot be read: " + e.getMessage(), e);
            }
        }
        Map<String, String> keys = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            keys.put(key, p.getProperty(key).strip());
        }
        return merge(keys, file.getFileName().toString(), environment, system);
    }

    /**
     * @param file        the file's keys, values stripped
     * @param fileName    names the file in messages
     * @param environment the process environment ({@link System#getenv()})
     * @param system      the system properties
     * @throws ConfigException for an {@code EST4J_*} variable that sets no key and is not named by a {@code *-env} key
     */
    static Merged merge(Map<String, String> file, String fileName, Map<String, String> environment, Map<String, String> system) {
        Map<String, String> origin = new HashMap<>();
        Map<String, String> fromSystem = new TreeMap<>();
        system.forEach((name, value) -> {
            if (name.startsWith(KeyGrammar.SYSTEM_PROPERTY_PREFIX) && name.length() > KeyGrammar.SYSTEM_PROPERTY_PREFIX.length()) {
                String key = name.substring(KeyGrammar.SYSTEM_PROPERTY_PREFIX.length());
                fromSystem.put(key, value.strip());
                origin.put(key + "@system", "system property " + name);
            }
        });
        Set<String> known = new TreeSet<>(file.keySet());
        known.addAll(fromSystem.keySet());
        Map<String, String> fromEnvironment = new TreeMap<>();
        Set<String> unmatched = new TreeSet<>();
        for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
            if (!e.getKey().startsWith(KeyGrammar.ENV_PREFIX)) {
                continue;
            }
            Optional<String> key = KeyGrammar.keyFor(e.getKey(), known);
            if (key.isPresent()) {
                fromEnvironment.put(key.get(), e.getValue().strip());
                origin.put(key.get() + "@environment", "environment variable " + e.getKey());
            } else {
                unmatched.add(e.getKey());
            }
        }
        // the variables holding a PIN or password are est4j's too (ca.<name>.pkcs11.pin-env = EST4J_CA_PIN): not keys
        Set<String> namedByEnvKeys = new TreeSet<>();
        for (Map<String, String> layer : java.util.List.of(file, fromEnvironment, fromSystem)) {
            layer.forEach((key, value) -> {
                if (key.endsWith("-env")) {
                    namedByEnvKeys.add(value);
                }
            });
        }
        unmatched.removeAll(namedByEnvKeys);
        if (!unmatched.isEmpty()) {
            String first = unmatched.iterator().next();
            throw new ConfigException("environment variable " + first + ": sets no " + Est4jConfig.FILE_NAME + " key (an "
                    + KeyGrammar.ENV_PREFIX + "* variable is a key upper-cased, with _ for every character other than a letter "
                    + "or digit, such as " + KeyGrammar.envName("ca.default.key-algorithm") + "; see docs/configuration.md, "
                    + "\"Where values come from\")");
        }

        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(
                new PropertiesConfigSource(file, fileName, FILE_ORDINAL),
                new PropertiesConfigSource(fromEnvironment, "environment", ENVIRONMENT_ORDINAL),
                new PropertiesConfigSource(fromSystem, "system properties", SYSTEM_PROPERTY_ORDINAL)).build();
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> notFromFile = new HashMap<>();
        Set<String> keys = new TreeSet<>();
        config.getPropertyNames().forEach(keys::add);
        for (String key : keys) {
            ConfigValue value = config.getConfigValue(key);
            values.put(key, value.getRawValue());
            switch (value.getConfigSourceOrdinal()) {
                case ENVIRONMENT_ORDINAL -> notFromFile.put(key, origin.get(key + "@environment"));
                case SYSTEM_PROPERTY_ORDINAL -> notFromFile.put(key, origin.get(key + "@system"));
                default -> {
                    // the file: named by default
                }
            }
        }
        return new Merged(values, new ConfigOrigins(fileName, notFromFile));
    }
}

package org.est4j.war.config;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where each configuration key's value came from, as error messages name it: the file ({@code est4j.properties}), an
 * environment variable ({@code environment variable EST4J_CA_DEFAULT_SUBJECT}) or a system property
 * ({@code system property est4j.ca.default.subject}). The rest of a message is the same whatever the origin.
 */
final class ConfigOrigins {
    private final String file;
    private final Map<String, String> notFromFile;

    /**
     * @param file        names the file, for every key not in {@code notFromFile}
     * @param notFromFile key to the environment variable or system property that set it
     */
    ConfigOrigins(String file, Map<String, String> notFromFile) {
        this.file = file;
        this.notFromFile = Map.copyOf(notFromFile);
    }

    /** Every key from {@code file}. */
    static ConfigOrigins file(String file) {
        return new ConfigOrigins(file, Map.of());
    }

    /** Where {@code keys} came from; several origins are joined, each named once. */
    String of(String... keys) {
        return Arrays.stream(keys).map(k -> notFromFile.getOrDefault(k, file)).distinct().collect(Collectors.joining(" and "));
    }

    /** Where {@code keys} came from, as {@link #of(String...)}; the file alone when there are none. */
    String of(java.util.Collection<String> keys) {
        return keys.isEmpty() ? file : of(keys.toArray(String[]::new));
    }
}

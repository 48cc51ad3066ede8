package org.est4j.war.config;

import java.util.Map;

/**
 * {@code audit} and {@code audit.*}: the JSON audit trail (docs/audit.md), one object per line in a file of its own
 * that is rotated by size.
 *
 * @param enabled      {@code audit}: {@code on} (the default) or {@code off}
 * @param file         {@code audit.file}: relative to EST_HOME unless absolute
 * @param maxFileBytes {@code audit.max-file-mb}: the size at which the file is rotated
 * @param files        {@code audit.files}: how many rotated files are kept besides the current one
 */
public record AuditSettings(boolean enabled, String file, long maxFileBytes, int files) {

    /** Where the audit trail goes unless {@code audit.file} says otherwise. */
    public static final String DEFAULT_FILE = "audit/audit.log";
    static final AuditSettings DEFAULT = new AuditSettings(true, DEFAULT_FILE, 10L << 20, 10);

    /** The {@code audit} and {@code audit.*} keys of {@code source}. */
    static AuditSettings parse(ConfigOrigins source, Map<String, String> keys) {
        boolean enabled = DEFAULT.enabled();
        String file = DEFAULT.file();
        long maxBytes = DEFAULT.maxFileBytes();
        int files = DEFAULT.files();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String key = e.getKey();
            String value = e.getValue().strip();
            switch (key) {
                case "audit" -> enabled = switch (value) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new ConfigException(source.of(key) + ": '" + key + "' = '" + value + "': expected on or off");
                };
                case "audit.file" -> {
                    if (value.isEmpty()) {
                        throw new ConfigException(source.of(key) + ": '" + key + "' is empty: expected a file name such as " + DEFAULT_FILE);
                    }
                    file = value;
                }
                case "audit.max-file-mb" -> maxBytes = (long) Est4jConfigNumbers.positive(source.of(key), key, value, 10_000) << 20;
                case "audit.files" -> files = Est4jConfigNumbers.positive(source.of(key), key, value, 1000);
                default -> throw new ConfigException(source.of(key) + ": unknown key '" + key
                        + "' (audit, audit.file, audit.max-file-mb, audit.files)");
            }
        }
        return new AuditSettings(enabled, file, maxBytes, files);
    }
}

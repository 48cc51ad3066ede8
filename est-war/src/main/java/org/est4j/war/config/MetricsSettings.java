package org.est4j.war.config;

import java.util.Map;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

/**
 * {@code metrics.*}: whether {@code /metrics} is served and who may read it. Off unless a credential is configured:
 * the numbers tell an outsider how busy the CA is and which labels exist, so they are never anonymous.
 *
 * @param tokenFile      {@code metrics.token-file}: a file holding the bearer token Prometheus sends (relative to
 *                       EST_HOME unless absolute)
 * @param clientSubject  {@code metrics.client-subject}: the subject of a TLS client certificate (validated against
 *                       est4j's client trust anchors) that may read the metrics, as an RFC 4514 string
 * @param refreshSeconds {@code metrics.refresh-seconds}: how long the pending-queue sizes and CRL ages are reused
 *                       before they are read again (the queue may be a database query)
 */
public record MetricsSettings(Optional<String> tokenFile, Optional<X500Principal> clientSubject, int refreshSeconds) {

    static final MetricsSettings DEFAULT = new MetricsSettings(Optional.empty(), Optional.empty(), 30);

    /** Whether {@code /metrics} is served at all. */
    public boolean enabled() {
        return tokenFile.isPresent() || clientSubject.isPresent();
    }

    /** The {@code metrics.*} keys of {@code source}. */
    static MetricsSettings parse(ConfigOrigins source, Map<String, String> keys) {
        Optional<String> tokenFile = Optional.empty();
        Optional<X500Principal> subject = Optional.empty();
        int refresh = DEFAULT.refreshSeconds();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String key = e.getKey();
            String value = e.getValue().strip();
            switch (key) {
                case "metrics.token-file" -> {
                    if (value.isEmpty()) {
                        throw new ConfigException(source.of(key) + ": '" + key + "' is empty: expected a file name (the bearer token, mode 0600)");
                    }
                    tokenFile = Optional.of(value);
                }
                case "metrics.client-subject" -> {
                    try {
                        subject = Optional.of(new X500Principal(value));
                    } catch (IllegalArgumentException bad) {
                        throw new ConfigException(source.of(key) + ": '" + key + "' = '" + value
                                + "': expected a distinguished name such as CN=prometheus,O=Example");
                    }
                }
                case "metrics.refresh-seconds" -> refresh = Est4jConfigNumbers.positive(source.of(key), key, value, 3600);
                default -> throw new ConfigException(source.of(key) + ": unknown key '" + key
                        + "' (metrics.token-file, metrics.client-subject, metrics.refresh-seconds)");
            }
        }
        return new MetricsSettings(tokenFile, subject, refresh);
    }
}

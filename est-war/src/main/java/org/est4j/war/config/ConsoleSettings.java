package org.est4j.war.config;

import java.util.Map;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

/**
 * {@code console.*}: who may use the operator console at {@code /console/}. Closed unless one of the two is set: the
 * console approves requests and revokes certificates, so it is never anonymous, and without a key it answers 404.
 *
 * @param role          {@code console.role}: a role of the servlet container (Tomcat's realm, a WildFly Elytron
 *                      security domain); a user the container authenticated with it is an operator
 * @param clientSubject {@code console.client-subject}: the subject (RFC 4514) of a TLS client certificate that
 *                      validates against est4j's client trust anchors; its holder is an operator
 */
public record ConsoleSettings(Optional<String> role, Optional<X500Principal> clientSubject) {

    static final ConsoleSettings DEFAULT = new ConsoleSettings(Optional.empty(), Optional.empty());

    /** The keys, for {@link KeyGrammar}. */
    static final java.util.List<String> KEYS = java.util.List.of("console.role", "console.client-subject");

    /** Whether {@code /console/} is served at all. */
    public boolean enabled() {
        return role.isPresent() || clientSubject.isPresent();
    }

    /** The {@code console.*} keys of {@code source}. */
    static ConsoleSettings parse(ConfigOrigins source, Map<String, String> keys) {
        Optional<String> role = Optional.empty();
        Optional<X500Principal> subject = Optional.empty();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String key = e.getKey();
            String value = e.getValue().strip();
            switch (key) {
                case "console.role" -> {
                    if (!value.matches("[A-Za-z0-9._~-]{1,64}")) {
                        throw new ConfigException(source.of(key) + ": '" + key + "' = '" + value
                                + "': expected a role name of 1-64 letters, digits or . _ ~ - (for example est-operator)");
                    }
                    role = Optional.of(value);
                }
                case "console.client-subject" -> {
                    try {
                        subject = Optional.of(new X500Principal(value));
                    } catch (IllegalArgumentException bad) {
                        throw new ConfigException(source.of(key) + ": '" + key + "' = '" + value
                                + "': expected a distinguished name such as CN=operator,O=Example");
                    }
                }
                default -> throw new ConfigException(source.of(key) + ": unknown key '" + key + "' (console.role, console.client-subject)");
            }
        }
        return new ConsoleSettings(role, subject);
    }
}

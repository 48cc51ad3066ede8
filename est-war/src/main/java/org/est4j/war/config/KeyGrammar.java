package org.est4j.war.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names of the {@code est4j.properties} keys, and how an environment variable names one.
 *
 * <p>A key's variable is {@code EST4J_} followed by the key upper-cased, each character other than a letter or digit
 * replaced by {@code _} (MicroProfile Config's rule): {@code ca.default.key-algorithm} is
 * {@code EST4J_CA_DEFAULT_KEY_ALGORITHM}. That loses the difference between {@code .}, {@code -} and {@code _}, so a
 * variable is read back by matching it against this grammar: the fixed keys, and the families whose middle part is a
 * name ({@code ca.<name>.<key>}, {@code label.<label>.<key>}, {@code user.<name>}). A name already used by a key of
 * the file or a system property is recognised in any spelling ({@code EST4J_CA_IOT_DEVICES_SUBJECT} sets
 * {@code ca.iot-devices.subject} when the file has a {@code ca.iot-devices.*} key); a name only in the environment is
 * taken lower-case as it stands ({@code ca.iot_devices.subject}); where a name could end in several ways, the longest
 * key wins ({@code EST4J_CA_X_CERT_VALIDITY_DAYS} is CA {@code x}'s {@code cert-validity-days}).
 */
final class KeyGrammar {
    /** The prefix of every environment variable that sets a key. */
    static final String ENV_PREFIX = "EST4J_";
    /** The prefix of every system property that sets a key ({@code -Dest4j.ca.default.subject=...}). */
    static final String SYSTEM_PROPERTY_PREFIX = "est4j.";

    /** Keys of no family. */
    static final List<String> SINGLE = List.of("client-auth.trust-anchors", "client-auth.ra-trust-anchors",
            "client-auth.revocation", "client-auth.revocation.failure", "client-auth.crl-files",
            "client-auth.crl-distribution-points", "client-auth.ocsp-responder", "auth.digest-algorithm",
            "auth.digest-nonce-seconds", "auth.digest-key-file", "auth.digest-users-file", "auth.one-time-passwords-file",
            "auth.throttle.free-failures", "auth.throttle.free-failures-per-address", "auth.throttle.max-delay-seconds",
            "auth.users", "auth.container-role", "auth.basic-realm", "auth.users-file", "auth.password-cache-seconds",
            "crypto.provider", "limits.max-request-bytes", "server-keygen.kek-file", "server-keygen.recipient-certificates",
            "response-signer.key", "response-signer.certificates");
    /** {@code store} and {@code store.*}; {@code store.jdbc-password} only so that it is refused with its own reason. */
    static final List<String> STORE = List.of("store", "store.datasource", "store.jdbc-url", "store.jdbc-user",
            "store.jdbc-password-file", "store.jdbc-password-env", "store.jdbc-password");
    /** {@code metrics.*} and {@code audit}, {@code audit.*} (MetricsSettings, AuditSettings). */
    static final List<String> METRICS_AND_AUDIT = List.of("metrics.token-file", "metrics.client-subject", "metrics.refresh-seconds",
            "audit", "audit.file", "audit.max-file-mb", "audit.files");
    /** {@code proxy.*}, as ProxyConfig accepts them. */
    static final List<String> PROXY = List.of("proxy.trusted-addresses", "proxy.local-ports", "proxy.client-cert.format",
            "proxy.client-cert.header", "proxy.client-cert.chain-header", "proxy.client-cert.verify-header",
            "proxy.client-cert.max-chain-length", "proxy.client-cert.precedence", "proxy.forwarded-proto-header",
            "proxy.channel-binding-header", "proxy.tls-protocol-header");
    /** After {@code ca.<name>.}; {@code pkcs11.pin} only so that it is refused with its own reason. */
    static final List<String> CA = List.of("key-algorithm", "subject", "validity-days", "cert-validity-days",
            "extended-key-usage", "csr-attributes", "csr-template-subject", "csr-template-key", "csr-template-extensions",
            "approval", "retry-after-seconds", "allowed-keys", "allowed-signature-digests", "crl-validity-hours",
            "crl-distribution-point", "key-store", "pkcs11.library", "pkcs11.slot", "pkcs11.token-label", "pkcs11.key-label",
            "pkcs11.pin-file", "pkcs11.pin-env", "pkcs11.pin", "type", "cmp.url", "cmp.tls-trust-anchors", "cmp.protection",
            "cmp.mac.algorithm", "cmp.mac.secret-file", "cmp.mac.secret-env", "cmp.mac.reference", "cmp.signature.key",
            "cmp.signature.key-store",
            "cmp.signature.certificates", "cmp.server-certificate", "cmp.recipient", "cmp.ca-certificates",
            "cmp.connect-timeout-seconds", "cmp.timeout-seconds", "cmp.cacerts-cache-seconds", "cmp.retry-after-seconds",
            "cmp.implicit-confirm", "cmp.pending-max-hours", "cmp.mac.secret");
    /** After {@code policy.} or {@code label.<label>.}. */
    static final List<String> POLICY = List.of("server-keygen", "server-keygen.key-algorithm", "responses", "incomplete-auth",
            "csr-attributes.enforce", "channel-binding", "channel-binding.ra-exempt", "http-auth", "require-tls-and-http",
            "allowed-clients", "allowed-subjects", "reenroll-notice-days");

    private KeyGrammar() {
    }

    /** {@code key}'s environment variable: {@code EST4J_} and the key upper-cased, non-alphanumerics as {@code _}. */
    static String envName(String key) {
        return ENV_PREFIX + upper(key);
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /**
     * The key {@code variable} (an {@code EST4J_*} name) sets, or empty when it names none.
     *
     * @param knownKeys keys set elsewhere (file, system properties), whose names of CAs, labels and users are preferred
     * @throws ConfigException when it could be two keys of {@code knownKeys}
     */
    static Optional<String> keyFor(String variable, Set<String> knownKeys) {
        if (!variable.startsWith(ENV_PREFIX)) {
            return Optional.empty();
        }
        String rest = variable.substring(ENV_PREFIX.length());
        List<String> fixed = new ArrayList<>(SINGLE);
        fixed.addAll(STORE);
        fixed.addAll(METRICS_AND_AUDIT);
        fixed.addAll(ConsoleSettings.KEYS);
        fixed.addAll(PROXY);
        POLICY.forEach(k -> fixed.add("policy." + k));
        for (String key : fixed) {
            if (upper(key).equals(rest)) {
                return Optional.of(key);
            }
        }
        Set<String> candidates = new TreeSet<>(knownKeys);
        for (String key : knownKeys) {
            String[] parts = key.split("\\.", 3);
            if (parts.length == 3 && parts[0].equals("ca")) {
                CA.forEach(k -> candidates.add("ca." + parts[1] + "." + k));
            } else if (parts.length == 3 && parts[0].equals("label")) {
                POLICY.forEach(k -> candidates.add("label." + parts[1] + "." + k));
                candidates.add("label." + parts[1] + ".ca");
            }
        }
        List<String> known = candidates.stream().filter(k -> upper(k).equals(rest)).toList();
        if (known.size() > 1) {
            throw new ConfigException("environment variable " + variable + ": could set any of " + String.join(", ", known)
                    + "; rename the CA, label or user so that their names differ in more than . - _ and case");
        }
        if (known.size() == 1) {
            return Optional.of(known.get(0));
        }
        Optional<String> named = named(rest, "ca", CA);
        if (named.isEmpty()) {
            List<String> labelKeys = new ArrayList<>(POLICY);
            labelKeys.add("ca");
            named = named(rest, "label", labelKeys);
        }
        if (named.isEmpty() && rest.startsWith("USER_") && rest.length() > "USER_".length()) {
            named = Optional.of("user." + rest.substring("USER_".length()).toLowerCase(Locale.ROOT));
        }
        return named;
    }

    /** {@code <FAMILY>_<NAME>_<KEY>} with one of {@code keys}, the longest that leaves a name; the name lower-case. */
    private static Optional<String> named(String rest, String family, List<String> keys) {
        String head = upper(family) + "_";
        if (!rest.startsWith(head)) {
            return Optional.empty();
        }
        String tail = rest.substring(head.length());
        return keys.stream().sorted(Comparator.comparingInt(String::length).reversed())
                .filter(k -> tail.endsWith("_" + upper(k)) && tail.length() > upper(k).length() + 1)
                .findFirst()
                .map(k -> family + "." + tail.substring(0, tail.length() - upper(k).length() - 1).toLowerCase(Locale.ROOT)
                        + "." + k);
    }
}

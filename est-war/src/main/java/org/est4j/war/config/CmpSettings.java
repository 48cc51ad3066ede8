package org.est4j.war.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

/**
 * A CA that est4j does not run itself but reaches over CMP (RFC 9483, the Lightweight CMP profile): the
 * {@code ca.<name>.type = cmp} and {@code ca.<name>.cmp.*} keys. est4j is the registration authority in front of it.
 *
 * @param name                  the CA's name, as {@code label.<label>.ca} names it
 * @param url                   the upstream's CMP endpoint, path (or alias) included
 * @param tlsTrustAnchors       PEM file of the anchors an {@code https} upstream's TLS certificate must chain to
 *                              (relative to EST_HOME); empty: the JDK's default trust store
 * @param protection            how est4j protects its requests
 * @param macAlgorithm          with MAC protection: PBMAC1 (RFC 9481 section 6.1.1) or PasswordBasedMac (RFC 4210)
 * @param secretFile            with MAC protection: file holding the shared secret (relative to EST_HOME)
 * @param secretEnv             with MAC protection: environment variable holding it
 * @param reference             the senderKID that names est4j's secret at the upstream (its "reference")
 * @param signatureKey          with signature protection: the RA's PKCS#8 PEM key (relative to EST_HOME); empty when
 *                              the key is in a PKCS#11 token
 * @param signatureToken        with signature protection and {@code cmp.signature.key-store = pkcs11}: the token and
 *                              the label of the RA key in it ({@code ca.<name>.pkcs11.*})
 * @param signatureCertificates with signature protection: the RA certificate, then its chain (PEM); empty with a
 *                              token key: the certificate the token keeps under the key label
 * @param serverCertificate     the upstream's CMP signing certificate, pinned: a signature-protected response must
 *                              verify with its key (required with signature protection)
 * @param recipient             the upstream CA's name for the {@code recipient} header field; empty: the subject of
 *                              {@code serverCertificate}, else the empty name
 * @param caCertificates        PEM file answered for {@code /cacerts} when the upstream offers no CA certificates
 *                              through {@code genm id-it-caCerts}
 * @param connectTimeoutSeconds how long a TCP/TLS connection to the upstream may take
 * @param timeoutSeconds        how long one CMP exchange may take
 * @param cacertsCacheSeconds   how long the upstream's CA certificates are served from memory
 * @param retryAfterSeconds     the {@code Retry-After} when the upstream is unreachable, or waits without a
 *                              {@code checkAfter}
 * @param implicitConfirm       whether est4j asks for implicit confirmation (used only when the upstream grants it)
 * @param pendingMaxHours       how long a waiting transaction is kept for the client's repetition
 */
public record CmpSettings(String name, URI url, Optional<String> tlsTrustAnchors, Protection protection,
                          MacAlgorithm macAlgorithm, Optional<String> secretFile, Optional<String> secretEnv,
                          Optional<String> reference, Optional<String> signatureKey, Optional<Pkcs11Settings> signatureToken,
                          Optional<String> signatureCertificates,
                          Optional<String> serverCertificate, Optional<X500Principal> recipient,
                          Optional<String> caCertificates, int connectTimeoutSeconds, int timeoutSeconds,
                          int cacertsCacheSeconds, int retryAfterSeconds, boolean implicitConfirm, int pendingMaxHours) {

    /** How est4j protects its CMP requests (RFC 9483 section 3.2). */
    public enum Protection { MAC, SIGNATURE }

    /** The MAC of MAC-based protection. */
    public enum MacAlgorithm { PBMAC1, PASSWORD_BASED_MAC }

    /** The keys after {@code ca.<name>.} that a CMP CA accepts ({@code cmp.mac.secret} only to refuse it). */
    static final List<String> KEYS = List.of("type", "cmp.url", "cmp.tls-trust-anchors", "cmp.protection", "cmp.mac.algorithm",
            "cmp.mac.secret-file", "cmp.mac.secret-env", "cmp.mac.reference", "cmp.signature.key", "cmp.signature.key-store",
            "pkcs11.library", "pkcs11.slot", "pkcs11.token-label", "pkcs11.key-label", "pkcs11.pin-file", "pkcs11.pin-env",
            "cmp.signature.certificates",
            "cmp.server-certificate", "cmp.recipient", "cmp.ca-certificates", "cmp.connect-timeout-seconds", "cmp.timeout-seconds",
            "cmp.cacerts-cache-seconds", "cmp.retry-after-seconds", "cmp.implicit-confirm", "cmp.pending-max-hours", "cmp.mac.secret");

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    /** Whether {@code keys} (after {@code ca.<name>.}) say {@code type = cmp}; {@code type} other than local/cmp is refused. */
    static boolean isCmp(ConfigOrigins source, String name, Map<String, String> keys) {
        String type = keys.getOrDefault("type", "local");
        return switch (type) {
            case "local" -> false;
            case "cmp" -> true;
            default -> throw Est4jConfig.bad(source, "ca." + name + ".type", type, "local (est4j's own CA, the default) or cmp (an upstream CA "
                    + "reached over CMP, ca." + name + ".cmp.*)");
        };
    }

    /** The {@code ca.<name>.*} keys of a CA whose {@code type} is {@code cmp}, validated. */
    static CmpSettings parse(ConfigOrigins source, String name, Map<String, String> keys) {
        String prefix = "ca." + name + ".";
        if (name.equals(Est4jConfig.DEFAULT_CA)) {
            throw new ConfigException(source.of(prefix + "type") + ": '" + prefix + "type' = 'cmp': the default CA is always local "
                    + "(it issues est4j's own TLS certificate); give the CMP CA another name and point labels at it");
        }
        URI url = null;
        Optional<String> trust = Optional.empty();
        Protection protection = null;
        MacAlgorithm mac = MacAlgorithm.PBMAC1;
        Optional<String> secretFile = Optional.empty();
        Optional<String> secretEnv = Optional.empty();
        Optional<String> reference = Optional.empty();
        Optional<String> raKey = Optional.empty();
        boolean raKeyInToken = false;
        Map<String, String> pkcs11Keys = new java.util.LinkedHashMap<>();
        Optional<String> raCerts = Optional.empty();
        Optional<String> serverCert = Optional.empty();
        Optional<X500Principal> recipient = Optional.empty();
        Optional<String> caCerts = Optional.empty();
        int connect = 5;
        int timeout = 30;
        int cache = 3600;
        int retryAfter = 60;
        boolean implicit = true;
        int pendingHours = 168;
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String key = prefix + e.getKey();
            String value = e.getValue();
            switch (e.getKey()) {
                case "type" -> { }
                case "cmp.url" -> url = url(source, key, value);
                case "cmp.tls-trust-anchors" -> trust = Optional.of(file(source, key, value));
                case "cmp.protection" -> protection = switch (value) {
                    case "mac" -> Protection.MAC;
                    case "signature" -> Protection.SIGNATURE;
                    default -> throw Est4jConfig.bad(source, key, value, "mac (a shared secret) or signature (an RA key and certificate)");
                };
                case "cmp.mac.algorithm" -> mac = switch (value) {
                    case "pbmac1" -> MacAlgorithm.PBMAC1;
                    case "password-based-mac" -> MacAlgorithm.PASSWORD_BASED_MAC;
                    default -> throw Est4jConfig.bad(source, key, value, "pbmac1 (RFC 9481, the default) or password-based-mac (RFC 4210)");
                };
                case "cmp.mac.secret-file" -> secretFile = Optional.of(file(source, key, value));
                case "cmp.mac.secret-env" -> {
                    if (!ENV_NAME.matcher(value).matches()) {
                        throw Est4jConfig.bad(source, key, value, "the name of an environment variable, such as EST4J_CMP_SECRET");
                    }
                    secretEnv = Optional.of(value);
                }
                case "cmp.mac.secret" -> throw new ConfigException(source.of(key) + ": '" + key + "': a shared secret is never "
                        + "put in " + Est4jConfig.FILE_NAME + " (nor in EST4J_* variables or est4j.* system properties); put it in a "
                        + "file (" + prefix + "cmp.mac.secret-file, mode 0600) or an environment variable named by "
                        + prefix + "cmp.mac.secret-env");
                case "cmp.mac.reference" -> {
                    if (value.isEmpty() || value.length() > 128 || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                        throw Est4jConfig.bad(source, key, value, "the reference (senderKID) the upstream knows the secret by, 1-128 printable characters");
                    }
                    reference = Optional.of(value);
                }
                case "cmp.signature.key" -> raKey = Optional.of(file(source, key, value));
                case "cmp.signature.key-store" -> raKeyInToken = switch (value) {
                    case "file" -> false;
                    case "pkcs11" -> true;
                    default -> throw Est4jConfig.bad(source, key, value, "file (a PEM key named by " + prefix
                            + "cmp.signature.key, the default) or pkcs11 (a key in a PKCS#11 token, " + prefix + "pkcs11.*)");
                };
                case "pkcs11.library", "pkcs11.slot", "pkcs11.token-label", "pkcs11.key-label", "pkcs11.pin-file",
                     "pkcs11.pin-env" -> pkcs11Keys.put(e.getKey(), value);
                case "cmp.signature.certificates" -> raCerts = Optional.of(file(source, key, value));
                case "cmp.server-certificate" -> serverCert = Optional.of(file(source, key, value));
                case "cmp.recipient" -> {
                    try {
                        recipient = Optional.of(new X500Principal(value));
                    } catch (IllegalArgumentException ex) {
                        throw Est4jConfig.bad(source, key, value, "an X.500 name such as CN=Issuing CA,O=Example");
                    }
                }
                case "cmp.ca-certificates" -> caCerts = Optional.of(file(source, key, value));
                case "cmp.connect-timeout-seconds" -> connect = Est4jConfig.intIn(source, key, value, 1, 300);
                case "cmp.timeout-seconds" -> timeout = Est4jConfig.intIn(source, key, value, 1, 600);
                case "cmp.cacerts-cache-seconds" -> cache = Est4jConfig.intIn(source, key, value, 0, 604800);
                case "cmp.retry-after-seconds" -> retryAfter = Est4jConfig.intIn(source, key, value, 1, 86400);
                case "cmp.implicit-confirm" -> implicit = Est4jConfig.bool(source, key, value);
                case "cmp.pending-max-hours" -> pendingHours = Est4jConfig.intIn(source, key, value, 1, 8760);
                default -> throw new ConfigException(source.of(key) + ": unknown key '" + key + "' (a CA of type cmp has "
                        + String.join(", ", KEYS.stream().filter(k -> !k.equals("cmp.mac.secret")).toList()) + ")");
            }
        }
        if (url == null) {
            throw new ConfigException(source.of(prefix + "type") + ": '" + prefix + "type' = 'cmp' needs '" + prefix
                    + "cmp.url', the upstream's CMP URL with its path or alias (http://ca.example.com/ejbca/publicweb/cmp/est4j)");
        }
        if (protection == null) {
            throw new ConfigException(source.of(prefix + "type") + ": '" + prefix + "type' = 'cmp' needs '" + prefix
                    + "cmp.protection': mac or signature");
        }
        if (protection == Protection.MAC && secretFile.isPresent() == secretEnv.isPresent()) {
            throw new ConfigException(source.of(prefix + "cmp.protection") + ": '" + prefix + "cmp.protection' = 'mac' needs exactly one of '"
                    + prefix + "cmp.mac.secret-file' (a file holding the shared secret, relative to EST_HOME, mode 0600) and '" + prefix
                    + "cmp.mac.secret-env' (the name of an environment variable holding it)");
        }
        Optional<Pkcs11Settings> token = Optional.empty();
        if (raKeyInToken) {
            if (protection != Protection.SIGNATURE || raKey.isPresent()) {
                throw new ConfigException(source.of(prefix + "cmp.signature.key-store") + ": '" + prefix
                        + "cmp.signature.key-store' = 'pkcs11' applies to '" + prefix + "cmp.protection' = 'signature' only, and "
                        + "replaces '" + prefix + "cmp.signature.key' (the RA key is the token's, named by '" + prefix
                        + "pkcs11.key-label')");
            }
            token = Optional.of(Pkcs11Settings.parse(source, prefix, "cmp.signature.key-store", null, pkcs11Keys));
            if (serverCert.isEmpty()) {
                throw new ConfigException(source.of(prefix + "cmp.protection") + ": '" + prefix + "cmp.protection' = 'signature' "
                        + "needs '" + prefix + "cmp.server-certificate' (the upstream's CMP signing certificate, PEM)");
            }
        } else if (!pkcs11Keys.isEmpty()) {
            throw new ConfigException(source.of(pkcs11Keys.keySet().stream().map(k -> prefix + k).toList()) + ": "
                    + pkcs11Keys.keySet().stream().map(k -> "'" + prefix + k + "'").collect(java.util.stream.Collectors.joining(", "))
                    + " only apply to a CMP CA with '" + prefix + "cmp.signature.key-store' = 'pkcs11'");
        } else if (protection == Protection.SIGNATURE && (raKey.isEmpty() || raCerts.isEmpty() || serverCert.isEmpty())) {
            throw new ConfigException(source.of(prefix + "cmp.protection") + ": '" + prefix + "cmp.protection' = 'signature' needs '"
                    + prefix + "cmp.signature.key', '" + prefix + "cmp.signature.certificates' (the RA's key and certificate, PEM) and '"
                    + prefix + "cmp.server-certificate' (the upstream's CMP signing certificate, PEM)");
        }
        if (trust.isPresent() && !"https".equalsIgnoreCase(url.getScheme())) {
            throw new ConfigException(source.of(prefix + "cmp.tls-trust-anchors") + ": '" + prefix
                    + "cmp.tls-trust-anchors' only applies to an https '" + prefix + "cmp.url'");
        }
        return new CmpSettings(name, url, trust, protection, mac, secretFile, secretEnv, reference, raKey, token, raCerts, serverCert,
                recipient, caCerts, connect, timeout, cache, retryAfter, implicit, pendingHours);
    }

    private static URI url(ConfigOrigins source, String key, String value) {
        try {
            URI uri = new URI(value);
            if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw Est4jConfig.bad(source, key, value, "an http:// or https:// URL of the upstream's CMP endpoint, path or alias included, "
                + "without user information");
    }

    private static String file(ConfigOrigins source, String key, String value) {
        if (value.isEmpty() || value.chars().anyMatch(c -> c < 0x20)) {
            throw Est4jConfig.bad(source, key, value, "a file name, relative to EST_HOME or absolute");
        }
        return value;
    }
}

package org.est4j.war.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import org.est4j.jaxrs.EstEndpointConfig;
import org.est4j.spi.CsrAttributes;
import org.est4j.jaxrs.auth.PasswordHashes;
import org.est4j.jaxrs.auth.RevocationChecking;
import org.est4j.jaxrs.policy.LabelPolicies;
import org.est4j.jaxrs.policy.LabelPolicy;
import org.est4j.jaxrs.policy.RequestPolicy;
import org.est4j.jaxrs.policy.Labels;
import org.est4j.jaxrs.proxy.ForwardedCertificateFormat;
import org.est4j.jaxrs.proxy.ProxyConfig;

/**
 * The validated content of {@code EST_HOME/est4j.properties}, each key overridable by an {@code EST4J_*} environment
 * variable or an {@code est4j.*} system property ({@link LayeredProperties}, names in {@link KeyGrammar}). Every key is
 * documented in {@code docs/configuration.md}; an unknown key or a bad value stops start-up with a message that
 * names where it came from, the key and what is allowed, so a typo never silently falls back to a default.
 *
 * @param cas              local CAs by name; {@code default} always exists
 * @param labels           CA label (RFC 7030 section 3.2.2) to local CA name
 * @param trustAnchorFiles PEM files with client trust anchors; empty means "every local CA certificate"
 * @param basicRealm       realm of the HTTP Basic challenge
 * @param usersFile        the HTTP user store, relative to EST_HOME unless absolute
 * @param users            HTTP users declared in this file ({@code user.<name> = <Argon2id PHC hash>}), in
 *                         addition to those of {@code usersFile}
 * @param maxRequestBytes  request body limit
 * @param proxy            the {@code proxy.*} keys for the client-certificate forwarding filter
 *                         (validated by {@link ProxyConfig})
 * @param policies         the protocol options: {@code policy.*} for every path, {@code label.<l>.*} per label
 * @param keygen           where server-side key generation finds its key-encryption keys
 * @param signer           the key and certificate the server signs CMS content with
 * @param raTrustAnchorFiles PEM files with the anchors of registration-authority certificates (none: no RAs)
 * @param httpAuth         HTTP Digest, one-time passwords and failure throttling
 * @param cryptoProvider   which JCA provider signs and verifies ({@code crypto.provider})
 * @param revocation       PKIX revocation checking of client certificates ({@code client-auth.revocation*}); CRL file
 *                         paths as written, relative to EST_HOME unless absolute
 * @param store            where the shared state is kept ({@code store*})
 * @param metrics          who may read {@code /metrics} ({@code metrics.*}); off unless configured
 * @param audit            the JSON audit trail's file and rotation ({@code audit*})
 * @param cmpCas           CAs of {@code ca.<name>.type = cmp}, reached over CMP (not in {@code cas})
 * @param console          who may use the operator console ({@code console.*}); off unless configured
 */
public record Est4jConfig(Map<String, CaSettings> cas, Map<String, String> labels, List<String> trustAnchorFiles,
                          String basicRealm, String usersFile, Map<String, String> users, int maxRequestBytes,
                          Map<String, String> proxy, LabelPolicies policies, KeygenFiles keygen, SignerFiles signer,
                          List<String> raTrustAnchorFiles, HttpAuthSettings httpAuth,
                          org.est4j.jaxrs.codec.SignatureProvider.Choice cryptoProvider, RevocationChecking revocation,
                          StoreSettings store, MetricsSettings metrics, AuditSettings audit,
                          Map<String, CmpSettings> cmpCas, ConsoleSettings console) {

    /**
     * @param digestAlgorithm       SHA-256 or MD5
     * @param digestNonceSeconds    lifetime of a Digest nonce
     * @param digestKeyFile         the shared nonce key (generated at first start; copy it to every instance)
     * @param digestUsersFile       HA1 values: {@code name = SHA-256:<hex>,MD5:<hex>}
     * @param oneTimePasswordsFile  SHA-256 of unused one-time passwords, one per line
     * @param throttleFreeFailures  failures of one user before attempts are slowed down
     * @param throttleFreeFailuresPerAddress failures from one address before attempts are slowed down
     * @param throttleMaxDelaySeconds the longest wait imposed
     * @param containerUsers        HTTP Basic users are the servlet container's realm's, not est4j's store
     * @param containerRole         in container mode, the role a user needs (empty: any authenticated user)
     * @param passwordCacheSeconds  how long a verified HTTP Basic password is recognised without a new Argon2id
     *                              computation (0: never)
     */
    public record HttpAuthSettings(String digestAlgorithm, int digestNonceSeconds, String digestKeyFile, String digestUsersFile,
                                   String oneTimePasswordsFile, int throttleFreeFailures, int throttleFreeFailuresPerAddress,
                                   int throttleMaxDelaySeconds, boolean containerUsers, java.util.Optional<String> containerRole,
                                   int passwordCacheSeconds) {
    }

    /**
     * @param kekFile              properties file: key identifier (hex) = base64 AES key; relative to EST_HOME
     * @param recipientCertificates PEM files of client key-encipherment certificates
     */
    public record KeygenFiles(String kekFile, List<String> recipientCertificates) {
        public KeygenFiles {
            recipientCertificates = List.copyOf(recipientCertificates);
        }
    }

    /** PEM files of the CMS signing key and its certificate chain, relative to EST_HOME. */
    public record SignerFiles(String key, String certificates) {
    }

    public static final String DEFAULT_CA = "default";
    public static final String FILE_NAME = "est4j.properties";

    private static final Pattern CA_KEY = Pattern.compile("ca\\.([A-Za-z0-9_-]{1,32})\\.([a-z0-9-]+(?:\\.[a-z0-9-]+)*)");
    /** A key that would hold a PIN ({@code ...pin}, {@code ...-pin}): refused, a PIN never goes in the properties. */
    private static final Pattern PIN_KEY = Pattern.compile("(?:.*[.-])?pin", Pattern.CASE_INSENSITIVE);
    private static final Pattern LABEL_KEY = Pattern.compile("label\\.([^.]+)\\.(.+)");
    private static final String POLICY_PREFIX = "policy.";
    private static final Pattern USER_KEY = Pattern.compile("user\\.(.+)");
    private static final Map<String, String> EKU_NAMES = Map.of(
            "clientAuth", "1.3.6.1.5.5.7.3.2",
            "serverAuth", "1.3.6.1.5.5.7.3.1",
            "cmcRA", "1.3.6.1.5.5.7.3.28",
            "codeSigning", "1.3.6.1.5.5.7.3.3",
            "emailProtection", "1.3.6.1.5.5.7.3.4");
    /** Names accepted in csr-attributes (RFC 7030 section 4.5.2's example uses these). */
    private static final Map<String, String> OID_NAMES = Map.ofEntries(
            Map.entry("challengePassword", "1.2.840.113549.1.9.7"),
            Map.entry("extensionRequest", "1.2.840.113549.1.9.14"),
            Map.entry("ecPublicKey", "1.2.840.10045.2.1"),
            Map.entry("rsaEncryption", "1.2.840.113549.1.1.1"),
            Map.entry("secp256r1", "1.2.840.10045.3.1.7"),
            Map.entry("secp384r1", "1.3.132.0.34"),
            Map.entry("ecdsa-with-SHA256", "1.2.840.10045.4.3.2"),
            Map.entry("ecdsa-with-SHA384", "1.2.840.10045.4.3.3"),
            Map.entry("sha256WithRSAEncryption", "1.2.840.113549.1.1.11"),
            Map.entry("macAddress", "1.3.6.1.1.1.1.22"),
            Map.entry("subjectAltName", "2.5.29.17"),
            Map.entry("keyUsage", "2.5.29.15"),
            Map.entry("extendedKeyUsage", "2.5.29.37"),
            Map.entry("Ed25519", "1.3.101.112"));
    /** Subject field names accepted in csr-template-subject. */
    private static final Map<String, String> RDN_NAMES = Map.of("CN", "2.5.4.3", "O", "2.5.4.10", "OU", "2.5.4.11",
            "C", "2.5.4.6", "L", "2.5.4.7", "ST", "2.5.4.8", "serialNumber", "2.5.4.5");
    private static final Pattern OID = Pattern.compile("[0-2](?:\\.(?:0|[1-9][0-9]*+))++");

    public Est4jConfig {
        cas = Map.copyOf(cas);
        labels = Map.copyOf(labels);
        trustAnchorFiles = List.copyOf(trustAnchorFiles);
        proxy = Map.copyOf(proxy);
        users = Map.copyOf(users);
        java.util.Objects.requireNonNull(policies, "policies");
        java.util.Objects.requireNonNull(keygen, "keygen");
        java.util.Objects.requireNonNull(signer, "signer");
        raTrustAnchorFiles = List.copyOf(raTrustAnchorFiles);
        java.util.Objects.requireNonNull(httpAuth, "httpAuth");
        java.util.Objects.requireNonNull(revocation, "revocation");
        cmpCas = Map.copyOf(cmpCas);
    }

    /** The forwarding filter's configuration, or null when no trusted proxy is configured (the default). */
    public ProxyConfig proxyConfig() {
        return ProxyConfig.enabled(proxy) ? ProxyConfig.parse(proxy) : null;
    }

    /**
     * Reads and validates {@code file} with the {@code EST4J_*} environment variables and {@code est4j.*} system
     * properties of this process; a missing file means all defaults.
     */
    public static Est4jConfig load(Path file) {
        return load(file, System.getenv(), LayeredProperties.systemProperties());
    }

    /**
     * Reads and validates {@code file} with the keys that {@code environment} ({@code EST4J_CA_DEFAULT_SUBJECT}) and
     * {@code systemProperties} ({@code est4j.ca.default.subject}) set. A system property wins over an environment
     * variable, which wins over the file; a missing file means all defaults. Messages name where the bad value came from.
     */
    public static Est4jConfig load(Path file, Map<String, String> environment, Map<String, String> systemProperties) {
        LayeredProperties.Merged merged = LayeredProperties.read(file, environment, systemProperties);
        return parse(merged.values(), merged.origins());
    }

    /** Validates a key/value map; {@code source} names the file in messages. */
    public static Est4jConfig parse(Map<String, String> properties, String source) {
        return parse(properties, ConfigOrigins.file(source));
    }

    private static Est4jConfig parse(Map<String, String> properties, ConfigOrigins source) {
        Map<String, Map<String, String>> caKeys = new LinkedHashMap<>();
        caKeys.put(DEFAULT_CA, new LinkedHashMap<>());
        Map<String, String> labels = new LinkedHashMap<>();
        List<String> anchors = List.of();
        String realm = "est4j";
        String usersFile = "users.properties";
        int maxRequestBytes = EstEndpointConfig.DEFAULT_MAX_REQUEST_BYTES;
        org.est4j.jaxrs.codec.SignatureProvider.Choice cryptoProvider = org.est4j.jaxrs.codec.SignatureProvider.Choice.AUTO;
        int passwordCacheSeconds = 300;
        Map<String, String> proxy = new LinkedHashMap<>();
        Map<String, String> users = new LinkedHashMap<>();
        Map<String, String> policyKeys = new LinkedHashMap<>();
        Map<String, Map<String, String>> labelPolicyKeys = new LinkedHashMap<>();
        String kekFile = "server-keygen-keks.properties";
        List<String> raAnchors = List.of();
        String digestAlgorithm = "SHA-256";
        int digestNonceSeconds = 300;
        String digestKeyFile = "digest-nonce.key";
        String digestUsersFile = "digest-users.properties";
        String otpFile = "one-time-passwords";
        int freeFailures = 5;
        int freeFailuresPerAddress = 20;
        int maxDelay = 60;
        boolean containerUsers = false;
        java.util.Optional<String> containerRole = java.util.Optional.empty();
        List<String> recipients = List.of();
        String signerKey = "tls-server-key.pem";
        String signerCerts = "tls-server.pem";
        RevocationChecking.Mode revocationMode = RevocationChecking.Mode.OFF;
        boolean softFail = false;
        List<String> crlFiles = List.of();
        boolean fetchCrls = true;
        java.util.Optional<java.net.URI> ocspResponder = java.util.Optional.empty();
        Map<String, String> storeKeys = new LinkedHashMap<>();
        Map<String, String> metricsKeys = new LinkedHashMap<>();
        Map<String, String> auditKeys = new LinkedHashMap<>();
        Map<String, String> consoleKeys = new LinkedHashMap<>();

        for (Map.Entry<String, String> e : properties.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            Matcher ca = CA_KEY.matcher(key);
            Matcher label = LABEL_KEY.matcher(key);
            Matcher user = USER_KEY.matcher(key);
            if (PIN_KEY.matcher(key).matches() && !user.matches()) { // not a user named "pin"
                // the value is not echoed: it may well be the PIN
                throw new ConfigException(source.of(key) + ": '" + key + "': a PIN is never put in " + FILE_NAME + " (nor in "
                        + KeyGrammar.ENV_PREFIX + "* variables or " + KeyGrammar.SYSTEM_PROPERTY_PREFIX + "* system properties); "
                        + "put it in a file (ca.<name>.pkcs11.pin-file, mode 0600) or an environment variable named by "
                        + "ca.<name>.pkcs11.pin-env");
            }
            if (key.startsWith(ProxyConfig.PREFIX)) {
                proxy.put(key, value);
            } else if (key.equals("store") || key.startsWith("store.")) {
                storeKeys.put(key, value);
            } else if (key.startsWith("metrics.")) {
                metricsKeys.put(key, value);
            } else if (key.equals("audit") || key.startsWith("audit.")) {
                auditKeys.put(key, value);
            } else if (key.startsWith("console.")) {
                consoleKeys.put(key, value);
            } else if (user.matches()) {
                if (!PasswordHashes.isWellFormed(value)) {
                    throw bad(source, key, "(hidden)", "an Argon2id PHC hash ($argon2id$v=19$m=...,t=...,p=...$salt$hash), never a password");
                }
                users.put(user.group(1), value);
            } else if (ca.matches()) {
                caKeys.computeIfAbsent(ca.group(1), n -> new LinkedHashMap<>()).put(ca.group(2), value);
            } else if (label.matches()) {
                if (!Labels.isValid(label.group(1))) {
                    throw bad(source, key, value, "a label is 1-64 letters, digits or . _ ~ - and not an EST operation name");
                }
                if (label.group(2).equals("ca")) {
                    labels.put(label.group(1), value);
                } else {
                    labelPolicyKeys.computeIfAbsent(label.group(1), l -> new LinkedHashMap<>()).put(label.group(2), value);
                }
            } else if (key.startsWith(POLICY_PREFIX)) {
                policyKeys.put(key.substring(POLICY_PREFIX.length()), value);
            } else {
                switch (key) {
                    case "client-auth.trust-anchors" -> anchors = list(value);
                    case "client-auth.ra-trust-anchors" -> raAnchors = list(value);
                    case "client-auth.revocation" -> {
                        try {
                            revocationMode = RevocationChecking.Mode.parse(value);
                        } catch (IllegalArgumentException ex) {
                            throw bad(source, key, value, ex.getMessage());
                        }
                    }
                    case "client-auth.revocation.failure" -> softFail = switch (value) {
                        case "hard" -> false;
                        case "soft" -> true;
                        default -> throw bad(source, key, value, "hard (refuse a certificate whose status is unknown) or soft (accept it)");
                    };
                    case "client-auth.crl-files" -> crlFiles = list(value);
                    case "client-auth.crl-distribution-points" -> fetchCrls = bool(source, key, value);
                    case "client-auth.ocsp-responder" -> {
                        try {
                            java.net.URI uri = new java.net.URI(value);
                            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                                throw new java.net.URISyntaxException(value, "not an http URL");
                            }
                            ocspResponder = java.util.Optional.of(uri);
                        } catch (java.net.URISyntaxException ex) {
                            throw bad(source, key, value, "an http:// URL of an OCSP responder");
                        }
                    }
                    case "auth.digest-algorithm" -> {
                        try {
                            digestAlgorithm = org.est4j.jaxrs.auth.DigestAuthentication.Algorithm.fromConfig(value).wireName();
                        } catch (IllegalArgumentException ex) {
                            throw bad(source, key, value, "SHA-256 or MD5");
                        }
                    }
                    case "auth.digest-nonce-seconds" -> digestNonceSeconds = intIn(source, key, value, 10, 86400);
                    case "auth.digest-key-file" -> digestKeyFile = nonEmpty(source, key, value);
                    case "auth.digest-users-file" -> digestUsersFile = nonEmpty(source, key, value);
                    case "auth.one-time-passwords-file" -> otpFile = nonEmpty(source, key, value);
                    case "auth.throttle.free-failures" -> freeFailures = intIn(source, key, value, 1, 1000);
                    case "auth.throttle.free-failures-per-address" -> freeFailuresPerAddress = intIn(source, key, value, 1, 100000);
                    case "auth.throttle.max-delay-seconds" -> maxDelay = intIn(source, key, value, 1, 3600);
                    case "auth.users" -> containerUsers = switch (value) {
                        case "est4j" -> false;
                        case "container" -> true;
                        default -> throw bad(source, key, value, "est4j (users.properties) or container (the container's realm)");
                    };
                    case "auth.container-role" -> containerRole = java.util.Optional.of(nonEmpty(source, key, value));
                    case "auth.basic-realm" -> {
                        if (value.isEmpty() || value.contains("\"") || value.contains("\\")) {
                            throw bad(source, key, value, "a non-empty realm without quotes or backslashes");
                        }
                        realm = value;
                    }
                    case "auth.users-file" -> {
                        if (value.isEmpty()) {
                            throw bad(source, key, value, "a file name");
                        }
                        usersFile = value;
                    }
                    case "crypto.provider" -> {
                        try {
                            cryptoProvider = org.est4j.jaxrs.codec.SignatureProvider.Choice.parse(value);
                        } catch (IllegalArgumentException ex) {
                            throw bad(source, key, value, "auto, accp, conscrypt or bouncycastle");
                        }
                    }
                    case "auth.password-cache-seconds" -> passwordCacheSeconds = intIn(source, key, value, 0, 86400);
                    case "limits.max-request-bytes" -> maxRequestBytes = intIn(source, key, value, 1024, 16 * 1024 * 1024);
                    case "server-keygen.kek-file" -> kekFile = nonEmpty(source, key, value);
                    case "server-keygen.recipient-certificates" -> recipients = list(value);
                    case "response-signer.key" -> signerKey = nonEmpty(source, key, value);
                    case "response-signer.certificates" -> signerCerts = nonEmpty(source, key, value);
                    default -> throw new ConfigException(source.of(key) + ": unknown key '" + key + "' (see docs/configuration.md)");
                }
            }
        }

        Map<String, CaSettings> cas = new LinkedHashMap<>();
        Map<String, CmpSettings> cmpCas = new LinkedHashMap<>();
        caKeys.forEach((name, keys) -> {
            if (CmpSettings.isCmp(source, name, keys)) {
                cmpCas.put(name, CmpSettings.parse(source, name, keys));
                return;
            }
            Map<String, String> local = new LinkedHashMap<>(keys);
            local.remove("type");
            List<String> cmpKeys = local.keySet().stream().filter(k -> k.startsWith("cmp.")).map(k -> "ca." + name + "." + k).toList();
            if (!cmpKeys.isEmpty()) {
                throw new ConfigException(source.of(cmpKeys) + ": '" + String.join("', '", cmpKeys) + "' only apply with 'ca." + name
                        + ".type' = 'cmp'");
            }
            cas.put(name, caSettings(source, name, local));
        });
        labels.forEach((label, caName) -> {
            if (!cas.containsKey(caName) && !cmpCas.containsKey(caName)) {
                java.util.Set<String> names = new java.util.LinkedHashSet<>(cas.keySet());
                names.addAll(cmpCas.keySet());
                throw bad(source, "label." + label + ".ca", caName, "the name of a configured CA (" + String.join(", ", names) + ")");
            }
        });
        try {
            ProxyConfig.parse(ProxyConfig.enabled(proxy) ? proxy : withAnyFormat(proxy));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source.of(proxy.keySet()) + ": " + e.getMessage());
        }
        LabelPolicy unlabelled = policy(source, POLICY_PREFIX, policyKeys, LabelPolicy.DEFAULTS);
        Map<String, LabelPolicy> labelPolicies = new LinkedHashMap<>();
        labelPolicyKeys.forEach((label, keys) -> {
            if (!labels.containsKey(label)) {
                throw new ConfigException(source.of(keys.keySet().stream().map(k -> "label." + label + "." + k).toList()) + ": "
                        + keys.keySet().stream().map(k -> "'label." + label + "." + k + "'")
                        .collect(java.util.stream.Collectors.joining(", ")) + " configures a label without 'label." + label + ".ca'");
            }
            labelPolicies.put(label, policy(source, "label." + label + ".", keys, unlabelled));
        });
        if (revocationMode != RevocationChecking.Mode.OFF && revocationMode.usesCrls() && crlFiles.isEmpty() && !fetchCrls) {
            throw new ConfigException(source.of("client-auth.revocation") + ": 'client-auth.revocation' = '" + revocationMode.setting()
                    + "' needs CRLs: set 'client-auth.crl-files' or leave 'client-auth.crl-distribution-points' on");
        }
        RevocationChecking revocation = new RevocationChecking(revocationMode, softFail,
                crlFiles.stream().map(java.nio.file.Path::of).toList(), fetchCrls, ocspResponder, java.time.Duration.ofSeconds(5));
        return new Est4jConfig(cas, labels, anchors, realm, usersFile, users, maxRequestBytes, proxy,
                new LabelPolicies(unlabelled, labelPolicies), new KeygenFiles(kekFile, recipients), new SignerFiles(signerKey, signerCerts),
                raAnchors, new HttpAuthSettings(digestAlgorithm, digestNonceSeconds, digestKeyFile, digestUsersFile, otpFile,
                        freeFailures, freeFailuresPerAddress, maxDelay, containerUsers, containerRole, passwordCacheSeconds),
                cryptoProvider, revocation, StoreSettings.parse(source, storeKeys),
                MetricsSettings.parse(source, metricsKeys), AuditSettings.parse(source, auditKeys), cmpCas,
                ConsoleSettings.parse(source, consoleKeys));
    }

    /** The protocol options of one path; {@code base} supplies what {@code keys} does not set. */
    private static LabelPolicy policy(ConfigOrigins source, String prefix, Map<String, String> keys, LabelPolicy base) {
        boolean serverKeyGen = base.serverKeyGen();
        org.est4j.spi.KeyGenerationSpec spec = base.serverKeySpec();
        LabelPolicy.ResponseDialect responses = base.responses();
        LabelPolicy.IncompleteAuthentication incomplete = base.incompleteAuth();
        boolean enforce = base.enforceCsrAttributes();
        org.est4j.jaxrs.policy.ChannelBindingCheck.Mode binding = base.channelBinding();
        boolean raExempt = base.raAttestsPossession();
        List<LabelPolicy.HttpAuthScheme> httpAuth = base.httpAuth();
        org.est4j.jaxrs.policy.ClientAuthorization authorization = base.authorization();
        boolean tlsAndHttp = base.requireTlsAndHttp();
        int reenrollNotice = base.reenrollNoticeDays();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String key = prefix + e.getKey();
            String value = e.getValue();
            switch (e.getKey()) {
                case "server-keygen" -> serverKeyGen = bool(source, key, value);
                case "server-keygen.key-algorithm" -> {
                    try {
                        spec = KeyAlgorithm.fromConfig(value).spec();
                    } catch (IllegalArgumentException ex) {
                        throw bad(source, key, value, ex.getMessage());
                    }
                }
                case "responses" -> responses = switch (value) {
                    case "rfc7030" -> LabelPolicy.ResponseDialect.RFC7030;
                    case "draft02-pem" -> LabelPolicy.ResponseDialect.DRAFT02_PEM;
                    default -> throw bad(source, key, value, "rfc7030 or draft02-pem");
                };
                case "incomplete-auth" -> incomplete = switch (value) {
                    case "refuse" -> LabelPolicy.IncompleteAuthentication.REFUSE;
                    case "queue" -> LabelPolicy.IncompleteAuthentication.QUEUE;
                    default -> throw bad(source, key, value, "refuse or queue");
                };
                case "csr-attributes.enforce" -> enforce = bool(source, key, value);
                case "channel-binding" -> binding = switch (value) {
                    case "off" -> org.est4j.jaxrs.policy.ChannelBindingCheck.Mode.OFF;
                    case "if-present" -> org.est4j.jaxrs.policy.ChannelBindingCheck.Mode.IF_PRESENT;
                    case "required" -> org.est4j.jaxrs.policy.ChannelBindingCheck.Mode.REQUIRED;
                    default -> throw bad(source, key, value, "off, if-present or required");
                };
                case "channel-binding.ra-exempt" -> raExempt = bool(source, key, value);
                case "require-tls-and-http" -> tlsAndHttp = bool(source, key, value);
                case "reenroll-notice-days" -> reenrollNotice = intIn(source, key, value, 0, 3650);
                case "allowed-clients" -> authorization = new org.est4j.jaxrs.policy.ClientAuthorization(
                        globs(source, key, value, "user:", "cert:"), authorization.subjects());
                case "allowed-subjects" -> authorization = new org.est4j.jaxrs.policy.ClientAuthorization(
                        authorization.clients(), globs(source, key, value));
                case "http-auth" -> {
                    List<LabelPolicy.HttpAuthScheme> schemes = new ArrayList<>();
                    for (String scheme : list(value)) {
                        switch (scheme) {
                            case "basic" -> schemes.add(LabelPolicy.HttpAuthScheme.BASIC);
                            case "digest" -> schemes.add(LabelPolicy.HttpAuthScheme.DIGEST);
                            default -> throw bad(source, key, value, "basic, digest or both (digest, basic), in order of preference");
                        }
                    }
                    if (schemes.isEmpty()) {
                        throw bad(source, key, value, "basic, digest or both (digest, basic), in order of preference");
                    }
                    httpAuth = schemes;
                }
                default -> throw new ConfigException(source.of(key) + ": unknown key '" + key + "' (per path: "
                        + String.join(", ", KeyGrammar.POLICY) + (prefix.startsWith("label.") ? "; and ca" : "") + ")");
            }
        }
        return new LabelPolicy(serverKeyGen, spec, responses, incomplete, enforce, binding, raExempt, httpAuth, authorization, tlsAndHttp,
                reenrollNotice);
    }

    /** A ';'-separated list of globs (';' because distinguished names contain commas), each with one of the prefixes, if given. */
    private static List<String> globs(ConfigOrigins source, String key, String value, String... prefixes) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(";")) {
            String glob = part.strip();
            if (glob.isEmpty()) {
                continue;
            }
            if (prefixes.length > 0 && Arrays.stream(prefixes).noneMatch(glob::startsWith)) {
                throw bad(source, key, value, "';'-separated patterns starting with " + String.join(" or ", prefixes)
                        + " (e.g. user:factory-*; cert:CN=*,O=Example)");
            }
            out.add(glob);
        }
        return out;
    }

    static boolean bool(ConfigOrigins source, String key, String value) {
        return switch (value) {
            case "true", "on" -> true;
            case "false", "off" -> false;
            default -> throw bad(source, key, value, "true or false");
        };
    }

    private static String nonEmpty(ConfigOrigins source, String key, String value) {
        if (value.isEmpty()) {
            throw bad(source, key, value, "a file name");
        }
        return value;
    }

    private static List<String> list(String value) {
        return value.isEmpty() ? List.of()
                : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Lets inert proxy keys (no trusted address yet) be checked for typos without demanding a format. */
    private static Map<String, String> withAnyFormat(Map<String, String> proxy) {
        Map<String, String> copy = new LinkedHashMap<>(proxy);
        copy.putIfAbsent("proxy.client-cert.format", ForwardedCertificateFormat.NGINX.configName());
        return copy;
    }

    private static CaSettings caSettings(ConfigOrigins source, String name, Map<String, String> keys) {
        String prefix = "ca." + name + ".";
        KeyAlgorithm alg = KeyAlgorithm.EC_P256;
        String subject = "CN=est4j Local CA " + name;
        int validity = 3650;
        int certValidity = 365;
        List<String> ekus = List.of(EKU_NAMES.get("clientAuth"));
        CsrAttributes csrAttributes = new CsrAttributes(List.of());
        boolean manual = false;
        int retryAfter = 60;
        List<CsrAttributes.SubjectField> templateSubject = List.of();
        java.util.Optional<CsrAttributes.KeyTemplate> templateKey = java.util.Optional.empty();
        List<CsrAttributes.ExtensionTemplate> templateExtensions = List.of();
        boolean template = false;
        List<RequestPolicy.KeyRule> allowedKeys = RequestPolicy.DEFAULTS.keys();
        java.util.Set<String> allowedDigests = RequestPolicy.DEFAULTS.signatureDigests();
        int crlValidityHours = CaSettings.DEFAULT_CRL_VALIDITY_HOURS;
        java.net.URI crlDistributionPoint = CaSettings.defaultCrlDistributionPoint(name);
        boolean pkcs11 = false;
        Map<String, String> pkcs11Keys = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String key = prefix + e.getKey();
            String value = e.getValue();
            switch (e.getKey()) {
                case "key-algorithm" -> {
                    try {
                        alg = KeyAlgorithm.fromConfig(value);
                    } catch (IllegalArgumentException ex) {
                        throw bad(source, key, value, ex.getMessage());
                    }
                }
                case "subject" -> {
                    try {
                        new X500Principal(value);
                    } catch (IllegalArgumentException ex) {
                        throw bad(source, key, value, "an X.500 name such as CN=My CA,O=Example");
                    }
                    subject = value;
                }
                case "validity-days" -> validity = intIn(source, key, value, 1, 36500);
                case "cert-validity-days" -> certValidity = intIn(source, key, value, 1, 36500);
                case "extended-key-usage" -> ekus = ekus(source, key, value);
                case "csr-attributes" -> csrAttributes = csrAttributes(source, key, value);
                case "approval" -> manual = switch (value) {
                    case "automatic" -> false;
                    case "manual" -> true;
                    default -> throw bad(source, key, value, "automatic or manual");
                };
                case "retry-after-seconds" -> retryAfter = intIn(source, key, value, 1, 86400);
                case "csr-template-subject" -> {
                    template = true;
                    templateSubject = templateSubject(source, key, value);
                }
                case "csr-template-key" -> {
                    template = true;
                    try {
                        int eq = value.indexOf('=');
                        templateKey = java.util.Optional.of(eq < 0 ? new CsrAttributes.KeyTemplate(oid(value.strip()), java.util.Optional.empty())
                                : new CsrAttributes.KeyTemplate(oid(value.substring(0, eq).strip()),
                                        java.util.Optional.of(oid(value.substring(eq + 1).strip()))));
                    } catch (IllegalArgumentException ex) {
                        throw bad(source, key, value, "a key type such as ecPublicKey=secp256r1, rsaEncryption or Ed25519 ("
                                + ex.getMessage() + ")");
                    }
                }
                case "csr-template-extensions" -> {
                    template = true;
                    try {
                        templateExtensions = list(value).stream().map(x -> new CsrAttributes.ExtensionTemplate(oid(x),
                                false, java.util.Optional.empty())).toList();
                    } catch (IllegalArgumentException ex) {
                        throw bad(source, key, value, "a comma list of extension names (subjectAltName, keyUsage, "
                                + "extendedKeyUsage) or dotted OIDs (" + ex.getMessage() + ")");
                    }
                }
                case "allowed-keys" -> {
                    try {
                        allowedKeys = RequestPolicy.parseKeys(value);
                        new RequestPolicy(allowedKeys, allowedDigests);
                    } catch (IllegalArgumentException ex) {
                        throw bad(source, key, value, "a comma list of RSA-<min>-<max>, EC-P256, EC-P384, EC-P521, Ed25519, Ed448 ("
                                + ex.getMessage() + ")");
                    }
                }
                case "allowed-signature-digests" -> {
                    try {
                        allowedDigests = RequestPolicy.parseDigests(value);
                        new RequestPolicy(allowedKeys, allowedDigests);
                    } catch (IllegalArgumentException ex) {
                        throw bad(source, key, value, ex.getMessage());
                    }
                }
                // an hour at least (a CRL reissued every half hour is already plenty), a year at most (RFC 5280 leaves it
                // open; longer would leave relying parties with revocations they cannot learn of)
                case "crl-validity-hours" -> crlValidityHours = intIn(source, key, value, 1, 8760);
                case "crl-distribution-point" -> crlDistributionPoint = crlUrl(source, key, value);
                case "key-store" -> pkcs11 = switch (value) {
                    case "file" -> false;
                    case "pkcs11" -> true;
                    default -> throw bad(source, key, value, "file (ca/" + name + "/ca-key.pem, the default) or pkcs11 (a key "
                            + "generated inside a PKCS#11 token, ca." + name + ".pkcs11.*)");
                };
                case "pkcs11.library", "pkcs11.slot", "pkcs11.token-label", "pkcs11.key-label", "pkcs11.pin-file",
                     "pkcs11.pin-env" -> pkcs11Keys.put(e.getKey(), value);
                default -> throw new ConfigException(source.of(key) + ": unknown key '" + key + "' (a CA has "
                        + String.join(", ", KeyGrammar.CA.stream().filter(k -> !k.equals("pkcs11.pin") && !k.startsWith("cmp.") && !k.equals("type")).toList()) + ")");
            }
        }
        Pkcs11Settings token = null;
        if (pkcs11) {
            token = pkcs11(source, prefix, name, alg, pkcs11Keys);
        } else if (!pkcs11Keys.isEmpty()) {
            throw new ConfigException(source.of(pkcs11Keys.keySet().stream().map(k -> prefix + k).toList()) + ": "
                    + pkcs11Keys.keySet().stream().map(k -> "'" + prefix + k + "'")
                    .collect(java.util.stream.Collectors.joining(", ")) + " only apply with '" + prefix + "key-store' = 'pkcs11'");
        }
        if (template) {
            // RFC 9908: the template goes out next to the classic items, for clients that read either form
            List<CsrAttributes.Item> items = new ArrayList<>(csrAttributes.items());
            items.add(new CsrAttributes.Template(templateSubject, templateKey, templateExtensions));
            csrAttributes = new CsrAttributes(items);
        }
        return new CaSettings(name, alg, subject, validity, certValidity, ekus, csrAttributes, manual, retryAfter,
                new RequestPolicy(allowedKeys, allowedDigests), crlValidityHours, crlDistributionPoint, token);
    }

    /** The {@code ca.<name>.pkcs11.*} keys of a CA whose key store is a PKCS#11 token. */
    private static Pkcs11Settings pkcs11(ConfigOrigins source, String prefix, String name, KeyAlgorithm alg, Map<String, String> keys) {
        if (alg == KeyAlgorithm.ED25519) {
            // SunPKCS11 (JDK 17) has no EdDSA: it can neither generate nor sign with an Ed25519 key in a token
            throw new ConfigException(source.of(prefix + "key-algorithm", prefix + "key-store") + ": '" + prefix
                    + "key-algorithm' = 'Ed25519' cannot be used with '" + prefix
                    + "key-store' = 'pkcs11': the JDK's PKCS#11 provider has no Ed25519; use EC-P256, EC-P384, RSA-2048 or RSA-3072");
        }
        return Pkcs11Settings.parse(source, prefix, "key-store", Pkcs11Settings.defaultKeyLabel(name), keys);
    }


    /**
     * An absolute {@code http://} URL with a host: RFC 5280 section 4.2.1.13 (http or ldap; not https, whose certificate
     * would be checked against this very CRL). ASCII only, since the URL goes into an IA5String.
     */
    private static java.net.URI crlUrl(ConfigOrigins source, String key, String value) {
        try {
            java.net.URI uri = new java.net.URI(value);
            if ("http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && uri.getRawFragment() == null
                    && value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw bad(source, key, value, "an http:// URL where relying parties can fetch the CRL, such as "
                + "http://pki.example.com/crl/<name>.crl (http, not https: RFC 5280 section 4.2.1.13)");
    }

    /**
     * {@code challengePassword, ecPublicKey=secp384r1, extensionRequest=macAddress, ecdsa-with-SHA384}: comma-separated
     * items, each an OID or {@code type=value value...}; names from {@link #OID_NAMES} or dotted OIDs.
     */
    private static CsrAttributes csrAttributes(ConfigOrigins source, String key, String value) {
        List<CsrAttributes.Item> items = new ArrayList<>();
        try {
            for (String raw : value.split(",")) {
                String item = raw.strip();
                if (item.isEmpty()) {
                    continue;
                }
                int eq = item.indexOf('=');
                if (eq < 0) {
                    items.add(new CsrAttributes.Oid(oid(item)));
                } else {
                    List<String> values = new ArrayList<>();
                    for (String v : item.substring(eq + 1).strip().split("\\s+")) {
                        values.add(oid(v));
                    }
                    items.add(new CsrAttributes.Attribute(oid(item.substring(0, eq).strip()), values));
                }
            }
        } catch (IllegalArgumentException e) {
            throw bad(source, key, value, "a comma list of OIDs or type=value items, with dotted OIDs or the names "
                    + String.join(", ", new TreeSet<>(OID_NAMES.keySet())) + " (" + e.getMessage() + ")");
        }
        return new CsrAttributes(items);
    }

    /** {@code CN, O=Example Corp, serialNumber}: fields in order, each with an optional fixed value. */
    private static List<CsrAttributes.SubjectField> templateSubject(ConfigOrigins source, String key, String value) {
        List<CsrAttributes.SubjectField> fields = new ArrayList<>();
        for (String item : list(value)) {
            int eq = item.indexOf('=');
            String name = (eq < 0 ? item : item.substring(0, eq)).strip();
            String type = RDN_NAMES.getOrDefault(name, name);
            if (!OID.matcher(type).matches()) {
                throw bad(source, key, value, "a comma list of " + String.join(", ", new TreeSet<>(RDN_NAMES.keySet()))
                        + " or dotted OIDs, each optionally =value");
            }
            fields.add(new CsrAttributes.SubjectField(type, eq < 0 ? java.util.Optional.empty()
                    : java.util.Optional.of(item.substring(eq + 1).strip())));
        }
        return fields;
    }

    private static String oid(String nameOrOid) {
        String oid = OID_NAMES.getOrDefault(nameOrOid, nameOrOid);
        if (!OID.matcher(oid).matches()) {
            throw new IllegalArgumentException("unknown name '" + nameOrOid + "'");
        }
        return oid;
    }

    private static List<String> ekus(ConfigOrigins source, String key, String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String s = part.strip();
            if (s.isEmpty()) {
                continue;
            }
            String oid = EKU_NAMES.getOrDefault(s, s);
            if (!OID.matcher(oid).matches()) {
                throw bad(source, key, value, "a comma list of " + String.join(", ", new TreeSet<>(EKU_NAMES.keySet()))
                        + " or dotted OIDs");
            }
            out.add(oid);
        }
        return out;
    }

    /** {@code value} as a whole number from {@code min} to {@code max}, or the refusal naming {@code key} (CmpSettings too). */
    static int intIn(ConfigOrigins source, String key, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(source, key, value, "a whole number from " + min + " to " + max);
    }

    /** The one-line refusal of {@code key} = {@code value}, saying what is {@code expected} (CmpSettings too). */
    static ConfigException bad(ConfigOrigins source, String key, String value, String expected) {
        return new ConfigException(source.of(key) + ": '" + key + "' = '" + value + "': expected " + expected);
    }

    /** The local CA serving {@code label}, or the default CA for unlabelled requests; null for an unknown label. */
    public String caFor(java.util.Optional<String> label) {
        // not label.map(labels::get).orElse(DEFAULT_CA): an unknown label must not fall back to the default CA
        return label.isEmpty() ? DEFAULT_CA : labels.get(label.get());
    }
}

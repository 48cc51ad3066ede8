package org.est4j.war;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.est4j.jaxrs.auth.PasswordHashes;
import org.est4j.jaxrs.codec.SignatureProvider;
import org.est4j.war.config.CaSettings;
import org.est4j.war.config.ConfigException;
import org.est4j.war.config.Est4jConfig;
import org.est4j.war.config.KeyAlgorithm;
import org.est4j.war.config.StoreSettings;
import org.est4j.war.localca.LocalCa;
import org.est4j.war.store.FileStore;
import org.est4j.war.store.JdbcStore;
import org.est4j.war.store.StateStore;

/**
 * est4j's data directory: configuration, local CAs, the HTTPS server certificate, the client trust
 * store and the HTTP users.
 *
 * <p>Location: the environment variable {@code EST_HOME}, else the system property {@code est.home},
 * else on WildFly {@code ${jboss.server.data.dir}/est4j}, else {@code ~/.est4j}. {@link #open} creates what is missing (first start) and is otherwise
 * read-only, so it is safe to run before every start; both the WAR and {@link EstHomeInit} call it.
 */
public final class EstHome implements Closeable {

    private static final System.Logger LOG = System.getLogger(EstHome.class.getName());

    /** id-kp-cmcRA (RFC 6402): marks the server as an EST server / RA for clients that check (RFC 7030 section 3.6.1). */
    private static final String CMC_RA = "1.3.6.1.5.5.7.3.28";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_";

    private final Path dir;
    private final Est4jConfig config;
    private final Map<String, LocalCa> cas;
    private final List<X509Certificate> clientTrustAnchors;
    private final Map<String, String> users;
    private final SignatureProvider.Selection crypto;
    private final StateStore store;

    private EstHome(Path dir, Est4jConfig config, Map<String, LocalCa> cas, List<X509Certificate> anchors,
                    Map<String, String> users, SignatureProvider.Selection crypto, StateStore store) {
        this.dir = dir;
        this.store = store;
        this.crypto = crypto;
        this.config = config;
        this.cas = Map.copyOf(cas);
        this.clientTrustAnchors = List.copyOf(anchors);
        this.users = Map.copyOf(users);
    }

    /** The data directory this process uses. */
    public static Path location() {
        String env = System.getenv("EST_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        String prop = System.getProperty("est.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        String wildflyData = System.getProperty("jboss.server.data.dir");
        if (wildflyData != null && !wildflyData.isBlank()) {
            // WildFly: next to the server's other persistent data, as its operators expect
            return Path.of(wildflyData, "est4j").toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.home"), ".est4j").toAbsolutePath().normalize();
    }

    /**
     * Opens {@code dir}, creating on first start the configuration template, the local CAs, the
     * HTTPS server certificate, the client trust store and the initial user.
     *
     * @throws ConfigException for an invalid configuration (the message names the key)
     */
    public static EstHome open(Path dir) throws IOException {
        SecureFiles.createPrivateDirectory(dir);
        // Serialises first-start creation between processes (the init command and the WAR).
        try (FileChannel lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockChannel.lock()) {
            Path configFile = dir.resolve(Est4jConfig.FILE_NAME);
            if (!Files.exists(configFile)) {
                SecureFiles.write(configFile, template(), SecureFiles.OWNER_ONLY);
                created(configFile, "configuration");
            }
            Est4jConfig config = Est4jConfig.load(configFile);
            // before the CAs open: each CA converts its key to the chosen provider's key type once
            SignatureProvider.Selection crypto;
            try {
                crypto = SignatureProvider.select(config.cryptoProvider());
            } catch (IllegalStateException e) {
                throw new ConfigException(Est4jConfig.FILE_NAME + ": " + e.getMessage());
            }
            SignatureProvider.use(crypto.provider());
            StateStore store = openStore(dir, config);
            Map<String, LocalCa> cas = new LinkedHashMap<>();
            try {
                for (CaSettings settings : config.cas().values()) {
                    // ca.pem for a key in a token (it may hold the key already, for another instance), else the key file
                    // (or, after a rollover, its generations file: generation 1's key is gone once the overlap ended)
                    boolean fresh = !Files.exists(dir.resolve("ca").resolve(settings.name())
                            .resolve(settings.pkcs11() != null ? "ca.pem" : "ca-key.pem"))
                            && !Files.exists(dir.resolve("ca").resolve(settings.name()).resolve("generations.properties"));
                    LocalCa ca = LocalCa.openOrCreate(dir.resolve("ca").resolve(settings.name()), settings, dir, store::openCa);
                    cas.put(settings.name(), ca);
                    if (fresh) {
                        created(dir.resolve("ca").resolve(settings.name()), "local CA '" + settings.name() + "' ("
                                + settings.keyAlgorithm().configName() + ")");
                    }
                }
                LocalCa defaultCa = cas.get(Est4jConfig.DEFAULT_CA);
                Path caPem = dir.resolve("ca.pem");
                if (!Files.exists(caPem)) {
                    SecureFiles.write(caPem, Pem.certificates(List.of(defaultCa.certificate())), SecureFiles.READABLE);
                    created(caPem, "CA certificate for clients (curl --cacert)");
                }
                CaRollover.publishRoots(dir, defaultCa); // a rollover made on the command line while est4j was stopped
                ensureServerCertificate(dir, defaultCa);
                List<X509Certificate> anchors = trustAnchors(dir, config, cas);
                ensureTruststore(dir.resolve("client-truststore.p12"), anchors);
                Map<String, String> users = ensureUsers(dir, config);
                return new EstHome(dir, config, cas, anchors, users, crypto, store);
            } catch (IOException | RuntimeException e) {
                for (LocalCa ca : cas.values()) {
                    ca.close();
                }
                store.close();
                throw e;
            }
        }
    }

    public Path directory() {
        return dir;
    }

    /**
     * The store {@code config} names: files in {@code dir}, or the shared database (its schema migrated). For the
     * administrator's command too, which works on the same records as the running instances.
     */
    public static StateStore openStore(Path dir, Est4jConfig config) throws IOException {
        return config.store().type() == StoreSettings.Type.JDBC ? JdbcStore.open(config.store(), dir)
                : new FileStore(dir, config.httpAuth().oneTimePasswordsFile());
    }

    /** Where the deployment keeps what it must not lose. */
    public StateStore store() {
        return store;
    }

    public Est4jConfig config() {
        return config;
    }

    /** The configured revocation checking, its CRL files resolved against this directory. */
    public org.est4j.jaxrs.auth.RevocationChecking revocationChecking() {
        org.est4j.jaxrs.auth.RevocationChecking r = config.revocation();
        return new org.est4j.jaxrs.auth.RevocationChecking(r.mode(), r.softFail(),
                r.crlFiles().stream().map(dir::resolve).toList(), r.fetchCrls(), r.ocspResponder(), r.timeout());
    }

    public Map<String, LocalCa> localCas() {
        return cas;
    }

    public List<X509Certificate> clientTrustAnchors() {
        return clientTrustAnchors;
    }

    /** User name to Argon2id PHC hash. */
    /** The JCA provider that signs and verifies, and the start-up log's description of it. */
    public SignatureProvider.Selection crypto() {
        return crypto;
    }

    public Map<String, String> users() {
        return users;
    }

    private static void ensureServerCertificate(Path dir, LocalCa ca) throws IOException {
        Path cert = dir.resolve("tls-server.pem");
        Path key = dir.resolve("tls-server-key.pem");
        if (Files.exists(cert) && Files.exists(key)) {
            return;
        }
        // Always EC P-256, whatever the CA's algorithm: server.xml declares type="EC".
        KeyPair pair = KeyAlgorithm.EC_P256.generate();
        List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "::1")));
        String host = hostName();
        if (host != null && !host.equals("localhost")) {
            names.add(new GeneralName(GeneralName.dNSName, host));
        }
        X509Certificate server = ca.issue(new LocalCa.Profile(new X500Principal("CN=localhost"), pair.getPublic(),
                new GeneralNames(names.toArray(GeneralName[]::new)), List.of(SERVER_AUTH, CMC_RA)));
        SecureFiles.write(key, Pem.privateKey(pair.getPrivate()), SecureFiles.OWNER_ONLY);
        SecureFiles.write(cert, Pem.certificates(List.of(server, ca.certificate())), SecureFiles.READABLE);
        created(cert, "HTTPS server certificate (serverAuth + id-kp-cmcRA) and its key " + key.getFileName());
        writeWildflyKeyStore(dir, pair, List.of(server, ca.certificate()));
    }

    /**
     * WildFly's Elytron reads key stores, not PEM: the same server key and chain as {@code tls-server.p12}
     * with a generated password, and {@code wildfly-tls.cli}, the Elytron commands with that password and
     * this directory filled in (both 0600).
     */
    private static void writeWildflyKeyStore(Path dir, KeyPair pair, List<X509Certificate> chain) throws IOException {
        char[] password = randomPassword(24);
        try {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("est4j", pair.getPrivate(), password, chain.toArray(X509Certificate[]::new));
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            ks.store(out, password);
            SecureFiles.write(dir.resolve("tls-server.p12"), out.toByteArray(), SecureFiles.OWNER_ONLY);
            String template;
            try (var in = EstHome.class.getResourceAsStream("wildfly-tls.cli")) {
                template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            SecureFiles.write(dir.resolve("wildfly-tls.cli"), template.replace("@EST_HOME@", dir.toAbsolutePath().toString())
                    .replace("@TLS_PASSWORD@", new String(password)).getBytes(StandardCharsets.UTF_8), SecureFiles.OWNER_ONLY);
            created(dir.resolve("wildfly-tls.cli"), "WildFly Elytron TLS commands and their key store tls-server.p12");
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot write tls-server.p12: " + e.getMessage(), e);
        } finally {
            java.util.Arrays.fill(password, '\0');
        }
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name.matches("[A-Za-z0-9.-]{1,253}") ? name : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static List<X509Certificate> trustAnchors(Path dir, Est4jConfig config, Map<String, LocalCa> cas) throws IOException {
        List<X509Certificate> anchors = new ArrayList<>();
        if (config.trustAnchorFiles().isEmpty()) {
            // every root in use: during a rollover's overlap certificates of the old and of the new key authenticate
            cas.values().forEach(ca -> anchors.addAll(ca.roots()));
            return anchors;
        }
        for (String name : config.trustAnchorFiles()) {
            Path file = dir.resolve(name);
            try {
                anchors.addAll(Pem.readCertificates(file));
            } catch (IOException e) {
                throw new ConfigException(Est4jConfig.FILE_NAME + ": 'client-auth.trust-anchors' names " + file
                        + ", which is not a readable PEM certificate file", e);
            }
        }
        return anchors;
    }

    private static void ensureTruststore(Path file, List<X509Certificate> anchors) throws IOException {
        // Rewritten whenever the anchors differ, so the JSSE connector and est4j always agree.
        if (Files.exists(file)) {
            try {
                List<X509Certificate> current = ClientTruststore.read(file);
                if (current.size() == anchors.size() && current.containsAll(anchors)) {
                    return;
                }
            } catch (IOException e) {
                // unreadable: rewrite it
            }
        }
        ClientTruststore.write(file, anchors);
        created(file, "client trust store for JSSE connectors (" + anchors.size() + " anchor(s), no password)");
    }

    private static Map<String, String> ensureUsers(Path dir, Est4jConfig config) throws IOException {
        Path file = dir.resolve(config.usersFile());
        if (!Files.exists(file)) {
            char[] password = randomPassword(24);
            Properties p = new Properties();
            p.setProperty("est", PasswordHashes.hash(password));
            StringWriter out = new StringWriter();
            p.store(out, "est4j HTTP users: name=Argon2id PHC hash");
            SecureFiles.write(file, out.toString().getBytes(StandardCharsets.ISO_8859_1), SecureFiles.OWNER_ONLY);
            // the same user for HTTP Digest: HA1 = H(user:realm:password), SHA-256 and MD5 (libest)
            Path digestUsers = dir.resolve(config.httpAuth().digestUsersFile());
            if (!Files.exists(digestUsers)) {
                SecureFiles.write(digestUsers, ("# est4j HTTP Digest users of realm '" + config.basicRealm() + "': name = SHA-256:<HA1>,MD5:<HA1>\n"
                        + "est = " + HttpAuthSetup.ha1Line("est", config.basicRealm(), password) + "\n").getBytes(StandardCharsets.UTF_8),
                        SecureFiles.OWNER_ONLY);
            }
            Path initial = dir.resolve("initial-credentials");
            SecureFiles.write(initial, ("est:" + new String(password) + "\n").getBytes(StandardCharsets.US_ASCII),
                    SecureFiles.OWNER_ONLY);
            java.util.Arrays.fill(password, '\0');
            created(initial, "initial HTTP Basic credentials (user 'est', generated password; mode 0600)");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            p.load(r);
        }
        Map<String, String> users = new TreeMap<>();
        for (String name : p.stringPropertyNames()) {
            String hash = p.getProperty(name).strip();
            if (!PasswordHashes.isWellFormed(hash)) {
                throw new ConfigException(file + ": user '" + name + "': expected an Argon2id PHC hash "
                        + "($argon2id$v=19$m=...,t=...,p=...$salt$hash)");
            }
            users.put(name, hash);
        }
        for (Map.Entry<String, String> e : config.users().entrySet()) {
            if (users.containsKey(e.getKey())) {
                throw new ConfigException(Est4jConfig.FILE_NAME + ": 'user." + e.getKey() + "' is also defined in " + file
                        + "; define each user once");
            }
            users.put(e.getKey(), e.getValue());
        }
        return users;
    }

    static char[] randomPassword(int length) {
        SecureRandom random = new SecureRandom();
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length()));
        }
        return out;
    }

    private static void created(Path path, String what) {
        LOG.log(Level.INFO, "est4j created {0}: {1}", what, path);
    }

    private static byte[] template() {
        return """
                # est4j configuration. Every key is optional; see docs/configuration.md.
                # A wrong key or value stops start-up with a message naming it.

                # The default local CA (used for /.well-known/est/... without a label).
                # Key algorithm and subject take effect when the CA is created (first start).
                #ca.default.key-algorithm = EC-P256
                #ca.default.subject = CN=est4j Local CA default
                #ca.default.validity-days = 3650
                #ca.default.cert-validity-days = 365
                #ca.default.extended-key-usage = clientAuth
                # CRLs: their lifetime, and the URL written into every issued certificate (est4j serves it at /crl/<name>.crl;
                # set a host name your relying parties reach)
                #ca.default.crl-validity-hours = 24
                #ca.default.crl-distribution-point = http://localhost:8080/crl/default.crl

                # Another local CA, served under the label "iot" (/.well-known/est/iot/...):
                #ca.iot.key-algorithm = RSA-3072
                #label.iot.ca = iot

                # PEM files with the CAs whose certificates may authenticate EST clients over TLS
                # (default: every local CA certificate). Relative paths are relative to this directory.
                #client-auth.trust-anchors = ca.pem, manufacturer-ca.pem

                # HTTP Basic users, in addition to users.properties: name = Argon2id PHC hash (never a password)
                #user.router-provisioning = $argon2id$v=19$m=19456,t=2,p=1$...$...

                #auth.basic-realm = est4j
                #auth.users-file = users.properties
                #limits.max-request-bytes = 65536
                """.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (LocalCa ca : cas.values()) {
            try {
                ca.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        try {
            store.close();
        } catch (IOException e) {
            first = first == null ? e : first;
        }
        if (first != null) {
            throw first;
        }
    }
}

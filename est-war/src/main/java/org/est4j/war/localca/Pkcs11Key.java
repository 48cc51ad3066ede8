package org.est4j.war.localca;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Set;

import org.est4j.war.config.KeyAlgorithm;
import org.est4j.war.config.Pkcs11Settings;

/**
 * A local CA's key inside a PKCS#11 token, used through a SunPKCS11 provider instance of its own. The key pair is
 * generated inside the token (CKA_TOKEN, CKA_SENSITIVE, CKA_PRIVATE, not CKA_EXTRACTABLE): the private key never
 * leaves it, every signature is computed by the token. The CA certificate is kept in the token under the key's label
 * (the key store alias), so that a second instance on the same token finds both.
 *
 * <p>Failures are {@link IOException}s with a one-line reason (wrong PIN, no such token, no such module); the cause
 * is logged, never the PIN.
 *
 * <p>A CMP CA's RA key ({@code ca.<name>.cmp.signature.key-store = pkcs11}) is opened the same way, which is why this
 * class and its reading methods are public.
 */
public final class Pkcs11Key {

    private static final System.Logger LOG = System.getLogger(Pkcs11Key.class.getName());

    /** What the JVM needs so that a token can be chosen by its label (SunPKCS11 itself only takes a slot). */
    static final String ADD_EXPORTS = "--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";

    private static final String CKF_OS_LOCKING_OK = "CKF_OS_LOCKING_OK";

    private final String caName;
    private final Pkcs11Settings settings;
    private final Provider provider;
    private final KeyStore keyStore;

    private Pkcs11Key(String caName, Pkcs11Settings settings, Provider provider, KeyStore keyStore) {
        this.caName = caName;
        this.settings = settings;
        this.provider = provider;
        this.keyStore = keyStore;
    }

    /**
     * Loads the module, selects the token and logs in with the PIN.
     *
     * @param home EST_HOME, against which a relative PIN file is resolved
     */
    public static Pkcs11Key open(String caName, Pkcs11Settings settings, Path home) throws IOException {
        if (!Files.isRegularFile(settings.library())) {
            throw new IOException("the PKCS#11 module " + settings.library() + " (ca." + caName + ".pkcs11.library) does not exist");
        }
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new IOException("this JVM has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
        }
        long slot = settings.slot().isPresent() ? settings.slot().getAsLong() : slotOf(caName, settings);
        Provider provider;
        try {
            provider = base.configure(providerConfig(caName, settings.library(), slot, settings.keyLabel()));
        } catch (RuntimeException e) {
            throw failure(caName, "the PKCS#11 module " + settings.library() + " cannot be used with " + settings.tokenDescription(), e);
        }
        char[] pin = pin(caName, settings, home);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS11", provider);
            ks.load(null, pin);
            return new Pkcs11Key(caName, settings, provider, ks);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw failure(caName, "cannot log in to " + settings.tokenDescription(), e);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    /** The provider instance holding the token's keys: the only one that can sign with them. */
    public Provider provider() {
        return provider;
    }

    /**
     * The label of the CA's key generation {@code n} (docs/rollover.md): the key label for the first key, the key label
     * and {@code .g<n>} for the keys of later rollovers.
     */
    String label(int n) {
        return n == 1 ? settings.keyLabel() : settings.keyLabel() + ".g" + n;
    }

    /** The CA's private key in the token, or null if the token has none under the key label. */
    public PrivateKey privateKey() throws IOException {
        return privateKey(settings.keyLabel());
    }

    /** The private key the token keeps under {@code label}, or null. */
    PrivateKey privateKey(String label) throws IOException {
        try {
            Key key = keyStore.isKeyEntry(label) ? keyStore.getKey(label, null) : null;
            if (key != null && !(key instanceof PrivateKey)) {
                throw new IOException(settings.tokenDescription() + ": '" + label + "' is not a private key");
            }
            return (PrivateKey) key;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure(caName, "cannot read the key '" + label + "' in " + settings.tokenDescription(), e);
        }
    }

    /** The certificate the token keeps under the key label, or null. */
    public X509Certificate certificate() throws IOException {
        try {
            Certificate c = keyStore.getCertificate(settings.keyLabel());
            return c instanceof X509Certificate x ? x : null;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure(caName, "cannot read the certificate '" + settings.keyLabel() + "' in " + settings.tokenDescription(), e);
        }
    }

    /** Deletes the key and certificate the token keeps under {@code label}, if any (a rollover's end, or its leftovers). */
    void delete(String label) throws IOException {
        try {
            if (keyStore.containsAlias(label)) {
                keyStore.deleteEntry(label);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure(caName, "cannot delete '" + label + "' in " + settings.tokenDescription(), e);
        }
    }

    /** Generates a key pair of {@code algorithm} inside the token (not yet labelled: {@link #store} does that). */
    KeyPair generate(KeyAlgorithm algorithm) throws IOException {
        try {
            KeyPairGenerator g;
            switch (algorithm) {
                case EC_P256, EC_P384 -> {
                    g = KeyPairGenerator.getInstance("EC", provider);
                    g.initialize(new ECGenParameterSpec(algorithm == KeyAlgorithm.EC_P256 ? "secp256r1" : "secp384r1"));
                }
                case RSA_2048, RSA_3072 -> {
                    g = KeyPairGenerator.getInstance("RSA", provider);
                    g.initialize(new RSAKeyGenParameterSpec(algorithm == KeyAlgorithm.RSA_2048 ? 2048 : 3072, RSAKeyGenParameterSpec.F4));
                }
                default -> throw new IOException("a " + algorithm.configName() + " key cannot be generated in a PKCS#11 token");
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure(caName, settings.tokenDescription() + " cannot generate a " + algorithm.configName() + " key", e);
        }
    }

    /** Labels the generated {@code key} and stores {@code certificate} next to it in the token. */
    void store(PrivateKey key, X509Certificate certificate) throws IOException {
        store(settings.keyLabel(), key, certificate);
    }

    /** Labels the generated {@code key} {@code label} and stores {@code certificate} next to it in the token. */
    void store(String label, PrivateKey key, X509Certificate certificate) throws IOException {
        try {
            // SunPKCS11 updates the token object in place (label, id) and adds the certificate; nothing leaves the token
            keyStore.setKeyEntry(label, key, null, new Certificate[] {certificate});
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure(caName, "cannot store the CA certificate in " + settings.tokenDescription(), e);
        }
    }

    /** Whether the token's {@code key} is the private half of {@code publicKey}: a signature it makes verifies. */
    boolean matches(PrivateKey key, PublicKey publicKey) throws IOException {
        String algorithm = "RSA".equals(publicKey.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] message = ("est4j " + caName + " " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        byte[] signature;
        try {
            Signature signer = Signature.getInstance(algorithm, provider);
            signer.initSign(key);
            signer.update(message);
            signature = signer.sign();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure(caName, "the key '" + settings.keyLabel() + "' in " + settings.tokenDescription() + " cannot sign", e);
        }
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a key of another type: not the same key
        }
    }

    /**
     * The SunPKCS11 configuration: the token's slot and the attributes of the keys generated in it, both token objects
     * labelled with the key label (CKA_LABEL, for the token's own tools; the key store finds the key by the CKA_ID that
     * {@link #store} gives it together with the certificate, so a key whose certificate was never stored stays unused).
     */
    static String providerConfig(String caName, Path library, long slot, String keyLabel) {
        String label = java.util.HexFormat.of().formatHex(keyLabel.getBytes(StandardCharsets.UTF_8));
        return "--name = est4j-" + caName + "\n"
                + "library = \"" + library + "\"\n"
                + "slot = " + slot + "\n"
                + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n"
                + "  CKA_TOKEN = true\n"
                + "  CKA_PRIVATE = true\n"
                + "  CKA_SENSITIVE = true\n"
                + "  CKA_EXTRACTABLE = false\n"
                + "  CKA_LABEL = 0h" + label + "\n"
                + "}\n"
                + "attributes(generate, CKO_PUBLIC_KEY, *) = {\n"
                + "  CKA_TOKEN = true\n"
                + "  CKA_PRIVATE = false\n"
                + "  CKA_LABEL = 0h" + label + "\n"
                + "}\n";
    }

    /**
     * The slot of the token labelled {@code settings.tokenLabel()}. SunPKCS11 selects tokens by slot only, so the labels
     * are read through its PKCS#11 wrapper, which the JVM must export ({@link #ADD_EXPORTS}).
     */
    private static long slotOf(String caName, Pkcs11Settings settings) throws IOException {
        Object module;
        Class<?> wrapper;
        try {
            wrapper = Class.forName("sun.security.pkcs11.wrapper.PKCS11");
            Class<?> initArgsType = Class.forName("sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS");
            Object initArgs = initArgsType.getConstructor().newInstance();
            // the same initialisation as SunPKCS11's, which shares this module instance
            long osLocking = Class.forName("sun.security.pkcs11.wrapper.PKCS11Constants").getField(CKF_OS_LOCKING_OK).getLong(null);
            initArgsType.getField("flags").setLong(initArgs, osLocking);
            module = wrapper.getMethod("getInstance", String.class, String.class, initArgsType, boolean.class)
                    .invoke(null, settings.library().toString(), "C_GetFunctionList", initArgs, false);
        } catch (IllegalAccessException | RuntimeException e) {
            LOG.log(Level.DEBUG, "PKCS#11 wrapper not accessible", e);
            throw new IOException("ca." + caName + ".pkcs11.token-label needs the JVM option " + ADD_EXPORTS
                    + " (in CATALINA_OPTS) to read token labels; or set ca." + caName + ".pkcs11.slot instead");
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw failure(caName, "the PKCS#11 module " + settings.library() + " cannot be loaded", e.getCause());
        } catch (ReflectiveOperationException e) {
            // another JDK's wrapper (a class, method or field by another name)
            LOG.log(Level.DEBUG, "PKCS#11 wrapper not as expected", e);
            throw new IOException("this JDK's SunPKCS11 cannot list token labels (" + e + "); set ca." + caName
                    + ".pkcs11.slot instead of ca." + caName + ".pkcs11.token-label");
        }
        StringBuilder seen = new StringBuilder();
        try {
            long[] slots = (long[]) wrapper.getMethod("C_GetSlotList", boolean.class).invoke(module, true);
            for (long slot : slots) {
                Object info = wrapper.getMethod("C_GetTokenInfo", long.class).invoke(module, slot);
                String label = new String((char[]) info.getClass().getField("label").get(info)).strip();
                if (label.equals(settings.tokenLabel())) {
                    return slot;
                }
                seen.append(seen.length() == 0 ? "" : ", ").append('\'').append(label).append('\'');
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            throw failure(caName, "cannot list the tokens of " + settings.library(), cause);
        }
        throw new IOException("no token labelled '" + settings.tokenLabel() + "' in " + settings.library()
                + (seen.length() == 0 ? " (no token present)" : " (tokens: " + seen + ")"));
    }

    /** The user PIN, from the environment variable or the file (a warning when others may read that file). */
    private static char[] pin(String caName, Pkcs11Settings settings, Path home) throws IOException {
        if (settings.pinEnv() != null) {
            String value = System.getenv(settings.pinEnv());
            if (value == null || value.isEmpty()) {
                throw new IOException("the environment variable " + settings.pinEnv() + " (ca." + caName
                        + ".pkcs11.pin-env) holding the token PIN is not set");
            }
            return value.toCharArray();
        }
        Path file = home.resolve(settings.pinFile());
        if (!Files.isRegularFile(file)) {
            throw new IOException("the PIN file " + file + " (ca." + caName + ".pkcs11.pin-file) does not exist");
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.log(Level.WARNING, "CA " + caName + ": the PIN file " + file
                        + " can be read by its group or by others; chmod 600 it");
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            int end = bytes.length;
            while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
                end--;
            }
            if (end == 0) {
                throw new IOException("the PIN file " + file + " (ca." + caName + ".pkcs11.pin-file) is empty");
            }
            java.nio.CharBuffer chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes, 0, end));
            char[] pin = new char[chars.remaining()];
            chars.get(pin);
            Arrays.fill(chars.array(), '\0');
            return pin;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** A one-line failure: what failed and the PKCS#11 reason, with the whole cause in the log. */
    private static IOException failure(String caName, String what, Throwable cause) {
        String reason = reason(cause);
        LOG.log(Level.WARNING, "CA " + caName + ": " + what + ": " + reason, cause);
        return new IOException(what + ": " + reason, cause);
    }

    /** The most telling message of a cause chain: the PKCS#11 return code if there is one, made readable. */
    static String reason(Throwable cause) {
        String deepest = null;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("CKR_PIN_INCORRECT")) {
                return "wrong PIN (CKR_PIN_INCORRECT)";
            }
            if (m.contains("CKR_PIN_LOCKED")) {
                return "the PIN is locked (CKR_PIN_LOCKED)";
            }
            if (m.contains("CKR_SLOT_ID_INVALID")) {
                return "no such slot (CKR_SLOT_ID_INVALID)";
            }
            if (m.contains("CKR_TOKEN_NOT_PRESENT")) {
                return "no token in the slot (CKR_TOKEN_NOT_PRESENT)";
            }
            if (m.contains("CKR_")) {
                return m.lines().findFirst().orElse(m).strip();
            }
            if (t.getMessage() != null) {
                deepest = t.getMessage();
            }
        }
        return deepest == null ? cause.getClass().getSimpleName() : deepest.lines().findFirst().orElse(deepest).strip();
    }
}

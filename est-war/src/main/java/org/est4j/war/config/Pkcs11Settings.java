package org.est4j.war.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Where a local CA's key lives when {@code ca.<name>.key-store = pkcs11} (a key pair generated inside a PKCS#11 token), or
 * a CMP CA's RA key when {@code ca.<name>.cmp.signature.key-store = pkcs11}; used through the JDK's SunPKCS11 provider.
 * The PIN itself is never part of the configuration: it is read from {@link #pinFile} or from the environment variable
 * {@link #pinEnv} when the CA opens.
 *
 * @param library    absolute path of the PKCS#11 module ({@code ca.<name>.pkcs11.library})
 * @param slot       the token's slot id ({@code ca.<name>.pkcs11.slot}), or empty when {@link #tokenLabel} names it
 * @param tokenLabel the token's label ({@code ca.<name>.pkcs11.token-label}), or null when {@link #slot} names it
 * @param keyLabel   the label (key store alias) of the key and its certificate in the token
 * @param pinFile    the file holding the user PIN, relative to EST_HOME or absolute; null when {@link #pinEnv} is used
 * @param pinEnv     the environment variable holding the user PIN; null when {@link #pinFile} is used
 */
public record Pkcs11Settings(Path library, OptionalLong slot, String tokenLabel, String keyLabel, Path pinFile, String pinEnv) {

    /** An environment variable name for {@code pkcs11.pin-env}. */
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    /** The key label used when {@code ca.<name>.pkcs11.key-label} is not set. */
    public static String defaultKeyLabel(String caName) {
        return "est4j-ca-" + caName;
    }

    public Pkcs11Settings {
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(keyLabel, "keyLabel");
        if (slot.isPresent() == (tokenLabel != null)) {
            throw new IllegalArgumentException("exactly one of slot and token label");
        }
        if ((pinFile == null) == (pinEnv == null)) {
            throw new IllegalArgumentException("exactly one of PIN file and PIN environment variable");
        }
    }

    /** Where the token is, for messages: {@code token 'x'} or {@code slot 7}. */
    public String tokenDescription() {
        return tokenLabel != null ? "token '" + tokenLabel + "'" : "slot " + slot.getAsLong();
    }

    /**
     * The {@code pkcs11.*} keys (after {@code prefix}, in {@code keys}) of a key that {@code prefix + selector = pkcs11}
     * puts in a token: a local CA's key ({@code key-store}) or a CMP CA's RA key ({@code cmp.signature.key-store}).
     *
     * @param defaultKeyLabel the label when {@code pkcs11.key-label} is not set; null: the key label must be set
     */
    static Pkcs11Settings parse(ConfigOrigins source, String prefix, String selector, String defaultKeyLabel, Map<String, String> keys) {
        String library = keys.get("pkcs11.library");
        if (library == null || library.isEmpty()) {
            throw new ConfigException(source.of(prefix + selector) + ": '" + prefix + selector + "' = 'pkcs11' needs '" + prefix
                    + "pkcs11.library', the path of the token's PKCS#11 module (SoftHSM2: /usr/lib/softhsm/libsofthsm2.so)");
        }
        Path libraryPath;
        try {
            libraryPath = Path.of(library);
        } catch (java.nio.file.InvalidPathException e) {
            libraryPath = null;
        }
        if (libraryPath == null || !libraryPath.isAbsolute() || library.chars().anyMatch(c -> c < 0x20 || c == '"')) {
            throw Est4jConfig.bad(source, prefix + "pkcs11.library", library, "the absolute path of a PKCS#11 module (.so, .dll, .dylib)");
        }
        String slot = keys.get("pkcs11.slot");
        String tokenLabel = keys.get("pkcs11.token-label");
        if ((slot == null) == (tokenLabel == null)) {
            throw new ConfigException(source.of(prefix + selector) + ": '" + prefix + selector + "' = 'pkcs11' needs exactly one of '" + prefix
                    + "pkcs11.token-label' (the label the token was initialised with) and '" + prefix + "pkcs11.slot' (a slot id)");
        }
        OptionalLong slotId = OptionalLong.empty();
        if (slot != null) {
            try {
                slotId = OptionalLong.of(Long.parseLong(slot));
            } catch (NumberFormatException e) {
                slotId = OptionalLong.of(-1);
            }
            if (slotId.getAsLong() < 0) {
                throw Est4jConfig.bad(source, prefix + "pkcs11.slot", slot, "a slot id, a whole number from 0 (softhsm2-util --show-slots)");
            }
        }
        if (tokenLabel != null && (tokenLabel.isEmpty() || tokenLabel.length() > 32 || !printable(tokenLabel))) {
            throw Est4jConfig.bad(source, prefix + "pkcs11.token-label", tokenLabel, "a token label, 1-32 printable characters");
        }
        String keyLabel = keys.getOrDefault("pkcs11.key-label", defaultKeyLabel);
        if (keyLabel == null) {
            throw new ConfigException(source.of(prefix + selector) + ": '" + prefix + selector + "' = 'pkcs11' needs '" + prefix
                    + "pkcs11.key-label', the label of the key (and its certificate) in the token");
        }
        if (keyLabel.isEmpty() || keyLabel.length() > 64 || !printable(keyLabel)) {
            throw Est4jConfig.bad(source, prefix + "pkcs11.key-label", keyLabel, "a label of 1-64 printable characters");
        }
        String pinFile = keys.get("pkcs11.pin-file");
        String pinEnv = keys.get("pkcs11.pin-env");
        if ((pinFile == null) == (pinEnv == null)) {
            throw new ConfigException(source.of(prefix + selector) + ": '" + prefix + selector + "' = 'pkcs11' needs exactly one of '" + prefix
                    + "pkcs11.pin-file' (a file holding the token's user PIN, relative to EST_HOME, mode 0600) and '" + prefix
                    + "pkcs11.pin-env' (the name of an environment variable holding it)");
        }
        Path pinPath = null;
        if (pinFile != null) {
            try {
                pinPath = pinFile.isEmpty() ? null : Path.of(pinFile);
            } catch (java.nio.file.InvalidPathException e) {
                pinPath = null;
            }
            if (pinPath == null) {
                throw Est4jConfig.bad(source, prefix + "pkcs11.pin-file", pinFile, "the path of a file holding the PIN, relative to EST_HOME or absolute");
            }
        }
        if (pinEnv != null && !ENV_NAME.matcher(pinEnv).matches()) {
            throw Est4jConfig.bad(source, prefix + "pkcs11.pin-env", pinEnv, "the name of an environment variable, such as EST4J_CA_PIN");
        }
        return new Pkcs11Settings(libraryPath, slotId, tokenLabel, keyLabel, pinPath, pinEnv);
    }

    private static boolean printable(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }
}

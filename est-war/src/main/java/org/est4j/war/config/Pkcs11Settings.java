package org.est4j.war.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Where a local CA's key lives when {@code ca.<name>.key-store = pkcs11}: a key pair generated inside a PKCS#11 token,
 * used through the JDK's SunPKCS11 provider. The PIN itself is never part of the configuration: it is read from
 * {@link #pinFile} or from the environment variable {@link #pinEnv} when the CA opens.
 *
 * @param library    absolute path of the PKCS#11 module ({@code ca.<name>.pkcs11.library})
 * @param slot       the token's slot id ({@code ca.<name>.pkcs11.slot}), or empty when {@link #tokenLabel} names it
 * @param tokenLabel the token's label ({@code ca.<name>.pkcs11.token-label}), or null when {@link #slot} names it
 * @param keyLabel   the label (key store alias) of the CA key and certificate in the token
 * @param pinFile    the file holding the user PIN, relative to EST_HOME or absolute; null when {@link #pinEnv} is used
 * @param pinEnv     the environment variable holding the user PIN; null when {@link #pinFile} is used
 */
public record Pkcs11Settings(Path library, OptionalLong slot, String tokenLabel, String keyLabel, Path pinFile, String pinEnv) {

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
}

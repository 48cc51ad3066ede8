package org.est4j.jaxrs.keygen;

import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.SecretKey;

/**
 * The keys a server-generated private key may be encrypted with (RFC 7030 section 4.4.1):
 * symmetric keys shared in advance with individual clients, found by the {@code DecryptKeyIdentifier}
 * the client names in its request; and key-encipherment certificates of clients, found by the
 * subject key identifier in {@code AsymmetricDecryptKeyIdentifier} (the client's validated TLS
 * certificate is always a candidate as well).
 *
 * @param symmetric  AES keys by key identifier, written as lowercase hex of the identifier's bytes
 * @param recipients configured key-encipherment certificates
 */
public record KeyEncryptionKeys(Map<String, SecretKey> symmetric, List<X509Certificate> recipients) {

    public static final KeyEncryptionKeys NONE = new KeyEncryptionKeys(Map.of(), List.of());

    public KeyEncryptionKeys {
        symmetric = Map.copyOf(symmetric);
        recipients = List.copyOf(recipients);
    }

    public Optional<SecretKey> symmetric(byte[] keyIdentifier) {
        return Optional.ofNullable(symmetric.get(HexFormat.of().formatHex(keyIdentifier)));
    }

    @Override
    public String toString() {
        // never the keys themselves
        return "KeyEncryptionKeys[" + symmetric.size() + " symmetric, " + recipients.size() + " certificates]";
    }
}

package org.est4j.spi;

import java.security.PrivateKey;
import java.util.Objects;

/**
 * A key pair generated for the client and its certificate. est4j sends the private key to the client
 * (RFC 7030 section 4.4.2: PKCS#8, encrypted for the client when it asked) and then forgets it; it is
 * never logged.
 *
 * @param privateKey the private key, exportable ({@link PrivateKey#getEncoded()} must not be null)
 * @param issued     the certificate for its public key
 */
public record GeneratedKey(PrivateKey privateKey, Issued issued) implements ServerKeyGenResult {
    public GeneratedKey {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(issued, "issued");
    }

    @Override
    public String toString() {
        return "GeneratedKey[" + privateKey.getAlgorithm() + ", " + issued.certificate().getSubjectX500Principal() + "]";
    }
}

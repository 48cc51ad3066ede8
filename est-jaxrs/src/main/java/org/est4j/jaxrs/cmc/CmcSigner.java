package org.est4j.jaxrs.cmc;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.EdECKey;
import java.util.List;
import java.util.Objects;

/**
 * The key and certificate chain that sign {@code /fullcmc} responses: the EST server acting as a CMC
 * registration authority (or the CA itself). RFC 7030 section 4.3.2 requires the Full PKI Response to
 * be signed, and clients check it against this certificate.
 *
 * @param key   the private key of {@code chain.get(0)}
 * @param chain the signer's certificate first, then its issuers; all of them are sent in every response
 *              so that a client can build the path
 */
public record CmcSigner(PrivateKey key, List<X509Certificate> chain) {

    public CmcSigner {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the CMC signer needs at least its own certificate");
        }
        signatureAlgorithm(key); // fail at configuration time, not on the first request
    }

    /** The certificate whose key signs responses. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The JCA signature algorithm for this key: SHA-256 with ECDSA or RSA, or the EdDSA curve's own. */
    public String signatureAlgorithm() {
        return signatureAlgorithm(key);
    }

    private static String signatureAlgorithm(PrivateKey key) {
        if (key instanceof EdECKey edec) {
            // JDK EdDSA keys all say "EdDSA"; the curve is in the parameters.
            return edec.getParams().getName();
        }
        return switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "Ed448" -> key.getAlgorithm();
            default -> throw new IllegalArgumentException(
                    "a CMC signer key must be EC, RSA, Ed25519 or Ed448, not " + key.getAlgorithm());
        };
    }

    @Override
    public String toString() {
        // Never the key.
        return "CmcSigner[" + certificate().getSubjectX500Principal().getName() + ", " + signatureAlgorithm() + "]";
    }
}

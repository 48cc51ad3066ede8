package org.est4j.spi;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

/**
 * A revocation asked for with the CMC {@code revokeRequest} control (RFC 5272 section 6.11) inside a
 * {@code /fullcmc} request. EST itself has no revocation operation; full CMC is the standard way to
 * carry one, and est4j hands it to the CA unchanged.
 *
 * <p>est4j has verified the CMC message's signature and authenticated the HTTP client; it has
 * <em>not</em> decided whether this client may revoke this certificate. That is the CA's decision:
 * typical rules are "the holder of the certificate" (compare {@link AuthenticatedClient#certificate()})
 * or "a registration authority", which {@link #askedByHolderOrRegistrationAuthority()} answers.
 *
 * @param label          the CA label from the request path, empty for the default CA
 * @param issuer         the issuer of the certificate to revoke
 * @param serialNumber   its serial number
 * @param reason         the CRLReason code of RFC 5280 section 5.3.1 (0 unspecified, 1 keyCompromise, ...)
 * @param invalidityDate when the key is known or suspected to have been compromised, if the client said
 * @param comment        the client's free-text comment, if any
 * @param client         the authenticated client
 */
public record RevocationRequest(Optional<String> label, X500Principal issuer, BigInteger serialNumber, int reason,
                                Optional<Instant> invalidityDate, Optional<String> comment, AuthenticatedClient client) {

    public RevocationRequest {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(serialNumber, "serialNumber");
        if (reason < 0 || reason > 10 || reason == 7) {
            throw new IllegalArgumentException("reason must be a CRLReason code of RFC 5280 (0-10, not 7)");
        }
        Objects.requireNonNull(invalidityDate, "invalidityDate");
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(client, "client");
    }

    /** {@code id-kp-cmcRA} (RFC 6402 section 2.10). */
    private static final String CMC_RA = "1.3.6.1.5.5.7.3.28";

    /**
     * est4j's own CAs' rule of who may revoke, for a CA that wants the same: the client authenticated with the very
     * certificate to revoke (same issuer and serial number), or with a certificate that has the {@code id-kp-cmcRA}
     * extended key usage, a registration authority.
     */
    public boolean askedByHolderOrRegistrationAuthority() {
        java.security.cert.X509Certificate own = client.certificate().orElse(null);
        if (own == null) {
            return false;
        }
        if (own.getSerialNumber().equals(serialNumber) && own.getIssuerX500Principal().equals(issuer)) {
            return true;
        }
        try {
            return own.getExtendedKeyUsage() != null && own.getExtendedKeyUsage().contains(CMC_RA);
        } catch (java.security.cert.CertificateParsingException e) {
            return false; // an extension that does not parse grants nothing
        }
    }
}

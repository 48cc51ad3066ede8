package org.est4j.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A CA's answer about one certificate (RFC 5280 section 5, RFC 6960's good / revoked / unknown).
 *
 * <p>Only {@link State#REVOKED} has an effect: est4j then refuses the certificate as an identity, whatever
 * else it proves. {@link State#UNKNOWN} (not issued by this CA, or the CA does not keep track) and
 * {@link State#GOOD} let it count, subject to est4j's own PKIX validation and revocation checks.
 *
 * @param state          good, revoked or unknown
 * @param revocationTime when it was revoked (only for {@link State#REVOKED}, if known)
 * @param reason         the CRLReason code of RFC 5280 section 5.3.1 (only for {@link State#REVOKED})
 */
public record CertificateStatus(State state, Optional<Instant> revocationTime, int reason) {

    /** The three answers of RFC 6960 section 2.2. */
    public enum State {
        /** Issued by this CA and not revoked. */
        GOOD,
        /** Revoked: it must not authenticate anything. */
        REVOKED,
        /** Not this CA's certificate, or this CA cannot tell. */
        UNKNOWN
    }

    /** CRLReason {@code unspecified} (0). */
    public static final int UNSPECIFIED = 0;

    private static final CertificateStatus GOOD = new CertificateStatus(State.GOOD, Optional.empty(), UNSPECIFIED);
    private static final CertificateStatus UNKNOWN = new CertificateStatus(State.UNKNOWN, Optional.empty(), UNSPECIFIED);

    public CertificateStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(revocationTime, "revocationTime");
        if (reason < 0 || reason > 10 || reason == 7) {
            throw new IllegalArgumentException("reason must be a CRLReason code of RFC 5280 (0-10, not 7)");
        }
        if (state != State.REVOKED && (revocationTime.isPresent() || reason != UNSPECIFIED)) {
            throw new IllegalArgumentException("only a revoked certificate has a revocation time and reason");
        }
    }

    public static CertificateStatus good() {
        return GOOD;
    }

    public static CertificateStatus unknown() {
        return UNKNOWN;
    }

    /** Revoked at {@code time} for CRLReason {@code reason}. */
    public static CertificateStatus revoked(Instant time, int reason) {
        return new CertificateStatus(State.REVOKED, Optional.of(time), reason);
    }

    public boolean isRevoked() {
        return state == State.REVOKED;
    }
}

package org.est4j.war.localca;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The revocations of one local CA: {@link RevocationLog} in {@code EST_HOME}, or a table of a shared database. A
 * revocation is durable before anyone is told, never taken back, and seen by every reader at once, whichever
 * process (an instance, the {@code Admin} command) recorded it.
 */
public interface Revocations {

    /** One revocation: when, why (an RFC 5280 CRLReason code) and on whose request. */
    record Revocation(BigInteger serial, Instant time, int reason, String by) {
    }

    /** The revocation of {@code serial}, if it was revoked. */
    Optional<Revocation> find(BigInteger serial) throws IOException;

    /** How many certificates are revoked; only ever grows. */
    int count() throws IOException;

    /** Every revocation, oldest first. */
    List<Revocation> all() throws IOException;

    /**
     * Records the revocation of {@code serial} durably.
     *
     * @return the revocation; an earlier one if {@code serial} was revoked already (nothing is written then)
     */
    Revocation record(BigInteger serial, int reason, String by) throws IOException;
}

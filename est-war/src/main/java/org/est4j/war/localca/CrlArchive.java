package org.est4j.war.localca;

import java.io.IOException;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Where a local CA keeps its latest CRL, so that CRL numbers only increase (RFC 5280 section 5.2.3) across restarts
 * and across the instances that share one CA: {@code ca/<name>/crl.der}, or a table of a shared database.
 */
public interface CrlArchive {

    /** The DER of the CRL with the highest number; empty before the first. */
    Optional<byte[]> latest() throws IOException;

    /**
     * Keeps {@code der}, the CRL numbered {@code number}, durably.
     *
     * @return false when a CRL with that number exists already (another instance made it first): nothing was kept
     */
    boolean publish(BigInteger number, byte[] der) throws IOException;
}

package org.est4j.war.localca;

import java.io.Closeable;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Every certificate one local CA issued, each on record before it leaves the CA: {@link IssuanceLog} in
 * {@code EST_HOME}, or a table of a shared database (several instances of one CA).
 *
 * <p>Serials are 127-bit random numbers (the CA/Browser Forum Baseline Requirements, 7.1, ask for at least 64 bits).
 * A store that alone hands them out reserves each one ({@link #newSerial}); a store shared by several instances
 * cannot, and refuses the record of a serial another instance took first ({@link #record} answers false): the CA
 * then signs the certificate again with a new serial, so no serial is ever on record twice.
 */
public interface IssuedCertificates extends Closeable {

    /** Serials of random draws: 127 bits, so at most 16 octets and always positive. */
    int SERIAL_BITS = 127;

    /** A serial for the next certificate. */
    BigInteger newSerial();

    /**
     * Records {@code certificate} durably; returns once it is.
     *
     * @return false when its serial is on record already (another instance took it): nothing was recorded
     * @throws IOException if the record could not be made durable; the certificate must not be handed out
     */
    boolean record(BigInteger serial, X509Certificate certificate) throws IOException;

    /** Whether this CA issued (or is issuing) a certificate with {@code serial}. */
    boolean contains(BigInteger serial) throws IOException;

    /** The certificate on record with {@code serial}. */
    Optional<X509Certificate> find(BigInteger serial) throws IOException;
}

package org.est4j.war.localca;

import java.io.Closeable;
import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
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

    /**
     * The certificates that match {@code query}, newest first, one page of them. A file store reads its whole log
     * (linear in the certificates issued); a database uses its indexes for serial and date.
     */
    Page search(Query query) throws IOException;

    /**
     * What an operator looks for: every criterion given must hold.
     *
     * @param subjectContains a substring of the subject (RFC 2253 form, as {@code X500Principal.getName()}), any case;
     *                        empty: any subject
     * @param serial          exactly this serial
     * @param issuedFrom      issued at or after (a file store: the certificate's notBefore plus the CA's clock-skew
     *                        allowance, the moment it was signed; a database: the time of record)
     * @param issuedBefore    issued before
     * @param offset          matches skipped, newest first (0 to {@value #MAX_OFFSET})
     * @param limit           matches returned (1 to {@value #MAX_LIMIT})
     */
    record Query(String subjectContains, Optional<BigInteger> serial, Optional<Instant> issuedFrom, Optional<Instant> issuedBefore,
                 int offset, int limit) {

        /** The most matches one page holds. */
        public static final int MAX_LIMIT = 100;
        /** The deepest page: a search is narrowed by its criteria, not paged through the whole log. */
        public static final int MAX_OFFSET = 10_000;

        public Query {
            subjectContains = subjectContains == null ? "" : subjectContains.strip();
            if (limit < 1 || limit > MAX_LIMIT || offset < 0 || offset > MAX_OFFSET) {
                throw new IllegalArgumentException("limit 1-" + MAX_LIMIT + " and offset 0-" + MAX_OFFSET);
            }
        }

        /** Whether {@code certificate}, issued at {@code issued}, is one of the matches. */
        public boolean matches(X509Certificate certificate, Instant issued) {
            return serial.map(certificate.getSerialNumber()::equals).orElse(true)
                    && (subjectContains.isEmpty() || certificate.getSubjectX500Principal().getName().toLowerCase(Locale.ROOT)
                            .contains(subjectContains.toLowerCase(Locale.ROOT)))
                    && issuedFrom.map(f -> !issued.isBefore(f)).orElse(true)
                    && issuedBefore.map(issued::isBefore).orElse(true);
        }
    }

    /** One certificate found, with the time it counts as issued. */
    record Found(X509Certificate certificate, Instant issued) {
    }

    /**
     * A page of matches.
     *
     * @param found newest first
     * @param more  whether more matches follow this page
     */
    record Page(List<Found> found, boolean more) {
    }
}

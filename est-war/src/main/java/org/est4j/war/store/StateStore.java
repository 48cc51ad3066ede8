package org.est4j.war.store;

import java.io.Closeable;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Optional;

import org.est4j.war.OneTimePasswordStore;
import org.est4j.war.localca.ApprovalQueue;
import org.est4j.war.localca.CaRecords;
import org.est4j.war.localca.Revocations;
import org.est4j.war.packages.ReturnRecords;

/**
 * Where a deployment keeps what it must not lose: for each local CA the certificates it issued, its revocations, its
 * CRL numbers and its approval queue; the one-time passwords; the RFC 8295 returns. {@link FileStore} keeps them in
 * {@code EST_HOME} for one instance; {@link JdbcStore} in a PostgreSQL database that several instances share.
 *
 * <p>Not shared, whatever the store: the HTTP failure throttle and the HTTP Digest nonce counts are kept in each
 * instance's memory (docs/scaling.md says what that means).
 */
public interface StateStore extends Closeable {

    /**
     * Opens the records a local CA issues with. {@code caCertificate} is the CA's certificate on this instance: a shared
     * store refuses a second, different certificate under the same CA name (two instances that each made a CA of their
     * own would otherwise both issue under one name).
     */
    CaRecords openCa(String caName, Path caDirectory, X509Certificate caCertificate) throws IOException;

    /**
     * {@link #openCa(String, Path, X509Certificate)} for a CA whose current key is generation {@code generation}
     * (docs/rollover.md): a shared store records the generations and refuses an instance holding an older one than
     * another instance recorded.
     */
    default CaRecords openCa(String caName, Path caDirectory, X509Certificate caCertificate, int generation) throws IOException {
        return openCa(caName, caDirectory, caCertificate);
    }

    /**
     * Records that this instance rolled CA {@code caName} over to key generation {@code generation} with root
     * {@code caCertificate}, so that instances still holding an older generation refuse to start. Nothing to do for a
     * store only one instance uses.
     */
    default void recordCaGeneration(String caName, X509Certificate caCertificate, int generation) throws IOException {
    }

    /** The certificate a CA issued with {@code serial}, read while instances run (for the administrator). */
    Optional<X509Certificate> findIssued(String caName, BigInteger serial) throws IOException;

    /** The certificates of a CA that match {@code query}, newest first, read while instances run (the operator console). */
    org.est4j.war.localca.IssuedCertificates.Page searchIssued(String caName, org.est4j.war.localca.IssuedCertificates.Query query)
            throws IOException;

    /** The revocations of a CA, for the administrator while instances run. */
    Revocations revocations(String caName) throws IOException;

    /** The approval queue of a CA, for the administrator while instances run. */
    ApprovalQueue approvals(String caName) throws IOException;

    /** The one-time passwords. */
    OneTimePasswordStore oneTimePasswords();

    /** The RFC 8295 returns. */
    ReturnRecords packageReturns() throws IOException;

    /** Throws when the store cannot take a write now (a readiness probe; a request then gets 503). */
    void checkAvailable() throws IOException;

    /** For the start-up log: what and where, never a password. */
    String description();
}

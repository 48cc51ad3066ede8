package org.est4j.war.localca;

import java.io.Closeable;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * What one local CA must not lose: the certificates it issued, its revocations, its latest CRL and the requests
 * waiting for approval. Opened by the instance that issues with the CA; closing it releases what the instance holds.
 */
public record CaRecords(IssuedCertificates issued, Revocations revocations, CrlArchive crls, ApprovalQueue approvals,
                        IntFunction<CrlArchive> generationCrls) implements Closeable {

    /**
     * The records of a CA; {@code crls} is generation 1's CRL archive, {@code generationCrls} gives the archive of the CRLs
     * a later key generation signs (docs/rollover.md): each key signs CRLs of its own, numbered on from the previous
     * key's.
     */
    public CaRecords {
        java.util.Objects.requireNonNull(generationCrls, "generationCrls");
    }

    /** The archive of the CRLs that key generation {@code n} signs. */
    public CrlArchive crls(int generation) {
        return generation == 1 ? crls : generationCrls.apply(generation);
    }

    /** The issuance log and the revocation log in a CA's directory. */
    public static final String ISSUED_LOG = "issued.log";
    public static final String REVOKED_LOG = "revoked.log";
    /** The last CRL of a CA, in its directory. */
    public static final String CRL_FILE = "crl.der";
    /** The approval queue's directory, in a CA's directory. */
    public static final String PENDING = "pending";

    /**
     * The records of the CA in {@code dir} ({@code EST_HOME/ca/<name>}): {@value #ISSUED_LOG} (locked for as long as
     * they are open: one instance issues with a CA whose records are files), {@value #REVOKED_LOG}, {@value #CRL_FILE}
     * and {@value #PENDING}/.
     */
    public static CaRecords inDirectory(Path dir) throws IOException {
        IssuanceLog log = new IssuanceLog(dir.resolve(ISSUED_LOG));
        try {
            return new CaRecords(log, new RevocationLog(dir.resolve(REVOKED_LOG)), new CrlFile(dir.resolve(CRL_FILE)),
                    new FileApprovalQueue(dir.resolve(PENDING)),
                    n -> new CrlFile(KeyGenerations.directory(dir, n).resolve(CRL_FILE)));
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /**
     * Every certificate on record in the issuance log of the CA in {@code dir}, serial and DER, oldest first; read
     * without its lock, for a copy made while no instance issues.
     */
    public static void forEachIssued(Path dir, BiConsumer<BigInteger, byte[]> action) throws IOException {
        IssuanceLog.forEach(dir.resolve(ISSUED_LOG), action);
    }

    /** The certificates on record in the issuance log of the CA in {@code dir} that match {@code query}; read without its lock. */
    public static IssuedCertificates.Page searchIssued(Path dir, IssuedCertificates.Query query) throws IOException {
        return IssuanceLog.search(dir.resolve(ISSUED_LOG), query);
    }

    @Override
    public void close() throws IOException {
        issued.close();
    }
}

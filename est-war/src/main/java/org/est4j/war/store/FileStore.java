package org.est4j.war.store;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Optional;

import org.est4j.war.OneTimePasswordFile;
import org.est4j.war.OneTimePasswordStore;
import org.est4j.war.Pem;
import org.est4j.war.localca.ApprovalQueue;
import org.est4j.war.localca.CaRecords;
import org.est4j.war.localca.FileApprovalQueue;
import org.est4j.war.localca.RevocationLog;
import org.est4j.war.localca.Revocations;
import org.est4j.war.packages.ReturnRecords;

/**
 * The embedded default: everything in {@code EST_HOME}, for one instance. A CA's records are in {@code ca/<name>/}
 * ({@link CaRecords#inDirectory}), the one-time passwords in {@code auth.one-time-passwords-file}, the returns in
 * {@code packages/returns.log}. Every record is fsync'd before it is confirmed to anyone.
 */
public final class FileStore implements StateStore {

    private final Path home;
    private final OneTimePasswordStore oneTimePasswords;
    private volatile ReturnRecords returns;

    /** The store in {@code home}; {@code oneTimePasswordsFile} relative to it unless absolute. */
    public FileStore(Path home, String oneTimePasswordsFile) {
        this.home = home;
        this.oneTimePasswords = new OneTimePasswordFile(home.resolve(oneTimePasswordsFile));
    }

    private Path caDirectory(String caName) {
        return home.resolve("ca").resolve(caName);
    }

    @Override
    public CaRecords openCa(String caName, Path caDirectory, X509Certificate caCertificate) throws IOException {
        return CaRecords.inDirectory(caDirectory);
    }

    @Override
    public Optional<X509Certificate> findIssued(String caName, BigInteger serial) throws IOException {
        Optional<byte[]> der = findDer(caDirectory(caName), serial);
        if (der.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pem.parseCertificate(der.get()));
        } catch (GeneralSecurityException e) {
            throw new IOException(caDirectory(caName) + ": the certificate with serial " + serial.toString(16) + " is damaged", e);
        }
    }

    @Override
    public org.est4j.war.localca.IssuedCertificates.Page searchIssued(String caName, org.est4j.war.localca.IssuedCertificates.Query query)
            throws IOException {
        return CaRecords.searchIssued(caDirectory(caName), query);
    }

    private static Optional<byte[]> findDer(Path caDirectory, BigInteger serial) throws IOException {
        byte[][] found = new byte[1][];
        CaRecords.forEachIssued(caDirectory, (s, der) -> {
            if (s.equals(serial) && found[0] == null) {
                found[0] = der;
            }
        });
        return Optional.ofNullable(found[0]);
    }

    @Override
    public Revocations revocations(String caName) throws IOException {
        return new RevocationLog(caDirectory(caName).resolve(CaRecords.REVOKED_LOG));
    }

    @Override
    public ApprovalQueue approvals(String caName) {
        return new FileApprovalQueue(caDirectory(caName).resolve(CaRecords.PENDING));
    }

    @Override
    public OneTimePasswordStore oneTimePasswords() {
        return oneTimePasswords;
    }

    @Override
    public ReturnRecords packageReturns() throws IOException {
        ReturnRecords r = returns;
        if (r == null) {
            synchronized (this) {
                r = returns;
                if (r == null) {
                    r = ReturnRecords.inFile(home.resolve("packages").resolve("returns.log"));
                    returns = r;
                }
            }
        }
        return r;
    }

    @Override
    public void checkAvailable() throws IOException {
        if (!Files.isWritable(home)) {
            throw new IOException(home + " is not writable");
        }
    }

    @Override
    public String description() {
        return "files in " + home;
    }

    @Override
    public void close() {
        // the CAs close their own records
    }
}

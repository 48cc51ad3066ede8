package org.est4j.war.store;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

import org.est4j.war.Pem;
import org.est4j.war.localca.IssuedCertificates;

/**
 * Table {@code issued_certificate}: one row per certificate, its serial unique per CA by the primary key. A serial is
 * drawn at random and claimed by the insert itself: when another instance holds it (about once in 2<sup>127</sup>
 * draws), the insert adds nothing and the CA signs again with a new serial. Each insert commits on its own, durable
 * (PostgreSQL's synchronous commit) before the certificate is returned; concurrent commits share the WAL flush.
 */
final class JdbcIssuedCertificates implements IssuedCertificates {

    private final Database db;
    private final String caName;
    private final SecureRandom random = new SecureRandom();

    JdbcIssuedCertificates(Database db, String caName) {
        this.db = db;
        this.caName = caName;
    }

    @Override
    public BigInteger newSerial() {
        while (true) {
            BigInteger serial = new BigInteger(SERIAL_BITS, random);
            if (serial.signum() > 0) {
                return serial;
            }
        }
    }

    @Override
    public boolean record(BigInteger serial, X509Certificate certificate) throws IOException {
        byte[] der;
        try {
            der = certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IOException("cannot encode the certificate with serial " + serial.toString(16), e);
        }
        return db.call("record the certificate with serial " + serial.toString(16), c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO issued_certificate (ca_name, serial, issued_at, subject, not_after, der) "
                    + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                s.setString(1, caName);
                s.setString(2, serial.toString(16));
                s.setTimestamp(3, Database.timestamp(Instant.now()));
                s.setString(4, certificate.getSubjectX500Principal().getName());
                s.setTimestamp(5, Database.timestamp(certificate.getNotAfter().toInstant()));
                s.setBytes(6, der);
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean contains(BigInteger serial) throws IOException {
        return db.call("look up serial " + serial.toString(16), c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM issued_certificate WHERE ca_name = ? AND serial = ?")) {
                s.setString(1, caName);
                s.setString(2, serial.toString(16));
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            }
        });
    }

    @Override
    public Optional<X509Certificate> find(BigInteger serial) throws IOException {
        return find(db, caName, serial);
    }

    static Optional<X509Certificate> find(Database db, String caName, BigInteger serial) throws IOException {
        byte[] der = db.call("look up serial " + serial.toString(16), c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT der FROM issued_certificate WHERE ca_name = ? AND serial = ?")) {
                s.setString(1, caName);
                s.setString(2, serial.toString(16));
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getBytes(1) : null;
                }
            }
        });
        if (der == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pem.parseCertificate(der));
        } catch (GeneralSecurityException e) {
            throw new IOException("issued_certificate: the certificate of CA " + caName + " with serial " + serial.toString(16)
                    + " is damaged", e);
        }
    }

    @Override
    public void close() {
        // a connection per call: nothing held
    }
}

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
import java.util.List;
import java.util.Optional;

import org.est4j.war.Pem;
import org.est4j.war.localca.IssuedCertificates;

/**
 * Table {@code issued_certificate}: one row per certificate, its serial unique per CA by the primary key. A serial is
 * drawn at random and claimed by the insert itself: when another instance holds it (about once in 2<sup>127</sup>
 * draws), the insert adds nothing and the CA signs again with a new serial. A certificate is returned only once its
 * row is committed (PostgreSQL's synchronous commit); concurrent issuances of one instance share one transaction
 * ({@link GroupCommit}), so a burst costs one round trip and one WAL flush per batch rather than per certificate.
 */
final class JdbcIssuedCertificates implements IssuedCertificates {

    private final Database db;
    private final String caName;
    private final SecureRandom random = new SecureRandom();
    private final GroupCommit<Row> commits = new GroupCommit<>(this::insert);

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
        return commits.submit(new Row(serial.toString(16), certificate.getSubjectX500Principal().getName(),
                Database.timestamp(certificate.getNotAfter().toInstant()), der));
    }

    /** One certificate's row. */
    private record Row(String serial, String subject, java.sql.Timestamp notAfter, byte[] der) {
    }

    /** Inserts a batch in one transaction; for each row, whether it was added (false: its serial is taken). */
    private boolean[] insert(List<Row> batch) throws IOException {
        return db.transaction("record " + batch.size() + " certificate(s)", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO issued_certificate (ca_name, serial, issued_at, subject, not_after, der) "
                    + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                java.sql.Timestamp now = Database.timestamp(Instant.now());
                for (Row row : batch) {
                    s.setString(1, caName);
                    s.setString(2, row.serial());
                    s.setTimestamp(3, now);
                    s.setString(4, row.subject());
                    s.setTimestamp(5, row.notAfter());
                    s.setBytes(6, row.der());
                    s.addBatch();
                }
                int[] counts = s.executeBatch();
                boolean[] added = new boolean[batch.size()];
                for (int i = 0; i < added.length; i++) {
                    // SUCCESS_NO_INFO (a driver rewriting the batch, reWriteBatchedInserts=true): ask the table
                    added[i] = i < counts.length && (counts[i] == 1 || counts[i] != 0 && onRecord(c, batch.get(i)));
                }
                return added;
            }
        });
    }

    /** Whether the table holds {@code row}'s serial with {@code row}'s certificate. */
    private boolean onRecord(java.sql.Connection c, Row row) throws java.sql.SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT der FROM issued_certificate WHERE ca_name = ? AND serial = ?")) {
            s.setString(1, caName);
            s.setString(2, row.serial());
            try (ResultSet r = s.executeQuery()) {
                return r.next() && java.util.Arrays.equals(r.getBytes(1), row.der());
            }
        }
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
    public Page search(Query query) throws IOException {
        return search(db, caName, query);
    }

    /**
     * The certificates of {@code caName} matching {@code query}, newest first by the time of record: the primary key
     * finds a serial, {@code issued_certificate_issued_at} (V2) a date range and the order; a subject substring is a
     * scan of the CA's rows ({@code ILIKE}).
     */
    static Page search(Database db, String caName, Query query) throws IOException {
        StringBuilder sql = new StringBuilder("SELECT der, issued_at FROM issued_certificate WHERE ca_name = ?");
        List<Object> values = new java.util.ArrayList<>(List.of(caName));
        query.serial().ifPresent(s -> {
            sql.append(" AND serial = ?");
            values.add(s.toString(16));
        });
        if (!query.subjectContains().isEmpty()) {
            sql.append(" AND subject ILIKE ? ESCAPE '\\'");
            values.add("%" + query.subjectContains().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        query.issuedFrom().ifPresent(t -> {
            sql.append(" AND issued_at >= ?");
            values.add(Database.timestamp(t));
        });
        query.issuedBefore().ifPresent(t -> {
            sql.append(" AND issued_at < ?");
            values.add(Database.timestamp(t));
        });
        sql.append(" ORDER BY issued_at DESC, serial DESC LIMIT ? OFFSET ?");
        values.add(query.limit() + 1); // one more: whether another page follows
        values.add(query.offset());
        List<Object[]> rows = db.call("search the certificates of CA " + caName, c -> {
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < values.size(); i++) {
                    s.setObject(i + 1, values.get(i));
                }
                List<Object[]> found = new java.util.ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        found.add(new Object[] {r.getBytes(1), r.getTimestamp(2).toInstant()});
                    }
                }
                return found;
            }
        });
        List<Found> page = new java.util.ArrayList<>();
        for (Object[] row : rows.subList(0, Math.min(rows.size(), query.limit()))) {
            try {
                page.add(new Found(Pem.parseCertificate((byte[]) row[0]), (Instant) row[1]));
            } catch (GeneralSecurityException e) {
                throw new IOException("issued_certificate: a certificate of CA " + caName + " is damaged", e);
            }
        }
        return new Page(List.copyOf(page), rows.size() > query.limit());
    }

    @Override
    public void close() {
        // a connection per call: nothing held
    }
}

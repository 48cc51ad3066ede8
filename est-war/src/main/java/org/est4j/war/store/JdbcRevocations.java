package org.est4j.war.store;

import java.io.IOException;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.est4j.jaxrs.ClientText;
import org.est4j.war.localca.Revocations;

/**
 * Table {@code revocation}: one row per revoked certificate (primary key CA name and serial). Nothing is cached: every
 * look-up asks the database, so a revocation made through one instance, or by {@code Admin revoke}, refuses the
 * certificate on every instance from the next request on.
 */
final class JdbcRevocations implements Revocations {

    private final Database db;
    private final String caName;

    JdbcRevocations(Database db, String caName) {
        this.db = db;
        this.caName = caName;
    }

    @Override
    public Optional<Revocation> find(BigInteger serial) throws IOException {
        return db.call("read the revocations", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT revoked_at, reason, revoked_by FROM revocation WHERE ca_name = ? AND serial = ?")) {
                s.setString(1, caName);
                s.setString(2, serial.toString(16));
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new Revocation(serial, r.getTimestamp(1).toInstant(), r.getInt(2), r.getString(3)))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public int count() throws IOException {
        return db.call("count the revocations", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM revocation WHERE ca_name = ?")) {
                s.setString(1, caName);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    return r.getInt(1);
                }
            }
        });
    }

    @Override
    public List<Revocation> all() throws IOException {
        return db.call("read the revocations", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT serial, revoked_at, reason, revoked_by FROM revocation WHERE ca_name = ? ORDER BY revoked_at, serial")) {
                s.setString(1, caName);
                List<Revocation> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(new Revocation(new BigInteger(r.getString(1), 16), r.getTimestamp(2).toInstant(), r.getInt(3), r.getString(4)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Revocation record(BigInteger serial, int reason, String by) throws IOException {
        Revocation revocation = new Revocation(serial, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS), reason,
                ClientText.quote(by));
        db.call("record the revocation of serial " + serial.toString(16), c -> insert(c, caName, revocation));
        // an earlier revocation stays: the row on record is the answer either way
        return find(serial).orElse(revocation);
    }

    /** Inserts {@code revocation} unless its serial is revoked already; true when it was added. */
    static boolean insert(java.sql.Connection c, String caName, Revocation revocation) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO revocation (ca_name, serial, revoked_at, reason, revoked_by) "
                + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            s.setString(1, caName);
            s.setString(2, revocation.serial().toString(16));
            s.setTimestamp(3, Database.timestamp(revocation.time()));
            s.setInt(4, revocation.reason());
            s.setString(5, revocation.by());
            return s.executeUpdate() == 1;
        }
    }
}

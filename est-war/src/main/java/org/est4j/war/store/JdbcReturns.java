package org.est4j.war.store;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

import org.est4j.jaxrs.ClientText;
import org.est4j.spi.PackageKind;
import org.est4j.spi.PackageReturn;
import org.est4j.war.packages.ReturnRecords;

/**
 * Table {@code package_return}: every RFC 8295 return, one row each, committed before the client gets its 204. The
 * texts a client influences are bound as parameters, never part of the SQL; they are cut to the lengths the file
 * store keeps, so both stores remember the same keys.
 */
final class JdbcReturns implements ReturnRecords {

    /** What is kept of a client key or package id (as {@code returns.log} keeps). */
    private static final int KEY_LIMIT = 2048;
    /** The label column's value for requests without a label. */
    private static final String NONE = "";

    private final Database db;

    JdbcReturns(Database db) {
        this.db = db;
    }

    @Override
    public boolean accepted(Optional<String> label, String clientKey, PackageKind kind, String packageId) throws IOException {
        return db.call("read the package returns", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM package_return WHERE outcome = 'ACCEPTED' AND label = ? "
                    + "AND client_key = ? AND kind = ? AND package_id = ? LIMIT 1")) {
                s.setString(1, label.orElse(NONE));
                s.setString(2, ClientText.quote(clientKey, KEY_LIMIT));
                s.setString(3, kind.path());
                s.setString(4, ClientText.quote(packageId, KEY_LIMIT));
                try (ResultSet r = s.executeQuery()) {
                    return r.next();
                }
            }
        });
    }

    @Override
    public void record(PackageReturn returned, Optional<String> clientKey) throws IOException {
        db.call("record the package return", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO package_return (received_at, label, client_key, kind, package_id, "
                    + "outcome, detail, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setTimestamp(1, Database.timestamp(returned.received()));
                s.setString(2, returned.label().orElse(NONE));
                s.setString(3, clientKey.map(k -> ClientText.quote(k, KEY_LIMIT)).orElse(null));
                s.setString(4, returned.kind().map(PackageKind::path).orElse("serverkeygen"));
                s.setString(5, ClientText.quote(returned.packageId(), KEY_LIMIT));
                s.setString(6, returned.outcome().name());
                s.setString(7, ClientText.quote(returned.detail()));
                s.setBytes(8, returned.message());
                return s.executeUpdate();
            }
        });
    }
}

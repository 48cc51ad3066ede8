package org.est4j.war.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;

import org.est4j.war.OneTimePasswordStore;

/**
 * Table {@code one_time_password}: the digests of unused passwords. Consuming one is a single {@code DELETE}: the
 * database lets exactly one of any number of concurrent attempts, on any instances, delete the row.
 */
final class JdbcOneTimePasswords implements OneTimePasswordStore {

    private final Database db;

    JdbcOneTimePasswords(Database db) {
        this.db = db;
    }

    @Override
    public boolean consume(char[] password) {
        String digest = OneTimePasswordStore.digest(password);
        try {
            return db.call("consume a one-time password", c -> {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM one_time_password WHERE digest = ?")) {
                    s.setString(1, digest);
                    return s.executeUpdate() == 1;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void add(List<char[]> passwords) throws IOException {
        db.transaction("add one-time passwords", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO one_time_password (digest, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                for (char[] p : passwords) {
                    s.setString(1, OneTimePasswordStore.digest(p));
                    s.setTimestamp(2, Database.timestamp(Instant.now()));
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }
}

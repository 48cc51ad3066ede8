package org.est4j.war.store;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

import org.est4j.war.localca.CrlArchive;

/**
 * Table {@code crl}: every CRL a CA's instances made, numbered uniquely per CA by the primary key. Two instances that
 * make the next CRL at once cannot both have it: the second insert adds nothing, and that instance serves the first's.
 */
final class JdbcCrlArchive implements CrlArchive {

    private final Database db;
    private final String caName;

    /**
     * The {@code ca_name} under which key generation {@code n > 1} of a CA keeps its CRLs (docs/rollover.md): the CA name
     * and {@code .g<n>}; a dot cannot occur in a CA name, so it never names another CA's CRLs.
     */
    static String generationKey(String caName, int n) {
        return caName + ".g" + n;
    }

    JdbcCrlArchive(Database db, String caName) {
        this.db = db;
        this.caName = caName;
    }

    @Override
    public Optional<byte[]> latest() throws IOException {
        return db.call("read the latest CRL", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT der FROM crl WHERE ca_name = ? ORDER BY crl_number DESC LIMIT 1")) {
                s.setString(1, caName);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean publish(BigInteger number, byte[] der) throws IOException {
        return db.call("record CRL number " + number, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO crl (ca_name, crl_number, made_at, der) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                s.setString(1, caName);
                s.setBigDecimal(2, new BigDecimal(number));
                s.setTimestamp(3, Database.timestamp(Instant.now()));
                s.setBytes(4, der);
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public String toString() {
        return "table crl (CA " + caName + ")";
    }
}

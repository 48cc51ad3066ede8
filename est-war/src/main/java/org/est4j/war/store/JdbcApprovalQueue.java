package org.est4j.war.store;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.est4j.war.localca.ApprovalQueue;
import org.est4j.war.localca.FileApprovalQueue;

/**
 * Table {@code approval}: one row per queued request of a CA, its state {@code PENDING}, {@code APPROVED},
 * {@code REJECTED} or, once the approval was used, {@code ISSUED}. The administrator's decision is one conditional
 * update (only a pending request can be decided); its use is a transaction holding the row's lock while the
 * certificate is issued, so two repetitions of an approved request that reach two instances issue one certificate.
 */
final class JdbcApprovalQueue implements ApprovalQueue {

    private final Database db;
    private final String caName;

    JdbcApprovalQueue(Database db, String caName) {
        this.db = db;
        this.caName = caName;
    }

    @Override
    public State state(String id) throws IOException {
        return db.call("read the approval queue", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT state FROM approval WHERE ca_name = ? AND id = ?")) {
                s.setString(1, caName);
                s.setString(2, checked(id));
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? fromColumn(r.getString(1)) : State.NONE;
                }
            }
        });
    }

    private static State fromColumn(String column) {
        return "ISSUED".equals(column) ? State.NONE : State.valueOf(column);
    }

    @Override
    public void submit(String id, Map<String, String> details) throws IOException {
        Instant received = Instant.now();
        Map<String, String> content = new LinkedHashMap<>();
        content.put("received", received.toString());
        content.putAll(details);
        db.call("queue the request", c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO approval (ca_name, id, state, received_at, details) "
                    + "VALUES (?, ?, 'PENDING', ?, ?) ON CONFLICT DO NOTHING")) {
                s.setString(1, caName);
                s.setString(2, checked(id));
                s.setTimestamp(3, Database.timestamp(received));
                s.setString(4, FileApprovalQueue.encode(content));
                return s.executeUpdate();
            }
        });
    }

    @Override
    public <T> Optional<T> issueIfApproved(String id, Issuer<T> issue) throws IOException {
        return db.transaction("use the approval", c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT state FROM approval WHERE ca_name = ? AND id = ? FOR UPDATE")) {
                s.setString(1, caName);
                s.setString(2, checked(id));
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next() || !"APPROVED".equals(r.getString(1))) {
                        return Optional.<T>empty();
                    }
                }
            }
            // the row stays locked while the certificate is issued: another instance's repetition waits, then finds ISSUED
            IssuedRecord<T> issued = issue.issue();
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE approval SET state = 'ISSUED', serial = ?, issued_at = ? WHERE ca_name = ? AND id = ?")) {
                s.setString(1, issued.serialHex());
                s.setTimestamp(2, Database.timestamp(Instant.now()));
                s.setString(3, caName);
                s.setString(4, id);
                s.executeUpdate();
            }
            return Optional.of(issued.result());
        });
    }

    @Override
    public List<Entry> list() throws IOException {
        return db.call("read the approval queue", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id, state, details, decided_at, decided_by, note FROM approval "
                    + "WHERE ca_name = ? AND state <> 'ISSUED' ORDER BY received_at, id")) {
                s.setString(1, caName);
                List<Entry> out = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        State state = fromColumn(r.getString(2));
                        Map<String, String> details = new LinkedHashMap<>(FileApprovalQueue.decode(r.getString(3)));
                        if (state == State.REJECTED) {
                            details.put("rejected", r.getTimestamp(4).toInstant().toString());
                            details.put("rejected-by", r.getString(5));
                            if (r.getString(6) != null) {
                                details.put("rejected-note", r.getString(6));
                            }
                        }
                        out.add(new Entry(r.getString(1), state, details));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void approve(String id, String by, String note) throws IOException {
        decide(id, "APPROVED", by, note);
    }

    @Override
    public void reject(String id, String by, String note) throws IOException {
        decide(id, "REJECTED", by, note);
    }

    private void decide(String id, String decision, String by, String note) throws IOException {
        int changed = db.call("record the decision", c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE approval SET state = ?, decided_at = ?, decided_by = ?, note = ? "
                    + "WHERE ca_name = ? AND id = ? AND state = 'PENDING'")) {
                s.setString(1, decision);
                s.setTimestamp(2, Database.timestamp(Instant.now()));
                s.setString(3, by);
                s.setString(4, note == null || note.isBlank() ? null : note);
                s.setString(5, caName);
                s.setString(6, checked(id));
                return s.executeUpdate();
            }
        });
        if (changed == 0) {
            throw new IllegalArgumentException(state(id) == State.NONE ? "no queued request " + id : "request " + id + " was decided already");
        }
        org.est4j.war.audit.AuditLog.decided(decision.equals("APPROVED"), caName, id, by, note);
    }

    private static String checked(String id) {
        if (!ApprovalQueue.isId(id)) {
            throw new IllegalArgumentException("not a request id: " + id);
        }
        return id;
    }
}

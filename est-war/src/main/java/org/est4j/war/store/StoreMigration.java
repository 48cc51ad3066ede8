package org.est4j.war.store;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.est4j.war.Pem;
import org.est4j.war.config.Est4jConfig;
import org.est4j.war.config.StoreSettings;
import org.est4j.war.localca.ApprovalQueue;
import org.est4j.war.localca.CaRecords;
import org.est4j.war.localca.FileApprovalQueue;
import org.est4j.war.localca.Revocations;

/**
 * {@code Admin migrate-store}: copies the file store of an {@code EST_HOME} into the database its {@code est4j.properties}
 * names, so that a running deployment can move to several instances without losing a certificate or reusing a serial.
 *
 * <p>Each CA's issuance log is opened with its lock, so the copy refuses to run while an instance issues from it. Every
 * certificate is inserted with its serial; a serial the database holds already must hold the same certificate (a run
 * repeated after an interruption), else the copy stops: the database then belongs to another CA's history. The last
 * CRL is copied too, so CRL numbers continue above it. Running it twice copies nothing twice.
 */
public final class StoreMigration {

    private static final int BATCH = 1000;

    private StoreMigration() {
    }

    /** Copies everything; returns the exit status (0 done, 1 refused). */
    public static int run(Path home, Est4jConfig config, PrintStream out, PrintStream err) throws IOException {
        if (config.store().type() != StoreSettings.Type.JDBC) {
            err.println("est4j.properties says store = file: set store = jdbc and store.jdbc-url (with store.jdbc-user and "
                    + "store.jdbc-password-file or store.jdbc-password-env) to name the database to copy into");
            return 1;
        }
        try (JdbcStore target = JdbcStore.open(config.store(), home)) {
            Database db = target.database();
            for (String ca : new TreeSet<>(config.cas().keySet())) {
                Path dir = home.resolve("ca").resolve(ca);
                if (!Files.exists(dir.resolve("ca.pem")) && !Files.exists(dir.resolve("generations.properties"))) {
                    out.println("CA " + ca + ": nothing to copy (no " + dir.resolve("ca.pem") + ")");
                    continue;
                }
                try (CaRecords files = CaRecords.inDirectory(dir)) { // the issuance log's lock: no instance issues meanwhile
                    X509Certificate caCertificate;
                    try {
                        caCertificate = org.est4j.war.localca.LocalCa.currentCertificate(dir); // its current key generation
                    } catch (IOException e) {
                        throw new IOException(dir + ": the CA certificate cannot be read: " + e.getMessage(), e);
                    }
                    target.openCa(ca, dir, caCertificate, org.est4j.war.localca.LocalCa.currentGeneration(dir)).close();
                    long[] certificates = copyCertificates(db, ca, dir);
                    int revocations = copyRevocations(db, ca, files.revocations());
                    String crl = copyCrl(db, ca, ca, files.crls());
                    // the CRLs of later key generations (docs/rollover.md), under their own name in table crl
                    for (int n = 2; n <= org.est4j.war.localca.LocalCa.currentGeneration(dir); n++) {
                        if (files.crls(n).latest().isPresent()) {
                            crl += "; key generation " + n + ": " + copyCrl(db, ca, JdbcCrlArchive.generationKey(ca, n), files.crls(n));
                        }
                    }
                    int approvals = copyApprovals(db, ca, files.approvals());
                    out.println("CA " + ca + ": " + certificates[0] + " certificate(s) copied, " + certificates[1]
                            + " already there; " + revocations + " revocation(s) copied; " + crl + "; " + approvals
                            + " queued request(s) copied");
                }
            }
            out.println(copyOneTimePasswords(db, home.resolve(config.httpAuth().oneTimePasswordsFile())) + " one-time password(s) copied");
            out.println(copyReturns(db, home.resolve("packages").resolve("returns.log")) + " package return(s) copied");
            out.println("done: " + home + " -> " + target.description() + ". Keep the files as a backup; the instances use the "
                    + "database from their next start.");
            return 0;
        }
    }

    /** Inserts every certificate of the CA's issuance log; returns {copied, already there}. */
    private static long[] copyCertificates(Database db, String ca, Path dir) throws IOException {
        List<Map.Entry<BigInteger, byte[]>> all = new ArrayList<>();
        CaRecords.forEachIssued(dir, (serial, der) -> all.add(Map.entry(serial, der)));
        long[] counts = new long[2];
        for (int from = 0; from < all.size(); from += BATCH) {
            List<Map.Entry<BigInteger, byte[]>> batch = all.subList(from, Math.min(all.size(), from + BATCH));
            db.transaction("copy certificates of CA " + ca, c -> {
                int[] added;
                try (PreparedStatement s = c.prepareStatement("INSERT INTO issued_certificate (ca_name, serial, issued_at, subject, "
                        + "not_after, der) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                    for (Map.Entry<BigInteger, byte[]> e : batch) {
                        X509Certificate cert = parse(ca, e.getKey(), e.getValue());
                        s.setString(1, ca);
                        s.setString(2, e.getKey().toString(16));
                        // the log keeps no issue time: the certificate's notBefore is the closest
                        s.setTimestamp(3, Database.timestamp(cert.getNotBefore().toInstant()));
                        s.setString(4, cert.getSubjectX500Principal().getName());
                        s.setTimestamp(5, Database.timestamp(cert.getNotAfter().toInstant()));
                        s.setBytes(6, e.getValue());
                        s.addBatch();
                    }
                    added = s.executeBatch();
                }
                for (int i = 0; i < added.length; i++) {
                    if (added[i] == 1) {
                        counts[0]++;
                    } else {
                        sameOnRecord(c, ca, batch.get(i).getKey(), batch.get(i).getValue());
                        counts[1]++;
                    }
                }
                return null;
            });
        }
        return counts;
    }

    private static X509Certificate parse(String ca, BigInteger serial, byte[] der) throws IOException {
        try {
            X509Certificate cert = Pem.parseCertificate(der);
            if (!cert.getSerialNumber().equals(serial)) {
                throw new IOException("CA " + ca + ": the issuance log's record of serial " + serial.toString(16)
                        + " holds a certificate with another serial; nothing of this batch was copied");
            }
            return cert;
        } catch (GeneralSecurityException e) {
            throw new IOException("CA " + ca + ": the certificate with serial " + serial.toString(16) + " is damaged", e);
        }
    }

    /** A serial the database holds already must hold this very certificate: a serial is never reused. */
    private static void sameOnRecord(Connection c, String ca, BigInteger serial, byte[] der) throws SQLException, IOException {
        try (PreparedStatement s = c.prepareStatement("SELECT der FROM issued_certificate WHERE ca_name = ? AND serial = ?")) {
            s.setString(1, ca);
            s.setString(2, serial.toString(16));
            try (ResultSet r = s.executeQuery()) {
                if (!r.next() || !Arrays.equals(r.getBytes(1), der)) {
                    throw new IOException("CA " + ca + ": serial " + serial.toString(16) + " is in the database with another "
                            + "certificate; refusing to copy into a database that holds another history of this CA");
                }
            }
        }
    }

    private static int copyRevocations(Database db, String ca, Revocations revocations) throws IOException {
        List<Revocations.Revocation> all = revocations.all();
        return db.transaction("copy revocations of CA " + ca, c -> {
            int n = 0;
            for (Revocations.Revocation r : all) {
                n += JdbcRevocations.insert(c, ca, r) ? 1 : 0;
            }
            return n;
        });
    }

    /** Copies the latest CRL of {@code archive} into table crl under {@code key} (the CA name, or a key generation's). */
    private static String copyCrl(Database db, String ca, String key, org.est4j.war.localca.CrlArchive archive) throws IOException {
        var latest = archive.latest();
        if (latest.isEmpty()) {
            return "no CRL yet";
        }
        BigInteger number;
        try {
            java.security.cert.X509CRL crl = (java.security.cert.X509CRL) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCRL(new java.io.ByteArrayInputStream(latest.get()));
            byte[] ext = crl.getExtensionValue(org.bouncycastle.asn1.x509.Extension.cRLNumber.getId());
            number = org.bouncycastle.asn1.ASN1Integer.getInstance(
                    org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets()).getValue();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("CA " + ca + ": its crl.der cannot be read: " + e.getMessage(), e);
        }
        db.call("copy the CRL of CA " + ca, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO crl (ca_name, crl_number, made_at, der) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                s.setString(1, key);
                s.setBigDecimal(2, new BigDecimal(number));
                s.setTimestamp(3, Database.timestamp(Instant.now()));
                s.setBytes(4, latest.get());
                return s.executeUpdate();
            }
        });
        return "CRL number " + number + " copied (the next is higher)";
    }

    private static int copyApprovals(Database db, String ca, ApprovalQueue queue) throws IOException {
        List<ApprovalQueue.Entry> entries = queue.list();
        return db.transaction("copy the approval queue of CA " + ca, c -> {
            int n = 0;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO approval (ca_name, id, state, received_at, details, decided_at, "
                    + "decided_by) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (ApprovalQueue.Entry e : entries) {
                    Instant received = parseTime(e.details().get("received"));
                    s.setString(1, ca);
                    s.setString(2, e.id());
                    s.setString(3, e.state().name());
                    s.setTimestamp(4, Database.timestamp(received));
                    s.setString(5, FileApprovalQueue.encode(e.details()));
                    boolean decided = e.state() != ApprovalQueue.State.PENDING;
                    s.setTimestamp(6, decided ? Database.timestamp(Instant.now()) : null);
                    s.setString(7, decided ? "migrate-store" : null);
                    n += s.executeUpdate();
                }
            }
            return n;
        });
    }

    private static Instant parseTime(String text) {
        try {
            return text == null ? Instant.now() : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.now();
        }
    }

    private static int copyOneTimePasswords(Database db, Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        List<String> digests = Files.readAllLines(file, StandardCharsets.US_ASCII).stream().map(String::strip)
                .filter(l -> l.matches("[0-9a-f]{64}")).toList();
        return db.transaction("copy one-time passwords", c -> {
            int n = 0;
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO one_time_password (digest, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                for (String d : digests) {
                    s.setString(1, d);
                    s.setTimestamp(2, Database.timestamp(Instant.now()));
                    n += s.executeUpdate();
                }
            }
            return n;
        });
    }

    /** returns.log: time, label|-, client|-, kind, package id, outcome, detail, base64(message), TAB-separated. */
    private static int copyReturns(Database db, Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        List<String[]> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", 8);
            if (f.length == 8) {
                lines.add(f);
            }
        }
        return db.transaction("copy package returns", c -> {
            try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM package_return")) {
                try (ResultSet r = count.executeQuery()) {
                    r.next();
                    if (r.getLong(1) > 0) {
                        return 0; // copied before (returns have no natural key to tell one from another)
                    }
                }
            }
            int n = 0;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO package_return (received_at, label, client_key, kind, package_id, "
                    + "outcome, detail, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (String[] f : lines) {
                    s.setTimestamp(1, Database.timestamp(parseTime(f[0])));
                    s.setString(2, "-".equals(f[1]) ? "" : f[1]);
                    s.setString(3, "-".equals(f[2]) ? null : f[2]);
                    s.setString(4, f[3]);
                    s.setString(5, f[4]);
                    s.setString(6, f[5]);
                    s.setString(7, f[6]);
                    s.setBytes(8, Base64.getDecoder().decode(f[7].strip()));
                    n += s.executeUpdate();
                }
            }
            return n;
        });
    }
}

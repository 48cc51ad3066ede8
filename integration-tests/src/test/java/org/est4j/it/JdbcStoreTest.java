package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.security.auth.x500.X500Principal;

import org.est4j.war.Admin;
import org.est4j.war.EstHome;
import org.est4j.war.localca.ApprovalQueue;
import org.est4j.war.localca.IssuedCertificates;
import org.est4j.war.localca.LocalCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared store on a real PostgreSQL 15 (a throw-away cluster): two {@link EstHome}s on one database stand for two
 * instances of one service. What reaches the database is read back with plain SQL and the JDK's own certificate and
 * CRL parsers.
 */
class JdbcStoreTest {

    private static PostgresCluster pg;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startPostgres() throws Exception {
        assumeTrue(System.getProperty("est.it.postgresql.jar") != null, "runs in the default-test execution only");
        assumeTrue(PostgresCluster.installed(), "PostgreSQL 15 is not installed (apt-get install postgresql)");
        pg = PostgresCluster.start(Path.of(System.getProperty("est.it.tomcat.home")).resolveSibling("jdbc-store-pg"));
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void emptyDatabase() throws Exception {
        try (Connection c = pg.connect()) {
            c.createStatement().execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        }
    }

    /** An EST_HOME whose est4j.properties names the shared database; the CA key copied from {@code from} when given. */
    private Path home(String name, Path from) throws IOException {
        Path home = tmp.resolve(name);
        Files.createDirectories(home);
        Files.writeString(home.resolve("est4j.properties"), properties(home));
        if (from != null) {
            Files.createDirectories(home.resolve("ca/default"));
            for (String f : List.of("ca-key.pem", "ca.pem")) {
                Files.copy(from.resolve("ca/default").resolve(f), home.resolve("ca/default").resolve(f));
            }
        }
        return home;
    }

    /** est4j.properties lines for a store in the test's cluster, its password in a file of {@code home}. */
    private static String properties(Path home) throws IOException {
        Files.writeString(home.resolve("db-password"), pg.password() + "\n");
        return "store = jdbc\nstore.jdbc-url = " + pg.jdbcUrl() + "\nstore.jdbc-user = " + pg.user()
                + "\nstore.jdbc-password-file = db-password\n";
    }

    private static LocalCa.Profile profile(String cn) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return new LocalCa.Profile(new X500Principal("CN=" + cn), g.generateKeyPair().getPublic(), null, List.of());
    }

    private static List<String> column(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = pg.connect(); ResultSet r = c.createStatement().executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        }
        return out;
    }

    @Test
    void twoInstancesIssueConcurrentlyAndEverySerialIsOnRecordOnceWithItsCertificate() throws Exception {
        Path a = home("a", null);
        try (EstHome first = EstHome.open(a); EstHome second = EstHome.open(home("b", a))) {
            LocalCa ca1 = first.localCas().get("default");
            LocalCa ca2 = second.localCas().get("default");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<X509Certificate>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                LocalCa ca = i % 2 == 0 ? ca1 : ca2;
                LocalCa.Profile p = profile("device-" + i);
                futures.add(pool.submit(() -> ca.issue(p)));
            }
            Set<BigInteger> serials = new HashSet<>();
            for (Future<X509Certificate> f : futures) {
                assertTrue(serials.add(f.get().getSerialNumber()));
            }
            pool.shutdown();
            CertificateFactory jdk = CertificateFactory.getInstance("X.509");
            try (Connection c = pg.connect(); ResultSet r = c.createStatement().executeQuery(
                    "SELECT serial, der FROM issued_certificate WHERE ca_name = 'default'")) {
                int rows = 0;
                while (r.next()) {
                    X509Certificate onRecord = (X509Certificate) jdk.generateCertificate(new ByteArrayInputStream(r.getBytes(2)));
                    assertEquals(r.getString(1), onRecord.getSerialNumber().toString(16), "the row's serial is its certificate's");
                    rows++;
                }
                assertEquals(202, rows, "200 issued here and the two instances' HTTPS certificates");
            }
            assertTrue(ca2.hasIssued(futures.get(0).get().getSerialNumber()), "one instance knows what the other issued");
        }
    }

    /** The operator console's search on the database: subject (LIKE wildcards taken literally), serial, dates, pages. */
    @Test
    void theConsoleSearchFindsBySubjectSerialAndDayNewestFirst() throws Exception {
        try (EstHome first = EstHome.open(home("a", null))) {
            LocalCa ca = first.localCas().get("default");
            List<X509Certificate> issued = new ArrayList<>();
            for (String cn : List.of("pump-1", "valve-1", "pump-2", "pump_100%", "pumpX100Y")) {
                issued.add(ca.issue(profile(cn)));
                Thread.sleep(5); // distinct times of record: the order is theirs
            }
            org.est4j.war.store.StateStore store = first.store();
            java.util.function.Function<IssuedCertificates.Page, List<String>> names = page -> page.found().stream()
                    .map(f -> f.certificate().getSubjectX500Principal().getName()).toList();
            assertEquals(List.of("CN=pumpX100Y", "CN=pump_100%", "CN=pump-2", "CN=pump-1"),
                    names.apply(store.searchIssued("default", query("PUMP", Optional.empty(), Optional.empty(), 0, 10))));
            assertEquals(List.of("CN=pump_100%"), names.apply(store.searchIssued("default",
                    query("p_100%", Optional.empty(), Optional.empty(), 0, 10))), "_ and % are characters, not wildcards");
            assertEquals(List.of("CN=valve-1"), names.apply(store.searchIssued("default",
                    query("", Optional.of(issued.get(1).getSerialNumber()), Optional.empty(), 0, 10))));
            IssuedCertificates.Page first2 = store.searchIssued("default", query("pump", Optional.empty(), Optional.empty(), 0, 2));
            assertEquals(List.of("CN=pumpX100Y", "CN=pump_100%"), names.apply(first2));
            assertTrue(first2.more());
            IssuedCertificates.Page last = store.searchIssued("default", query("pump", Optional.empty(), Optional.empty(), 2, 2));
            assertEquals(List.of("CN=pump-2", "CN=pump-1"), names.apply(last));
            assertFalse(last.more());
            java.time.Instant now = java.time.Instant.now();
            assertEquals(6, store.searchIssued("default", query("", Optional.empty(), Optional.of(now.minusSeconds(3600)), 0, 10))
                    .found().size(), "the five and the instance's HTTPS certificate");
            assertTrue(store.searchIssued("default", query("", Optional.empty(), Optional.of(now.plusSeconds(3600)), 0, 10))
                    .found().isEmpty());
            assertEquals(List.of("issued_certificate_issued_at"),
                    column("SELECT indexname FROM pg_indexes WHERE indexname = 'issued_certificate_issued_at'"), "schema version 2");
            assertEquals(List.of("1", "2", "3"), column("SELECT version FROM est4j_schema_history WHERE success ORDER BY installed_rank"));
        }
    }

    private static IssuedCertificates.Query query(String subject, Optional<BigInteger> serial, Optional<java.time.Instant> from,
                                                  int offset, int limit) {
        return new IssuedCertificates.Query(subject, serial, from, Optional.empty(), offset, limit);
    }

    @Test
    void aSecondInstanceWithACaOfItsOwnIsRefused() throws Exception {
        try (EstHome first = EstHome.open(home("a", null))) {
            IOException e = assertThrows(IOException.class, () -> EstHome.open(home("b", null)).close());
            assertTrue(e.getMessage().contains("another CA certificate under this name"), e.getMessage());
        }
    }

    @Test
    void aRolloverIsRecordedAndAnInstanceHoldingTheOlderKeyGenerationIsRefusedUntilItHasTheNewFiles() throws Exception {
        Path a = home("a", null);
        EstHome.open(a).close();
        Path b = home("b", a);
        EstHome.open(b).close(); // the same key generation: accepted
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Admin.run(new String[] {"rollover", "default"}, a, new PrintStream(out), System.err));
        assertEquals(List.of("1", "2"), column("SELECT generation FROM ca_key_generation WHERE ca_name = 'default' ORDER BY generation"));

        IOException refused = assertThrows(IOException.class, () -> EstHome.open(b).close());
        assertTrue(refused.getMessage().contains("this instance holds CA key generation 1, but another instance rolled the key over to "
                + "generation 2: copy ca/default/"), refused.getMessage());

        // what the message asks for: the new generation's files
        Files.copy(a.resolve("ca/default/generations.properties"), b.resolve("ca/default/generations.properties"));
        Files.createDirectories(b.resolve("ca/default/generation-2"));
        for (String f : List.of("ca-key.pem", "ca.pem", "new-with-old.pem", "old-with-new.pem")) {
            Files.copy(a.resolve("ca/default/generation-2").resolve(f), b.resolve("ca/default/generation-2").resolve(f));
        }
        try (EstHome first = EstHome.open(a); EstHome second = EstHome.open(b)) {
            LocalCa ca1 = first.localCas().get("default");
            LocalCa ca2 = second.localCas().get("default");
            assertEquals(2, ca2.generation());
            assertEquals(ca1.caCertificates(), ca2.caCertificates());
            CertificateFactory jdk = CertificateFactory.getInstance("X.509");
            try (Connection c = pg.connect(); ResultSet r = c.createStatement().executeQuery(
                    "SELECT der FROM ca_key_generation WHERE ca_name = 'default' AND generation = 2")) {
                assertTrue(r.next());
                assertEquals(ca1.certificate(), jdk.generateCertificate(new ByteArrayInputStream(r.getBytes(1))));
            }
            X509Certificate issued = ca2.issue(profile("after-rollover"));
            issued.verify(ca1.certificate().getPublicKey());
            X509CRL crl = ca2.crl(2).orElseThrow();
            crl.verify(ca1.certificate().getPublicKey());
            assertEquals(List.of(number(crl).toString()), column("SELECT crl_number FROM crl WHERE ca_name = 'default.g2'"),
                    "the new key's CRLs are kept apart from the first key's");
        }
    }

    @Test
    void aOneTimePasswordIsConsumedOnceAcrossInstances() throws Exception {
        Path a = home("a", null);
        try (EstHome first = EstHome.open(a); EstHome second = EstHome.open(home("b", a))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(0, Admin.run(new String[] {"add-otp", "1"}, a, new PrintStream(out), System.err));
            char[] otp = out.toString(StandardCharsets.US_ASCII).strip().toCharArray();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Boolean>> tries = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                EstHome instance = i % 2 == 0 ? first : second;
                tries.add(pool.submit(() -> instance.store().oneTimePasswords().consume(otp.clone())));
            }
            int accepted = 0;
            for (Future<Boolean> t : tries) {
                accepted += t.get() ? 1 : 0;
            }
            pool.shutdown();
            assertEquals(1, accepted, "16 concurrent uses on two instances: exactly one succeeds");
            assertEquals(List.of("0"), column("SELECT count(*) FROM one_time_password"));
        }
    }

    @Test
    void anApprovalGivenThroughAdminIsUsedOnceByWhicheverInstanceTheRepetitionReaches() throws Exception {
        Path a = home("a", null);
        try (EstHome first = EstHome.open(a); EstHome second = EstHome.open(home("b", a))) {
            ApprovalQueue q1 = first.localCas().get("default").approvals();
            ApprovalQueue q2 = second.localCas().get("default").approvals();
            String id = "0123456789abcdef0123456789abcdef";
            q1.submit(id, Map.of("subject", "CN=waiting", "client", "HTTP user alice"));
            q2.submit(id, Map.of("subject", "CN=waiting")); // the repetition on the other instance queues nothing new
            assertEquals(ApprovalQueue.State.PENDING, q2.state(id));
            assertEquals(Optional.empty(), q2.issueIfApproved(id, () -> new ApprovalQueue.IssuedRecord<>("x", "1")));

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(0, Admin.run(new String[] {"list"}, a, new PrintStream(out), System.err));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains(id + "  PENDING"), out.toString(StandardCharsets.UTF_8));
            assertEquals(0, Admin.run(new String[] {"approve", id.substring(0, 8), "looked", "fine"}, a, new PrintStream(out), System.err));
            assertEquals(ApprovalQueue.State.APPROVED, q2.state(id), "the other instance sees the decision at once");
            assertEquals(1, Admin.run(new String[] {"reject", id.substring(0, 8)}, a, new PrintStream(out), new PrintStream(out)),
                    "a decided request cannot be decided again");

            AtomicInteger issued = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Optional<String>>> repetitions = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ApprovalQueue q = i % 2 == 0 ? q1 : q2;
                Callable<Optional<String>> use = () -> q.issueIfApproved(id,
                        () -> new ApprovalQueue.IssuedRecord<>("cert-" + issued.incrementAndGet(), "abc"));
                repetitions.add(pool.submit(use));
            }
            int got = 0;
            for (Future<Optional<String>> r : repetitions) {
                got += r.get().isPresent() ? 1 : 0;
            }
            pool.shutdown();
            assertEquals(1, got);
            assertEquals(1, issued.get(), "one certificate for one approval");
            assertEquals(ApprovalQueue.State.NONE, q1.state(id), "used: gone from the queue");
            assertEquals(List.of("ISSUED abc"), column("SELECT state || ' ' || serial FROM approval"));
        }
    }

    @Test
    void aRevocationThroughOneInstanceIsSeenByTheOtherAtOnceAndCrlNumbersNeverRepeat() throws Exception {
        Path a = home("a", null);
        try (EstHome first = EstHome.open(a); EstHome second = EstHome.open(home("b", a))) {
            LocalCa ca1 = first.localCas().get("default");
            LocalCa ca2 = second.localCas().get("default");
            X509Certificate cert = ca1.issue(profile("to-revoke"));
            X509CRL before = ca2.crl();
            assertTrue(ca2.revocations().find(cert.getSerialNumber()).isEmpty());
            ca1.revocations().record(cert.getSerialNumber(), 1, "test");
            assertEquals(1, ca2.revocations().find(cert.getSerialNumber()).orElseThrow().reason());
            X509CRL after = ca2.crl();
            assertTrue(after.isRevoked(cert), "the other instance's next CRL lists it");
            assertEquals(after, ca1.crl(), "the first instance serves the CRL the second made: it covers every revocation");
            assertTrue(number(after).compareTo(number(before)) > 0);
            after.verify(ca1.certificate().getPublicKey());
            assertEquals(List.of("0"), column("SELECT count(*) - count(DISTINCT crl_number) FROM crl"));
        }
    }

    private static BigInteger number(X509CRL crl) {
        byte[] ext = crl.getExtensionValue("2.5.29.20");
        return org.bouncycastle.asn1.ASN1Integer.getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets()).getValue();
    }

    @Test
    void aFileStoreMovesIntoTheDatabaseWithoutLosingACertificateOrReusingASerial() throws Exception {
        Path home = tmp.resolve("moving");
        Files.createDirectories(home);
        List<X509Certificate> issued = new ArrayList<>();
        String otp;
        BigInteger crlNumber;
        try (EstHome files = EstHome.open(home)) { // today's file store
            LocalCa ca = files.localCas().get("default");
            for (int i = 0; i < 50; i++) {
                issued.add(ca.issue(profile("old-" + i)));
            }
            ca.revocations().record(issued.get(3).getSerialNumber(), 1, "test");
            crlNumber = number(ca.crl());
            ca.approvals().submit("00000000000000000000000000000001", Map.of("subject", "CN=queued"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(0, Admin.run(new String[] {"add-otp", "1"}, home, new PrintStream(out), System.err));
            otp = out.toString(StandardCharsets.US_ASCII).strip();
        }
        Files.writeString(home.resolve("est4j.properties"), properties(home), java.nio.file.StandardOpenOption.APPEND);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Admin.run(new String[] {"migrate-store"}, home, new PrintStream(out), System.err));
        String report = out.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("51 certificate(s) copied, 0 already there; 1 revocation(s) copied"), report);
        out.reset();
        assertEquals(0, Admin.run(new String[] {"migrate-store"}, home, new PrintStream(out), System.err));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("0 certificate(s) copied, 51 already there; 0 revocation(s) copied"),
                "a second run copies nothing twice: " + out);
        assertEquals(List.of("51"), column("SELECT count(*) FROM issued_certificate"));

        try (EstHome db = EstHome.open(home)) {
            LocalCa ca = db.localCas().get("default");
            for (X509Certificate c : issued) {
                assertTrue(ca.hasIssued(c.getSerialNumber()));
            }
            assertTrue(ca.revocations().find(issued.get(3).getSerialNumber()).isPresent());
            X509Certificate next = ca.issue(profile("new"));
            assertFalse(issued.stream().anyMatch(c -> c.getSerialNumber().equals(next.getSerialNumber())));
            ca.revocations().record(next.getSerialNumber(), 4, "test");
            assertTrue(number(ca.crl()).compareTo(crlNumber) > 0, "CRL numbers continue above the file store's");
            assertEquals(ApprovalQueue.State.PENDING, ca.approvals().state("00000000000000000000000000000001"));
            assertTrue(db.store().oneTimePasswords().consume(otp.toCharArray()), "the one-time password moved along");
        }
        assertEquals(List.of("0"), column("SELECT count(*) - count(DISTINCT serial) FROM issued_certificate"));
    }

    @Test
    void aFileStoreInARolloversOverlapMovesWithBothKeysCrlsAndItsKeyGeneration() throws Exception {
        Path home = tmp.resolve("moving-rolled");
        Files.createDirectories(home);
        BigInteger oldNumber;
        BigInteger newNumber;
        try (EstHome files = EstHome.open(home)) {
            LocalCa ca = files.localCas().get("default");
            oldNumber = number(ca.crl());
            ca.rollover();
            newNumber = number(ca.crl());
        }
        Files.writeString(home.resolve("est4j.properties"), properties(home), java.nio.file.StandardOpenOption.APPEND);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Admin.run(new String[] {"migrate-store"}, home, new PrintStream(out), System.err));
        String report = out.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("CRL number " + oldNumber + " copied (the next is higher); key generation 2: CRL number " + newNumber
                + " copied"), report);
        assertEquals(List.of("2"), column("SELECT max(generation) FROM ca_key_generation WHERE ca_name = 'default'"));
        assertEquals(List.of(oldNumber.toString()), column("SELECT crl_number FROM crl WHERE ca_name = 'default'"));
        assertEquals(List.of(newNumber.toString()), column("SELECT crl_number FROM crl WHERE ca_name = 'default.g2'"));
        try (EstHome db = EstHome.open(home)) {
            LocalCa ca = db.localCas().get("default");
            assertEquals(3, ca.caCertificates().size());
            assertEquals(newNumber, number(ca.crl(2).orElseThrow()), "the database serves the copied CRL of the new key");
        }
    }

    @Test
    void withTheDatabaseDownTheStoreSaysSoInsteadOfRecordingHalf() throws Exception {
        Path a = home("a", null);
        try (EstHome first = EstHome.open(a)) {
            first.store().checkAvailable();
            Path elsewhere = tmp.resolve("down");
            Files.createDirectories(elsewhere);
            Files.writeString(elsewhere.resolve("est4j.properties"),
                    "store = jdbc\nstore.jdbc-url = jdbc:postgresql://127.0.0.1:1/est4j?connectTimeout=2\n");
            IOException e = assertThrows(IOException.class, () -> EstHome.open(elsewhere).close());
            assertTrue(e.getMessage().contains("schema could not be created"), e.getMessage());
        }
    }
}

package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.est4j.war.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 14: two est4j instances (two Tomcats of the test's own, each with its own {@code EST_HOME}) behind HAProxy,
 * on one PostgreSQL store ({@code store = jdbc}), the CA keys in one SoftHSM2 token ({@code key-store = pkcs11}).
 * One instance is killed with SIGKILL during 5,000 concurrent enrollments through HAProxy: every certificate a client
 * received is then on record exactly once, with the same DER, and no serial is used twice. Then what one instance or
 * the administrator decides is honoured by the other at once: an approval, a one-time password's use, a revocation.
 * Everything runs under {@code target/multinode}; the figures of the burst are printed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeTest {

    private static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    private static final String HAPROXY = "/usr/sbin/haproxy";
    private static final String TOKEN = "est4j-multinode";
    private static final String CMC_REQUEST = "application/pkcs7-mime; smime-type=CMC-request";

    private static final int REQUESTS = 5_000;
    private static final int THREADS = 24;
    /** The kill comes once this many certificates were received: well inside the burst. */
    private static final int KILL_AFTER = 1_500;

    /** Distinguishes this run's subjects. */
    private static final String RUN = Long.toString(System.nanoTime(), 36);

    private static Path dir;
    private static PostgresCluster postgres;
    private static TomcatNode a;
    private static TomcatNode b;
    private static Process haproxy;
    private static int haproxyPort;
    private static X509Certificate ca;
    private static String credentials;

    // ---- fixtures ------------------------------------------------------------------------------------

    @BeforeAll
    static void startPostgresTokenTwoTomcatsAndHaproxy() throws Exception {
        requireInstalled(PostgresCluster.installed(), "PostgreSQL 15 (" + PostgresCluster.BIN + ")", "postgresql");
        requireInstalled(Files.isRegularFile(LIBRARY) && onPath("softhsm2-util"), "SoftHSM2 (" + LIBRARY + ")", "softhsm2");
        requireInstalled(Files.isExecutable(Path.of(HAPROXY)), "HAProxy (" + HAPROXY + ")", "haproxy");
        dir = Path.of(System.getProperty("est.it.multinode.dir")).toAbsolutePath();
        Path softhsmConf = dir.resolve("softhsm2.conf");
        assertEquals(softhsmConf.toString(), System.getenv("SOFTHSM2_CONF"),
                "run through Maven: integration-tests' surefire configuration sets SOFTHSM2_CONF for this test");
        Scratch.deleteTree(dir);
        Files.createDirectories(dir);

        postgres = PostgresCluster.start(dir.resolve("postgres"));

        // one token for both instances, written before SoftHSM is first loaded in this JVM
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        Files.writeString(softhsmConf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        String pin = HexFormat.of().formatHex(random(6));
        String out = run("softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--pin", pin, "--so-pin", "so-" + pin);
        Matcher slotMatch = Pattern.compile("reassigned to slot (\\d+)").matcher(out);
        assertTrue(slotMatch.find(), out);
        long slot = Long.parseLong(slotMatch.group(1));

        a = new TomcatNode("a", dir.resolve("a-base"), dir.resolve("a-home"));
        b = new TomcatNode("b", dir.resolve("b-base"), dir.resolve("b-home"));
        Files.createDirectories(a.home(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(a.home().resolve("est4j.properties"), properties(slot), StandardCharsets.UTF_8);
        writePrivate(a.home().resolve("db-password"), postgres.password() + "\n");
        writePrivate(a.home().resolve("ca-pin"), pin + "\n");
        // created by the WAR at its first start; made here (the same way) so that both nodes can start at once
        writePrivate(a.home().resolve("digest-nonce.key"), Base64.getEncoder().encodeToString(random(32)) + "\n");
        // node A's first start, as EstHomeInit does it: the CAs' keys are generated in the token, the schema is created
        org.est4j.war.EstHome.open(a.home()).close();

        // node B: what it shares with A; everything else (its HTTPS certificate, trust store, ca.pem) it makes itself,
        // the CA certificates and keys coming from the token
        Files.createDirectories(b.home(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        for (String shared : SHARED_FILES) {
            Files.copy(a.home().resolve(shared), b.home().resolve(shared), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        org.est4j.war.EstHome.open(b.home()).close();

        ca = Pki.readCertificate(a.home().resolve("ca.pem"));
        assertArrayEquals(ca.getEncoded(), Pki.readCertificate(b.home().resolve("ca.pem")).getEncoded(),
                "node B found the CA of node A in the token");
        credentials = Files.readString(a.home().resolve("initial-credentials"), StandardCharsets.UTF_8).strip();

        Path tomcatHome = Path.of(System.getProperty("est.it.tomcat.home"));
        Path war = Path.of(System.getProperty("est.it.war"));
        Path driver = Path.of(System.getProperty("est.it.postgresql.jar"));
        TomcatNode.Jdbc jdbc = new TomcatNode.Jdbc(postgres.jdbcUrl(), postgres.user(), postgres.password());
        for (TomcatNode node : List.of(a, b)) {
            node.prepare(tomcatHome, war, driver, jdbc);
            node.environment("SOFTHSM2_CONF", softhsmConf.toString());
            node.start();
        }
        a.waitReady();
        b.waitReady();
        startHaproxy();
        System.out.printf("multinode: PostgreSQL on %d, node a %s, node b %s, HAProxy on %d%n", postgres.port(), a, b, haproxyPort);
    }

    /**
     * What node B's EST_HOME had to get from node A's (docs/scaling.md): the configuration, the secrets it names (the
     * database password, the token PIN), the HTTP users (Basic and Digest) and the Digest nonce key.
     */
    private static final List<String> SHARED_FILES = List.of("est4j.properties", "db-password", "ca-pin", "users.properties",
            "digest-users.properties", "digest-nonce.key");

    private static String properties(long slot) {
        // the shared store; the URL, user and password file for EstHome.open and Admin outside the container (the
        // Tomcats use their jdbc/est4j DataSource)
        StringBuilder sb = new StringBuilder("store = jdbc\n")
                .append("store.jdbc-url = ").append(postgres.jdbcUrl()).append('\n')
                .append("store.jdbc-user = ").append(postgres.user()).append('\n')
                .append("store.jdbc-password-file = db-password\n");
        // the default CA, and a CA whose requests wait for an administrator, on the label "manual"; both in the token
        for (String name : List.of("default", "manual")) {
            sb.append("ca.").append(name).append(".key-store = pkcs11\n")
                    .append("ca.").append(name).append(".pkcs11.library = ").append(LIBRARY).append('\n')
                    .append("ca.").append(name).append(".pkcs11.slot = ").append(slot).append('\n')
                    .append("ca.").append(name).append(".pkcs11.pin-file = ca-pin\n");
        }
        sb.append("""
                ca.manual.approval = manual
                ca.manual.retry-after-seconds = 5
                label.manual.ca = manual
                """);
        // behind HAProxy (docs/proxies/haproxy.cfg); both nodes' proxy connectors, so the file is the same on both
        sb.append("proxy.trusted-addresses = 127.0.0.1\n")
                .append("proxy.local-ports = ").append(a.proxyPort()).append(", ").append(b.proxyPort()).append('\n')
                .append("""
                        proxy.client-cert.format = haproxy
                        proxy.client-cert.verify-header = X-SSL-Client-Verify
                        proxy.forwarded-proto-header = X-Forwarded-Proto
                        """);
        return sb.toString();
    }

    private static void startHaproxy() throws Exception {
        Path runDir = Files.createDirectories(dir.resolve("haproxy"));
        haproxyPort = Scratch.freePort();
        String config = Files.readString(Path.of(System.getProperty("est.it.multinode.haproxy")), StandardCharsets.UTF_8)
                .replace("@LISTEN_PORT@", Integer.toString(haproxyPort))
                .replace("@BACKEND_A@", Integer.toString(a.proxyPort()))
                .replace("@BACKEND_B@", Integer.toString(b.proxyPort()))
                .replace("@EST_HOME@", a.home().toString())
                .replace("@RUN_DIR@", runDir.toString());
        Files.writeString(runDir.resolve("haproxy.cfg"), config, StandardCharsets.UTF_8);
        ByteArrayOutputStream pem = new ByteArrayOutputStream();
        pem.write(Files.readAllBytes(a.home().resolve("tls-server.pem")));
        pem.write(Files.readAllBytes(a.home().resolve("tls-server-key.pem")));
        writePrivate(runDir.resolve("haproxy.pem"), pem.toString(StandardCharsets.US_ASCII));
        haproxy = new ProcessBuilder(HAPROXY, "-db", "-f", runDir.resolve("haproxy.cfg").toString())
                .redirectErrorStream(true).redirectOutput(runDir.resolve("console.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            if (!haproxy.isAlive()) {
                fail("HAProxy exited at start-up: " + Files.readString(runDir.resolve("console.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", haproxyPort), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        fail("HAProxy did not listen on " + haproxyPort + ": " + Files.readString(runDir.resolve("console.log")));
    }

    /** After the burst's test, whatever it did: both nodes serve the following tests. */
    @BeforeEach
    void bothNodesRunning() throws Exception {
        for (TomcatNode node : List.of(a, b)) {
            if (!node.alive()) {
                node.start();
                node.waitReady();
            }
        }
    }

    @AfterAll
    static void stopEverything() throws Exception {
        List<Exception> failures = new ArrayList<>();
        if (haproxy != null) {
            haproxy.destroy();
            if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
                haproxy.destroyForcibly();
            }
        }
        for (AutoCloseable c : Arrays.asList(a, b, postgres)) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    // ---- 1. kill -9 of one instance during 5,000 enrollments through HAProxy ---------------------------

    @Test
    @Order(1)
    void killingOneInstanceMidBurstLosesNoCertificateAndRepeatsNoSerial() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(Pki.tls(ca, null)).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI enroll = URI.create("https://localhost:" + haproxyPort + "/.well-known/est/simpleenroll");
        String authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        List<KeyPair> keys = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            keys.add(Pki.p256());
        }

        Map<BigInteger, byte[]> received = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> servedBy = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        List<String> failuresBeforeKill = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger responses200 = new AtomicInteger();
        AtomicInteger receivedAfterKill = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long start = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            pool.submit(() -> {
                for (int n; (n = next.getAndIncrement()) < REQUESTS; ) {
                    boolean afterKill = killed.get();
                    String outcome;
                    try {
                        KeyPair key = keys.get(n % keys.size());
                        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(enroll).timeout(Duration.ofSeconds(30))
                                .header("Authorization", authorization).header("Content-Type", "application/pkcs10")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(
                                        Base64.getMimeEncoder().encode(Pki.csr(key, "CN=multinode-" + RUN + "-" + n).getEncoded())))
                                .build(), HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() == 200) {
                            X509Certificate c = Pki.certsOnly(Base64.getMimeDecoder().decode(response.body())).get(0);
                            received.put(c.getSerialNumber(), c.getEncoded());
                            responses200.incrementAndGet();
                            servedBy.computeIfAbsent(response.headers().firstValue("X-Est-Node").orElse("?"), k -> new AtomicInteger())
                                    .incrementAndGet();
                            if (afterKill) {
                                receivedAfterKill.incrementAndGet();
                            }
                            continue;
                        }
                        outcome = "HTTP " + response.statusCode() + " from " + response.headers().firstValue("X-Est-Node").orElse("HAProxy");
                    } catch (Exception e) {
                        outcome = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                    }
                    failures.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                    if (!afterKill && !killed.get()) {
                        failuresBeforeKill.add(outcome);
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        while (received.size() < KILL_AFTER && !pool.isTerminated() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(120)) {
            Thread.sleep(10);
        }
        int receivedAtKill = received.size();
        killed.set(true);
        b.kill();
        long killedAt = System.nanoTime();
        assertTrue(pool.awaitTermination(170, TimeUnit.SECONDS), "the burst ended");
        double seconds = (System.nanoTime() - start) / 1e9;
        int failed = failures.values().stream().mapToInt(AtomicInteger::get).sum();

        // node B back, as after a crash; the records are checked with both instances running
        b.start();
        b.waitReady();
        Map<BigInteger, byte[]> recorded = onRecord();
        int duplicates = duplicateSerials();

        System.out.printf("multinode burst: %d requests from %d threads through HAProxy in %.1f s (%.0f/s); node b killed after"
                        + " %d received (%.1f s in); received %d (%s; %d after the kill), failed %d %s; on record %d, serials twice %d%n",
                REQUESTS, THREADS, seconds, REQUESTS / seconds, receivedAtKill, (killedAt - start) / 1e9, received.size(),
                new TreeMap<>(servedBy), receivedAfterKill.get(), failed, new TreeMap<>(failures), recorded.size(), duplicates);

        assertEquals(List.of(), failuresBeforeKill, "nothing fails before the kill");
        assertEquals(responses200.get(), received.size(), "no serial reached two clients");
        assertEquals(REQUESTS, received.size() + failed, "every request got an answer");
        assertTrue(servedBy.getOrDefault("a", new AtomicInteger()).get() > 0 && servedBy.getOrDefault("b", new AtomicInteger()).get() > 0,
                () -> "HAProxy sent requests to both instances: " + servedBy);
        assertTrue(receivedAfterKill.get() > 0, "node a went on issuing after node b was killed");
        assertFalse(failures.keySet().stream().anyMatch(f -> f.startsWith("HTTP 500") || f.startsWith("HTTP 4")),
                () -> "only the kill may fail requests, never as a 500 or a 4xx: " + failures);
        assertTrue(failed < REQUESTS / 10, () -> "HAProxy took the dead instance out: " + failed + " failures");

        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        for (Map.Entry<BigInteger, byte[]> e : received.entrySet()) {
            byte[] der = recorded.get(e.getKey());
            assertNotNull(der, () -> "serial " + e.getKey().toString(16) + " reached a client but is not on record");
            assertArrayEquals(e.getValue(), der, "the record is the certificate the client got");
            X509Certificate parsed = (X509Certificate) x509.generateCertificate(new java.io.ByteArrayInputStream(der));
            assertEquals(e.getKey(), parsed.getSerialNumber(), "the record's serial is its certificate's");
            parsed.verify(ca.getPublicKey()); // whichever node issued it, it signed with the one CA key in the token
        }
        assertEquals(0, duplicates, "no serial is recorded twice");
        assertTrue(recorded.size() >= received.size());

        // HAProxy's check brings node B back: requests reach it again (bounded probe, not a timing assertion)
        boolean bAgain = false;
        for (int i = 0; i < 100 && !bAgain; i++) {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(enroll.resolve("cacerts")).build(), HttpResponse.BodyHandlers.ofByteArray());
            bAgain = r.statusCode() == 200 && "b".equals(r.headers().firstValue("X-Est-Node").orElse(""));
            if (!bAgain) {
                Thread.sleep(100);
            }
        }
        assertTrue(bAgain, "HAProxy sends requests to the restarted node b again");
    }

    /** Serial to DER of every certificate of the default CA in table issued_certificate. */
    private static Map<BigInteger, byte[]> onRecord() throws Exception {
        Map<BigInteger, byte[]> out = new HashMap<>();
        for (List<Object> row : postgres.query("SELECT serial, der FROM issued_certificate WHERE ca_name = 'default'")) {
            BigInteger serial = new BigInteger((String) row.get(0), 16);
            assertEquals(row.get(0), serial.toString(16), "serials are lower-case hex without leading zeros");
            out.put(serial, (byte[]) row.get(1));
        }
        return out;
    }

    /** Serials the store holds more than once (the primary key is (ca_name, serial): asked across CAs too). */
    private static int duplicateSerials() throws Exception {
        int n = postgres.query("SELECT serial FROM issued_certificate GROUP BY serial HAVING count(*) > 1").size();
        long rows = ((Number) postgres.query("SELECT count(*) FROM issued_certificate").get(0).get(0)).longValue();
        long distinct = ((Number) postgres.query("SELECT count(DISTINCT serial) FROM issued_certificate").get(0).get(0)).longValue();
        assertEquals(rows, distinct, "as many rows as distinct serials");
        return n;
    }

    // ---- 2. an approval given with Admin against the store is honoured by the other instance ----------------

    @Test
    @Order(2)
    void anApprovalIsHonouredByTheOtherInstance() throws Exception {
        KeyPair keys = Pki.p256();
        String subject = "CN=multinode-manual-" + RUN;
        byte[] csr = Pki.csr(keys, subject).getEncoded();

        EstHttp.Reply pending = withPassword(a).postCsr("manual/simpleenroll", csr);
        assertEquals(202, pending.status(), pending::toString);
        assertEquals("5", pending.requiredHeader("Retry-After"));
        assertEquals(202, withPassword(b).postCsr("manual/simpleenroll", csr).status(), "node b sees the same waiting request");

        assertEquals(0, admin(a, "approve", queuedId(b, subject), "checked by MultiNodeTest"));

        EstHttp.Reply issued = withPassword(b).postCsr("manual/simpleenroll", csr);
        assertEquals(200, issued.status(), issued::toString);
        X509Certificate cert = Pki.certsOnly(issued.base64Body()).get(0);
        assertEquals(subject, cert.getSubjectX500Principal().getName());
        assertArrayEquals(keys.getPublic().getEncoded(), cert.getPublicKey().getEncoded());
        Pki.pkixValidate(cert, Pki.readCertificate(a.home().resolve("ca/manual/ca.pem")));
        assertEquals(202, withPassword(a).postCsr("manual/simpleenroll", csr).status(), "the approval was used once, on node b");
        List<List<Object>> row = postgres.query("SELECT der FROM issued_certificate WHERE ca_name = 'manual' AND serial = ?",
                cert.getSerialNumber().toString(16));
        assertEquals(1, row.size(), "on record once, under CA manual");
        assertArrayEquals(cert.getEncoded(), (byte[]) row.get(0).get(0));
    }

    // ---- 3. a one-time password works once across both instances ----------------------------------------

    @Test
    @Order(3)
    void aOneTimePasswordWorksOnceAcrossBothInstances() throws Exception {
        String otp = adminOutput(b, "add-otp", "1").strip();
        assertTrue(otp.matches("\\S+"), "one password printed");
        byte[] csr = Pki.csr(Pki.p256(), "CN=multinode-otp-" + RUN).getEncoded();

        EstHttp.Reply first = new EstHttp(a.estBase(), Pki.tls(ca, null)).basic("", otp).postCsr("simpleenroll", csr);
        assertEquals(200, first.status(), first::toString);
        EstHttp.Reply again = new EstHttp(b.estBase(), Pki.tls(ca, null)).basic("", otp).postCsr("simpleenroll", csr);
        assertEquals(401, again.status(), again::toString);
        assertTrue(again.text().contains("one-time password"), again::toString);
    }

    // ---- 4. a revocation made on one instance refuses the certificate on the other at once --------------

    @Test
    @Order(4)
    void aRevocationThroughOneInstanceIsRefusedByTheOtherAtOnce() throws Exception {
        KeyPair keys = Pki.p256();
        String subject = "CN=multinode-revoked-" + RUN;
        EstHttp.Reply enrolled = withPassword(a).postCsr("simpleenroll", Pki.csr(keys, subject).getEncoded());
        assertEquals(200, enrolled.status(), enrolled::toString);
        X509Certificate cert = Pki.certsOnly(enrolled.base64Body()).get(0);
        EstHttp onB = new EstHttp(b.estBase(), Pki.tls(ca, Pki.clientKey(keys.getPrivate(), cert, ca)));
        EstHttp onA = new EstHttp(a.estBase(), Pki.tls(ca, Pki.clientKey(keys.getPrivate(), cert, ca)));
        assertEquals(200, onB.postCsr("simplereenroll", Pki.csr(keys, subject).getEncoded()).status(), "node b accepts it before");

        // the holder revokes its own certificate with a CMC revokeRequest on node a (reason keyCompromise)
        EstHttp.Reply cmc = onA.post("fullcmc", CMC_REQUEST, Base64.getMimeEncoder().encode(
                CmcMessages.revokeRequest(cert.getIssuerX500Principal(), cert.getSerialNumber(), 1, cert, keys.getPrivate())));
        assertEquals(200, cmc.status(), cmc::toString);
        CmcMessages.Response response = CmcMessages.parseResponse(cmc.base64Body(), Pki.readCertificate(a.home().resolve("tls-server.pem")));
        assertTrue(response.statusFor(CmcMessages.REVOKE_BODY_PART_ID).isSuccess(), response::toString);

        EstHttp.Reply refused = onB.postCsr("simplereenroll", Pki.csr(keys, subject).getEncoded());
        assertEquals(401, refused.status(), refused::toString);
        assertEquals("401 the TLS client certificate is not accepted: certificate revoked\n", refused.text());
        List<List<Object>> row = postgres.query("SELECT reason FROM revocation WHERE ca_name = 'default' AND serial = ?",
                cert.getSerialNumber().toString(16));
        assertEquals(1, row.size(), "one revocation on record");
        assertEquals(1, ((Number) row.get(0).get(0)).intValue(), "keyCompromise");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static EstHttp withPassword(TomcatNode node) throws Exception {
        int colon = credentials.indexOf(':');
        return new EstHttp(node.estBase(), Pki.tls(ca, null)).basic(credentials.substring(0, colon), credentials.substring(colon + 1));
    }

    /** The id {@code Admin list} on the node's EST_HOME shows for the waiting request with this subject. */
    private static String queuedId(TomcatNode node, String subject) throws IOException {
        Matcher m = Pattern.compile("(?m)^([0-9a-f]{32})  PENDING\\n(?:    .*\\n)*?    subject: " + Pattern.quote(subject) + "\\n")
                .matcher(adminOutput(node, "list"));
        assertTrue(m.find(), "queued: " + subject);
        return m.group(1);
    }

    private static int admin(TomcatNode node, String... args) throws IOException {
        return Admin.run(args, node.home(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), System.err);
    }

    private static String adminOutput(TomcatNode node, String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Admin.run(args, node.home(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void requireInstalled(boolean installed, String what, String aptPackage) {
        if (!installed) {
            if ("true".equals(System.getenv("CI"))) {
                fail(what + " is not installed: .ci/run installs " + aptPackage);
            }
            Assumptions.abort(what + " is not installed (apt-get install " + aptPackage + ")");
        }
    }

    private static boolean onPath(String command) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command)));
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), () -> command[0] + " " + command[1] + ": " + out);
        return out;
    }
}

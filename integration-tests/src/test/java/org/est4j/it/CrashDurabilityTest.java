package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing a client received is lost, and no serial is used twice, when the container dies mid-burst: a Tomcat of
 * the test's own (its own base directory, data directory and ports) takes concurrent enrollments, is killed with
 * SIGKILL in the middle, restarted, and killed again; then every certificate a client got is read back from the
 * issuance log (with the JDK's parser), and every serial in the log appears once.
 */
class CrashDurabilityTest {

    private static final int HTTPS = 18843;
    private static final int THREADS = 8;
    private static final int ROUNDS = 2;

    private final Path tomcatHome = Path.of(System.getProperty("est.it.tomcat.home"));
    private final Path base = Path.of(System.getProperty("est.it.tomcat.home")).resolveSibling("crash-base");
    private final Path home = base.resolveSibling("crash-home");
    private Process tomcat;

    @AfterEach
    void stop() throws InterruptedException {
        if (tomcat != null) {
            tomcat.destroyForcibly();
            tomcat.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void killingTheContainerMidBurstLosesNoCertificateAndRepeatsNoSerial() throws Exception {
        prepare();
        Map<BigInteger, byte[]> received = new ConcurrentHashMap<>();
        int[] perRound = new int[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            start();
            perRound[round] = burstThenKill(received);
        }
        start(); // recovery after the last kill, and a few more after it
        int before = received.size();
        burst(received, 20);
        assertTrue(received.size() >= before + 20, "enrollment works after recovery");
        tomcat.destroy(); // a clean stop at the end
        assertTrue(tomcat.waitFor(60, TimeUnit.SECONDS));

        Map<BigInteger, byte[]> recorded = readIssuanceLog();
        for (Map.Entry<BigInteger, byte[]> e : received.entrySet()) {
            byte[] onRecord = recorded.get(e.getKey());
            assertNotNull(onRecord, () -> "serial " + e.getKey().toString(16) + " reached a client but is not on record");
            assertTrue(java.util.Arrays.equals(e.getValue(), onRecord), "the record is the certificate the client got");
        }
        System.out.printf("crash test: %s certificates received in the killed rounds, %d in all, %d on record%n",
                java.util.Arrays.toString(perRound), received.size(), recorded.size());
        assertTrue(perRound[0] > 0 && perRound[1] > 0, "each round enrolled before it was killed");
    }

    /** A Tomcat base of its own (server.xml from est-war, the WAR as ROOT) and a data directory of its own. */
    private void prepare() throws Exception {
        Scratch.deleteTree(base);
        Scratch.deleteTree(home);
        for (String dir : List.of("conf", "webapps", "logs", "work", "temp")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> files = Files.list(tomcatHome.resolve("conf"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, base.resolve("conf").resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.copy(Path.of(System.getProperty("est.it.war")), base.resolve("webapps").resolve("ROOT.war"));
        org.est4j.war.EstHome.open(home).close(); // as EstHomeInit does before a first start
    }

    private void start() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx384m", "-Dcatalina.home=" + tomcatHome, "-Dcatalina.base=" + base,
                "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
                "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
                "-Dest.home=" + home, "-Dest.http.port=18880", "-Dest.https.port=" + HTTPS, "-Dest.shutdown.port=18805",
                "-Dest.proxy.port=18881", "-cp", tomcatHome.resolve("bin/bootstrap.jar") + ":" + tomcatHome.resolve("bin/tomcat-juli.jar"),
                "org.apache.catalina.startup.Bootstrap", "start")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("logs/console.log").toFile()));
        // catalina.home/base and est.home above: nothing of the caller's Tomcat, WildFly or data directory
        pb.environment().keySet().removeAll(List.of("CATALINA_HOME", "CATALINA_BASE", "JBOSS_HOME", "EST_HOME"));
        tomcat = pb.start();
        HttpClient client = client();
        for (int i = 0; i < 180; i++) {
            try {
                if (client.send(HttpRequest.newBuilder(estUri("cacerts")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertTrue(tomcat.isAlive(), "Tomcat exited: see " + base.resolve("logs"));
            Thread.sleep(500);
        }
        throw new AssertionError("Tomcat did not answer within 90 s: see " + base.resolve("logs"));
    }

    /** Enrolls from {@value #THREADS} threads, kills the JVM with SIGKILL once some succeeded; returns how many did. */
    private int burstThenKill(Map<BigInteger, byte[]> received) throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger issued = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        HttpClient client = client();
        String authorization = basicAuthorization();
        List<KeyPair> keys = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            keys.add(Pki.p256());
        }
        for (int t = 0; t < THREADS; t++) {
            KeyPair key = keys.get(t);
            int thread = t;
            pool.submit(() -> {
                for (int n = 0; !killed.get(); n++) {
                    try {
                        X509Certificate c = enroll(client, authorization, key, "CN=crash-" + thread + "-" + n);
                        received.put(c.getSerialNumber(), c.getEncoded());
                        issued.incrementAndGet();
                    } catch (Exception e) {
                        if (!killed.get()) {
                            throw new IllegalStateException("an enrollment failed before the kill", e);
                        }
                    }
                }
                return null;
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (issued.get() < 150 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        tomcat.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, as a power cut to the JVM
        killed.set(true);
        assertTrue(tomcat.waitFor(30, TimeUnit.SECONDS));
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
        return issued.get();
    }

    private void burst(Map<BigInteger, byte[]> received, int count) throws Exception {
        HttpClient client = client();
        String authorization = basicAuthorization();
        KeyPair key = Pki.p256();
        for (int i = 0; i < count; i++) {
            X509Certificate c = enroll(client, authorization, key, "CN=after-crash-" + i);
            received.put(c.getSerialNumber(), c.getEncoded());
        }
    }

    private X509Certificate enroll(HttpClient client, String authorization, KeyPair key, String subject) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(estUri("simpleenroll")).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).header("Content-Type", "application/pkcs10")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Base64.getMimeEncoder().encode(Pki.csr(key, subject).getEncoded())))
                .build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8));
        }
        return Pki.certsOnly(Base64.getMimeDecoder().decode(response.body())).get(0);
    }

    /** Every record of the issuance log, serial to certificate, each certificate parsed by the JDK; no serial twice. */
    private Map<BigInteger, byte[]> readIssuanceLog() throws Exception {
        Map<BigInteger, byte[]> out = new HashMap<>();
        for (String line : Files.readAllLines(home.resolve("ca/default/issued.log"), StandardCharsets.US_ASCII)) {
            int space = line.indexOf(' ');
            BigInteger serial = new BigInteger(line.substring(0, space), 16);
            byte[] der = Base64.getDecoder().decode(line.substring(space + 1));
            assertEquals(serial, Pki.parseDer(der).getSerialNumber(), "the line's serial is its certificate's");
            assertFalse(out.containsKey(serial), () -> "serial " + serial.toString(16) + " appears twice in the issuance log");
            out.put(serial, der);
        }
        return out;
    }

    private String basicAuthorization() throws IOException {
        String credentials = Files.readString(home.resolve("initial-credentials"), StandardCharsets.UTF_8).strip();
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private HttpClient client() throws Exception {
        return HttpClient.newBuilder().sslContext(Pki.tls(Pki.readCertificate(home.resolve("ca.pem")), null))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static URI estUri(String operation) {
        return URI.create("https://localhost:" + HTTPS + "/.well-known/est/" + operation);
    }
}

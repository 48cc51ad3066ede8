package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * est4j on WildFly with the shared store in PostgreSQL through a WildFly datasource, as the README's WildFly section
 * sets it up: the driver deployed, {@code data-source add} with a connection check, {@code store.datasource} naming it.
 * A WildFly of the test's own (the unpacked distribution, its own base directory and port offset). Then the database
 * goes away: readiness and enrollment answer 503 with {@code Retry-After}, nothing is half recorded, and once the
 * database is back the same server enrolls again without a restart.
 */
class WildflyJdbcStoreTest {

    private static final int OFFSET = 12000;
    private static final int HTTPS = 8443 + OFFSET;
    private static final int MANAGEMENT = 9990 + OFFSET;

    private static final Path TARGET = Path.of(System.getProperty("est.it.tomcat.home", "target/none")).toAbsolutePath().getParent();
    private static final Path WILDFLY = Path.of(System.getProperty("est.it.wildfly.home", "missing"));
    private static final Path BASE = TARGET.resolve("wildfly-jdbc-base");
    private static final Path HOME = TARGET.resolve("wildfly-jdbc-home");

    private static PostgresCluster pg;
    private static Process wildfly;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(System.getProperty("est.it.postgresql.jar") != null, "runs in the default-test execution only");
        assumeTrue(PostgresCluster.installed(), "PostgreSQL 15 is not installed");
        assumeTrue(!Boolean.getBoolean("est.it.wildfly.skip") && Files.isExecutable(WILDFLY.resolve("bin/standalone.sh")),
                "WildFly is left out (-Dit.wildfly.skip=true)");
        pg = PostgresCluster.start(TARGET.resolve("wildfly-jdbc-pg"));
        Scratch.deleteTree(HOME);
        Scratch.deleteTree(BASE);
        Files.createDirectories(HOME);
        Files.writeString(HOME.resolve("db-password"), pg.password() + "\n");
        // the datasource for the WAR; the URL for the set-up below, which runs outside WildFly
        Files.writeString(HOME.resolve("est4j.properties"), "store = jdbc\nstore.datasource = java:jboss/datasources/est4j\n"
                + "store.jdbc-url = " + pg.jdbcUrl() + "\nstore.jdbc-user = " + pg.user() + "\nstore.jdbc-password-file = db-password\n");
        org.est4j.war.EstHome.open(HOME).close();

        // the distribution's configuration (the pom applied the Elytron TLS commands to it), in a base of our own
        copyTree(WILDFLY.resolve("standalone/configuration"), BASE.resolve("configuration"));
        Files.createDirectories(BASE.resolve("deployments"));
        List<String> command = List.of(WILDFLY.resolve("bin/standalone.sh").toString(), "-Djboss.server.base.dir=" + BASE,
                "-Djboss.socket.binding.port-offset=" + OFFSET, "-Dest.home=" + HOME);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(TARGET.resolve("wildfly-jdbc-console.log").toFile()));
        pb.environment().remove("EST_HOME");
        // standalone.sh takes JBOSS_HOME, JBOSS_BASE_DIR, JBOSS_CONFIG_DIR, JBOSS_LOG_DIR... from the environment: none of the caller's
        pb.environment().keySet().removeIf(k -> k.startsWith("JBOSS_"));
        pb.environment().put("JAVA_OPTS", "-Xmx512m");
        wildfly = pb.start();
        waitForManagement();

        Path driver = Path.of(System.getProperty("est.it.postgresql.jar"));
        cli("deploy " + driver,
                // connections are checked before use: after a database restart the pool replaces broken ones
                "data-source add --name=est4j --jndi-name=java:jboss/datasources/est4j --driver-name=" + driver.getFileName()
                        + " --connection-url=" + pg.jdbcUrl() + " --user-name=" + pg.user() + " --password=" + pg.password()
                        + " --max-pool-size=20 --validate-on-match=true --check-valid-connection-sql=\"SELECT 1\""
                        + " --exception-sorter-class-name=org.jboss.jca.adapters.jdbc.extensions.postgres.PostgreSQLExceptionSorter",
                "deploy " + Path.of(System.getProperty("est.it.ee.war")) + " --name=ROOT.war");
        waitFor(200, "after deployment");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (wildfly != null) {
                wildfly.descendants().forEach(ProcessHandle::destroyForcibly);
                wildfly.destroyForcibly();
                wildfly.waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            if (pg != null) {
                pg.close();
            }
        }
    }

    @Test
    void enrollsThroughTheWildflyDatasourceAndAnswers503WithRetryAfterWhileTheDatabaseIsDown() throws Exception {
        KeyPair key = Pki.p256();
        HttpResponse<byte[]> first = enroll(key, "CN=wildfly-jdbc-1");
        assertEquals(200, first.statusCode(), () -> new String(first.body(), StandardCharsets.UTF_8));
        X509Certificate issued = Pki.certsOnly(Base64.getMimeDecoder().decode(first.body())).get(0);
        List<List<Object>> row = pg.query("SELECT der FROM issued_certificate WHERE ca_name = 'default' AND serial = ?",
                issued.getSerialNumber().toString(16));
        assertEquals(1, row.size(), "the certificate is in the database");
        assertArrayEquals(issued.getEncoded(), (byte[]) row.get(0).get(0));
        long before = count();

        pg.stop();
        HttpResponse<String> ready = health();
        assertEquals(503, ready.statusCode());
        assertEquals("10", ready.headers().firstValue("Retry-After").orElse(""));
        assertEquals("503 not ready: the store is unavailable", ready.body().strip());
        HttpResponse<byte[]> refused = enroll(key, "CN=wildfly-jdbc-2");
        assertEquals(503, refused.statusCode());
        assertEquals("10", refused.headers().firstValue("Retry-After").orElse(""));
        assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));

        pg.restart();
        waitFor(200, "after the database came back");
        assertEquals(before, count(), "the refused request left nothing behind");
        HttpResponse<byte[]> again = enroll(key, "CN=wildfly-jdbc-3");
        assertEquals(200, again.statusCode(), () -> new String(again.body(), StandardCharsets.UTF_8));
        assertEquals(before + 1, count());
    }

    private static long count() throws Exception {
        return ((Number) pg.query("SELECT count(*) FROM issued_certificate").get(0).get(0)).longValue();
    }

    private static HttpClient client() throws Exception {
        // the server's TLS certificate is the one the pom's Elytron commands installed: from the tests' EST_HOME
        return HttpClient.newBuilder().sslContext(Pki.tls(Pki.readCertificate(Path.of(System.getProperty("est.home")).resolve("ca.pem")), null))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> health() throws Exception {
        return client().send(HttpRequest.newBuilder(URI.create("https://localhost:" + HTTPS + "/health/ready"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> enroll(KeyPair key, String subject) throws Exception {
        String credentials = Files.readString(HOME.resolve("initial-credentials"), StandardCharsets.UTF_8).strip();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + HTTPS + "/.well-known/est/simpleenroll"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/pkcs10")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Base64.getMimeEncoder().encode(Pki.csr(key, subject).getEncoded())))
                .build();
        return client().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void waitFor(int status, String when) throws Exception {
        int last = -1;
        for (int i = 0; i < 120; i++) {
            try {
                last = health().statusCode();
                if (last == status) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertTrue(wildfly.isAlive(), "WildFly exited: see " + TARGET.resolve("wildfly-jdbc-console.log"));
            Thread.sleep(500);
        }
        throw new AssertionError("/health/ready did not answer " + status + " " + when + " (last " + last + "): see "
                + TARGET.resolve("wildfly-jdbc-console.log"));
    }

    private static void waitForManagement() throws Exception {
        for (int i = 0; i < 240; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", MANAGEMENT)) {
                Thread.sleep(2000); // listening; let the boot finish
                return;
            } catch (IOException notYet) {
                assertTrue(wildfly.isAlive(), "WildFly exited: see " + TARGET.resolve("wildfly-jdbc-console.log"));
                Thread.sleep(500);
            }
        }
        throw new AssertionError("WildFly's management port did not open within 120 s");
    }

    private static void cli(String... commands) throws Exception {
        List<String> command = new ArrayList<>(List.of(WILDFLY.resolve("bin/jboss-cli.sh").toString(), "--connect",
                "--controller=127.0.0.1:" + MANAGEMENT, "--timeout=60000"));
        command.add("--commands=" + String.join(",", commands));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("JBOSS_")); // jboss-cli.sh: JBOSS_HOME, JBOSS_MODULEPATH
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "jboss-cli did not finish");
        assertEquals(0, p.exitValue(), () -> "jboss-cli failed: " + output);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}

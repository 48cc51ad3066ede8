package org.est4j.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One Tomcat process of a test's own, started as {@code CrashDurabilityTest} starts it: the distribution unpacked by
 * the build as {@code CATALINA_HOME}, a {@code CATALINA_BASE} of its own (est-war's server.xml, the WAR as ROOT,
 * the PostgreSQL driver in {@code lib/} and a {@code jdbc/est4j} DataSource in {@code conf/context.xml}), an
 * {@code EST_HOME} of its own and free loopback ports, plus whatever JVM options and environment the test adds.
 */
final class TomcatNode implements AutoCloseable {

    /** The JDBC DataSource of conf/context.xml, or null for none. */
    record Jdbc(String url, String user, String password) {
    }

    private final String name;
    private final Path base;
    private final Path home;
    private final int httpPort;
    private final int httpsPort;
    private final int shutdownPort;
    private final int proxyPort;
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Process process;

    /** Reserves the node's ports; {@code base} and {@code home} are created by {@link #prepare}. */
    TomcatNode(String name, Path base, Path home) throws IOException {
        this.name = name;
        this.base = base.toAbsolutePath();
        this.home = home.toAbsolutePath();
        this.httpPort = Scratch.freePort();
        this.httpsPort = Scratch.freePort();
        this.shutdownPort = Scratch.freePort();
        this.proxyPort = Scratch.freePort();
    }

    TomcatNode jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    TomcatNode environment(String variable, String value) {
        environment.put(variable, value);
        return this;
    }

    String name() {
        return name;
    }

    Path home() {
        return home;
    }

    int httpsPort() {
        return httpsPort;
    }

    /** The plain HTTP connector (CRLs at /crl/). */
    int httpPort() {
        return httpPort;
    }

    /** The loopback connector for a TLS terminator (server.xml's est.proxy.port). */
    int proxyPort() {
        return proxyPort;
    }

    /** {@code https://localhost:<https port>/.well-known/est/}: this node directly, not through the balancer. */
    URI estBase() {
        return URI.create("https://localhost:" + httpsPort + "/.well-known/est/");
    }

    /**
     * An empty CATALINA_BASE: conf/ from CATALINA_HOME (est-war's server.xml is there), a context.xml with the
     * DataSource, the driver jar in lib/, the WAR as webapps/ROOT.war.
     */
    void prepare(Path tomcatHome, Path war, Path jdbcDriver, Jdbc jdbc) throws IOException {
        Scratch.deleteTree(base);
        for (String dir : List.of("conf", "lib", "webapps", "logs", "work", "temp")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> files = Files.list(tomcatHome.resolve("conf"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, base.resolve("conf").resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.copy(war, base.resolve("webapps/ROOT.war"));
        Files.copy(jdbcDriver, base.resolve("lib").resolve(jdbcDriver.getFileName()));
        String resource = jdbc == null ? "" : """
                  <Resource name="jdbc/est4j" auth="Container" type="javax.sql.DataSource" driverClassName="org.postgresql.Driver"
                            url="%s" username="%s" password="%s"
                            maxTotal="40" maxIdle="40" maxWaitMillis="10000"/>
                """.formatted(xml(jdbc.url()), xml(jdbc.user()), xml(jdbc.password()));
        Files.writeString(base.resolve("conf/context.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <Context>
                  <WatchedResource>WEB-INF/web.xml</WatchedResource>
                %s</Context>
                """.formatted(resource), StandardCharsets.UTF_8);
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }

    /** Starts the JVM (output appended to logs/console.log); {@link #waitReady} waits for it to serve. */
    void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running already");
        }
        Path tomcatHome = Path.of(System.getProperty("est.it.tomcat.home"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx512m", "-Dcatalina.home=" + tomcatHome,
                "-Dcatalina.base=" + base, "-Djava.io.tmpdir=" + base.resolve("temp"),
                "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
                "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
                "-Dest.home=" + home, "-Dest.http.port=" + httpPort, "-Dest.https.port=" + httpsPort,
                "-Dest.shutdown.port=" + shutdownPort, "-Dest.proxy.port=" + proxyPort));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", tomcatHome.resolve("bin/bootstrap.jar") + ":" + tomcatHome.resolve("bin/tomcat-juli.jar"),
                "org.apache.catalina.startup.Bootstrap", "start"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("logs/console.log").toFile()));
        pb.environment().remove("EST_HOME"); // est.home above, never the caller's data directory
        // catalina.home/base above: nothing of the caller's Tomcat (or WildFly) reaches this one
        pb.environment().keySet().removeAll(List.of("CATALINA_HOME", "CATALINA_BASE", "JBOSS_HOME"));
        pb.environment().putAll(environment);
        process = pb.start();
    }

    /** Waits (bounded) until {@code /cacerts} answers 200 on the HTTPS connector. */
    void waitReady() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(Pki.tls(Pki.readCertificate(home.resolve("ca.pem")), null))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < 240; i++) {
            try {
                if (client.send(HttpRequest.newBuilder(estBase().resolve("cacerts")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ": see " + base.resolve("logs"));
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(name + " did not answer within 120 s: see " + base.resolve("logs"));
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush, as a power cut to the JVM. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " survived SIGKILL");
            }
        }
    }

    /** SIGTERM (Tomcat's shutdown hook stops it cleanly), SIGKILL if it is still there after 60 s. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** The end of logs/console.log and the newest catalina log, for a failure message. */
    String logTail() throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> logs = Files.list(base.resolve("logs"))) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("catalina") || p.getFileName().toString().startsWith("console"))
                    .sorted().toList()) {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                sb.append("--- ").append(log.getFileName()).append('\n').append(text.substring(Math.max(0, text.length() - 4000)));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return name + " (https " + httpsPort + ", proxy connector " + proxyPort + ")";
    }
}

package org.est4j.war.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL 15 cluster of a test's own (Debian's {@code postgresql} package): {@code initdb} into a temporary
 * directory, a free loopback port, a database {@code est4j}; stopped and deleted at {@link #close}. PostgreSQL refuses
 * to run as root, so as root its programs run as {@code nobody}.
 */
final class ThrowawayPostgres implements AutoCloseable {

    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path dir;
    private final int port;

    private ThrowawayPostgres(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static boolean installed() {
        return Files.isExecutable(BIN.resolve("initdb"));
    }

    static ThrowawayPostgres start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("est4j-pg");
        run(dir, List.of("chown", "nobody:nogroup", dir.toString()), false);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ThrowawayPostgres pg = new ThrowawayPostgres(dir, port);
        run(dir, List.of(BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "postgres",
                "-E", "UTF8", "--no-sync"), true);
        run(dir, List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(),
                "-w", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"), true);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "")) {
            c.createStatement().execute("CREATE DATABASE est4j");
        } catch (SQLException e) {
            pg.close();
            throw new IOException(e);
        }
        return pg;
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/est4j";
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), "postgres", "");
    }

    /** est4j.properties lines for a store in this cluster. */
    String properties() {
        return "store = jdbc\nstore.jdbc-url = " + url() + "\nstore.jdbc-user = postgres\n";
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(Path dir, List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres && root()) {
            full.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " failed: " + output);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run(dir, List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"), true);
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}

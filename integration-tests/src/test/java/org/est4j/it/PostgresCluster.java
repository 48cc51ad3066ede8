package org.est4j.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PostgreSQL 15 cluster for one test class: {@code initdb} into a directory of its own, the server on a
 * free loopback port (its unix socket in that directory too), a database {@code est4j} owned by a user {@code est4j}
 * with a generated password (SCRAM over TCP), stopped and deleted by {@link #close()}. Never the machine's own
 * cluster or service. initdb and postgres refuse to run as root, so as root they run as {@code nobody}.
 */
final class PostgresCluster implements AutoCloseable {

    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    static final String DATABASE = "est4j";
    static final String USER = "est4j";

    private final Path dir;
    private final int port;
    private final String password;
    private boolean running;

    private PostgresCluster(Path dir, int port, String password) {
        this.dir = dir;
        this.port = port;
        this.password = password;
    }

    static boolean installed() {
        return Files.isExecutable(BIN.resolve("initdb")) && Files.isExecutable(BIN.resolve("pg_ctl"));
    }

    /** Creates and starts a cluster in {@code dir} (emptied first). */
    static PostgresCluster start(Path dir) throws IOException, InterruptedException {
        if (Files.exists(dir.resolve("data/postmaster.pid"))) {
            // a server left running by a test JVM that was killed: stopped before its directory goes
            try {
                new PostgresCluster(dir.toAbsolutePath(), 0, "").runAsServerUser(List.of(BIN.resolve("pg_ctl").toString(), "-D",
                        dir.resolve("data").toAbsolutePath().toString(), "-m", "immediate", "-w", "stop"), null);
            } catch (IOException stoppedAlready) {
                // a stale pid file: nothing runs
            }
        }
        Scratch.deleteTree(dir);
        Files.createDirectories(dir);
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        PostgresCluster cluster = new PostgresCluster(dir.toAbsolutePath(), Scratch.freePort(), HexFormat.of().formatHex(secret));
        try {
            cluster.init();
            return cluster;
        } catch (IOException | RuntimeException | InterruptedException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void init() throws IOException, InterruptedException {
        Path data = dir.resolve("data");
        if (asRoot()) {
            // the server's own user must own (and be able to reach) its directory
            run(List.of("chown", "nobody:nogroup", dir.toString()), null, false);
        }
        // trust on the unix socket (in this directory only, reachable by the test and the server's user) for the
        // set-up below; SCRAM over TCP, which is what est4j and the Tomcats use
        runAsServerUser(List.of(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-E", "UTF8",
                "--no-sync", "--auth-local=trust", "--auth-host=scram-sha-256"), null);
        startServer();
        // the password on psql's standard input, not its command line (visible to every user in ps)
        runAsServerUser(List.of(BIN.resolve("psql").toString(), "-h", dir.toString(), "-p", Integer.toString(port), "-U", "postgres",
                "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q"),
                "CREATE ROLE " + USER + " LOGIN PASSWORD '" + password + "';\nCREATE DATABASE " + DATABASE + " OWNER " + USER + ";\n");
    }

    private void startServer() throws IOException, InterruptedException {
        runAsServerUser(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("postgres.log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200", "start"), null);
        running = true;
    }

    /** Stops the server as an outage does (immediate: open sessions break), keeping the cluster for {@link #restart}. */
    void stop() throws IOException, InterruptedException {
        runAsServerUser(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w",
                "stop"), null);
        running = false;
    }

    /** Starts the server stopped by {@link #stop} again, on the same port, with the same data. */
    void restart() throws IOException, InterruptedException {
        startServer();
    }

    int port() {
        return port;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    String user() {
        return USER;
    }

    /** The generated password of {@link #USER}: for a password file or a context.xml, never for a log. */
    String password() {
        return password;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, password);
    }

    /** Runs a query as {@link #USER}; each row as its column values ({@code getObject}), in order. */
    List<List<Object>> query(String sql, Object... parameters) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                List<List<Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>(columns);
                    for (int i = 1; i <= columns; i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    /** The server's log, for a failure message. */
    String log() throws IOException {
        Path log = dir.resolve("postgres.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Stops the server (fast shutdown: open sessions are ended) and deletes the cluster. */
    @Override
    public void close() throws IOException, InterruptedException {
        Path data = dir.resolve("data");
        if (running || Files.exists(data.resolve("postmaster.pid"))) {
            try {
                runAsServerUser(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "30", "stop"), null);
            } catch (IOException | RuntimeException e) {
                runAsServerUser(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop"), null);
            }
            running = false;
        }
        Scratch.deleteTree(dir);
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private void runAsServerUser(List<String> command, String stdin) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asRoot()) {
            full.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
        }
        full.addAll(command);
        run(full, stdin, true);
    }

    private void run(List<String> command, String stdin, boolean inDir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (inDir) {
            pb.directory(dir.toFile()); // a working directory the server's user can enter
        }
        pb.environment().keySet().removeIf(k -> k.startsWith("PG")); // nothing from the caller's environment
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(command.size() - 1) + " did not finish: " + out);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + out);
        }
    }
}

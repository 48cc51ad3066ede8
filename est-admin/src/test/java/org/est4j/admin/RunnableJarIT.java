package org.est4j.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code target/est4j-admin.jar} as an operator runs it ({@code java -jar}, nothing on the class path), in
 * the integration-test phase after the shade plugin made it. Its environment names a decoy WildFly and Tomcat in
 * {@code JBOSS_HOME}, {@code CATALINA_HOME} and {@code CATALINA_BASE}, as an administrator's shell does: the tool
 * must leave them alone, byte for byte.
 */
class RunnableJarIT {

    private static final Path JAR = Path.of(System.getProperty("est.admin.jar", "target/est4j-admin.jar"));

    @TempDir
    Path dir;

    private record Result(int status, String out, String err) {
    }

    /** {@code java [jvmOptions] -jar est4j-admin.jar args}, with the decoy environment and {@code env} on top. */
    private Result run(Path decoy, Map<String, String> env, List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("EST_HOME");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().put("JBOSS_HOME", decoy.toString());
        pb.environment().put("CATALINA_HOME", decoy.toString());
        pb.environment().put("CATALINA_BASE", decoy.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "est4j-admin did not finish");
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** A WildFly and a Tomcat as far as their configuration goes: what a container-touching build step would change. */
    static Path decoy(Path at) throws IOException {
        Files.createDirectories(at.resolve("standalone/configuration"));
        Files.createDirectories(at.resolve("conf"));
        Files.writeString(at.resolve("standalone/configuration/standalone.xml"),
                "<?xml version=\"1.0\"?>\n<server xmlns=\"urn:jboss:domain:20.0\"><!-- decoy: est4j must not touch --></server>\n");
        Files.writeString(at.resolve("conf/server.xml"), "<Server port=\"-1\"><!-- decoy: est4j must not touch --></Server>\n");
        return at;
    }

    /** Every file and directory under {@code root} with its content (a directory's content: empty). */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.toList()) {
                all.put(root.relativize(p).toString() + (Files.isDirectory(p) ? "/" : ""),
                        Files.isDirectory(p) ? "" : Arrays.toString(Files.readAllBytes(p)));
            }
        }
        return all;
    }

    @Test
    void initPreparesTheDefaultHomeAndLeavesTheContainersOfTheEnvironmentAlone() throws Exception {
        Path decoy = decoy(dir.resolve("decoy"));
        Map<String, String> before = snapshot(decoy);
        Path user = dir.resolve("user");

        Result r = run(decoy, Map.of(), List.of("-Duser.home=" + user), "init");
        assertEquals(0, r.status(), r.err());
        Path home = user.resolve(".est4j");
        assertTrue(r.out().startsWith("est4j data directory:       " + home + "\n"), r.out());
        assertTrue(Files.isRegularFile(home.resolve("wildfly-tls.cli")) && Files.isRegularFile(home.resolve("tls-server.p12")));
        // EstHome's notices: one line each on standard error
        assertTrue(r.err().contains("est4j created local CA 'default' (EC-P256): " + home.resolve("ca/default") + "\n"), r.err());

        Path fromEnv = dir.resolve("from-env");
        r = run(decoy, Map.of("EST_HOME", fromEnv.toString()), List.of("-Duser.home=" + user), "init");
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.isRegularFile(fromEnv.resolve("ca.pem")), "EST_HOME names the directory");

        assertEquals(before, snapshot(decoy), "the decoy WildFly/Tomcat changed");
    }

    @Test
    void theJarRunsAlone() throws Exception {
        Path decoy = decoy(dir.resolve("decoy"));
        Result help = run(decoy, Map.of(), List.of(), "--help");
        assertEquals(0, help.status(), help.err());
        assertTrue(help.out().startsWith("Usage: est4j-admin [-hV] [--home=DIR] COMMAND"), help.out());
        Result version = run(decoy, Map.of(), List.of(), "--version");
        assertTrue(version.out().matches("est4j-admin \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), version.out());
        Result usage = run(decoy, Map.of(), List.of(), "revoke");
        assertEquals(2, usage.status());
        assertTrue(usage.err().startsWith("Missing required parameter: 'SERIAL'"), usage.err());
        assertEquals("", usage.out());
    }

    @Test
    void theJdbcStoreNeedsNothingOnTheClassPath() throws Exception {
        Path decoy = decoy(dir.resolve("decoy"));
        Path home = dir.resolve("home");
        assertEquals(0, run(decoy, Map.of(), List.of(), "init", "--home", home.toString()).status());
        Files.writeString(home.resolve("db-password"), "not-used\n");
        // a port nothing listens on: the driver inside the jar gets as far as connecting
        Files.writeString(home.resolve("est4j.properties"), "store = jdbc\nstore.jdbc-url = jdbc:postgresql://127.0.0.1:1/est4j\n"
                + "store.jdbc-user = est4j\nstore.jdbc-password-file = db-password\n", java.nio.file.StandardOpenOption.APPEND);
        Result r = run(decoy, Map.of(), List.of(), "list", "--home", home.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().startsWith("est4j-admin: ") && r.err().contains("Connection to 127.0.0.1:1 refused"), r.err());
        assertFalse(r.err().contains("No suitable driver"), r.err());
        assertFalse(r.err().contains("not-used"), "the password is never shown");
        assertEquals("", r.out());
    }
}

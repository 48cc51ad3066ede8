package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The build step that writes into a WildFly (execution {@code wildfly-tls} of integration-tests/pom.xml, which runs
 * {@code src/test/resources/wildfly-offline-cli.sh}) run as a WildFly user's shell would run it: {@code JBOSS_HOME},
 * {@code CATALINA_HOME} and {@code CATALINA_BASE} exported, naming a decoy installation. The decoy is a working WildFly
 * (the build's distribution, its configuration copied), so a step that honoured {@code JBOSS_HOME} would really change
 * it; the test shows first that jboss-cli.sh on its own does, then that the build's step leaves the decoy byte for
 * byte as it was and writes into the WildFly it is given.
 */
class WildflyCliDecoyTest {

    private static final Path TARGET = Path.of(System.getProperty("basedir", ".")).resolve("target");
    private static final Path SCRIPT = Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/wildfly-offline-cli.sh");
    private static final Path DIR = TARGET.resolve("wildfly-decoy");
    /** A management operation that leaves a mark in standalone.xml, in place of est4j's Elytron commands. */
    private static final String MARK = "est4j-decoy-test";

    private static Path wildfly;
    private static Path commands;

    @BeforeAll
    static void commands() throws IOException {
        wildfly = Path.of(System.getProperty("est.it.wildfly.home"));
        Scratch.deleteTree(DIR);
        commands = Files.createDirectories(DIR.resolve("est-home"));
        Files.writeString(commands.resolve("wildfly-tls.cli"), "/system-property=" + MARK + ":add(value=applied)\n");
    }

    /**
     * A WildFly of its own, cheap to make: the distribution's bin, modules and jboss-modules.jar linked, its
     * standalone/configuration copied; and a Tomcat's conf/server.xml.
     */
    private static Path installation(String name) throws IOException {
        Path home = Files.createDirectories(DIR.resolve(name));
        for (String shared : List.of("bin", "modules", "jboss-modules.jar")) {
            Files.createSymbolicLink(home.resolve(shared), wildfly.resolve(shared).toAbsolutePath());
        }
        Path configuration = Files.createDirectories(home.resolve("standalone/configuration"));
        try (Stream<Path> files = Files.list(wildfly.resolve("standalone/configuration"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, configuration.resolve(f.getFileName()));
            }
        }
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/server.xml"), "<Server port=\"-1\"><!-- decoy: est4j must not touch --></Server>\n");
        return home;
    }

    private static int run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(DIR.resolve("cli.log").toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "jboss-cli did not finish");
        return p.exitValue();
    }

    private static Map<String, String> decoyEnvironment(Path decoy) {
        return Map.of("JBOSS_HOME", decoy.toString(), "CATALINA_HOME", decoy.toString(), "CATALINA_BASE", decoy.toString());
    }

    private static String standaloneXml(Path home) throws IOException {
        return Files.readString(home.resolve("standalone/configuration/standalone.xml"), StandardCharsets.UTF_8);
    }

    @Test
    void jbossCliOnItsOwnWritesIntoTheWildflyThatJbossHomeNames() throws Exception {
        Path server = installation("server-a");
        Path decoy = installation("decoy-a");
        String before = standaloneXml(decoy);
        Files.writeString(server.resolve("est4j-offline.cli"), "embed-server --std-out=discard\n"
                + Files.readString(commands.resolve("wildfly-tls.cli")) + "stop-embedded-server\n");

        // what the build ran before: the server's own jboss-cli.sh, the caller's environment
        assertEquals(0, run(decoyEnvironment(decoy), "bash", server.resolve("bin/jboss-cli.sh").toString(),
                "--file=" + server.resolve("est4j-offline.cli")), "see " + DIR.resolve("cli.log"));
        assertNotEquals(before, standaloneXml(decoy), "the decoy is a WildFly jboss-cli.sh writes into");
        assertTrue(standaloneXml(decoy).contains(MARK));
        assertFalse(standaloneXml(server).contains(MARK), "and the WildFly it was started from got nothing");
    }

    @Test
    void theBuildsStepLeavesTheDecoyAloneAndWritesIntoItsOwnWildfly() throws Exception {
        Path server = installation("server-b");
        Path decoy = installation("decoy-b");
        Map<String, String> before = snapshot(decoy);

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assertEquals(0, run(decoyEnvironment(decoy), "bash", SCRIPT.toString(), server.toString(), commands.toString(), java.toString()),
                "see " + DIR.resolve("cli.log"));

        assertTrue(standaloneXml(server).contains("<property name=\"" + MARK + "\" value=\"applied\"/>"), standaloneXml(server));
        assertEquals(before, snapshot(decoy), "the decoy WildFly/Tomcat changed");
    }

    /** Every entry under {@code root}, links not followed, with its content (a link: its target; a directory: nothing). */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.toList()) {
                String content = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
                        : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : Arrays.toString(Files.readAllBytes(p));
                all.put(root.relativize(p).toString(), content);
            }
        }
        return all;
    }
}

package org.est4j.war;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * SoftHSM2 for the tests that need a real PKCS#11 token: an empty token directory of the test JVM's own. SoftHSM reads
 * its configuration once per process, so each test class that uses it runs in a surefire execution that sets
 * {@code SOFTHSM2_CONF} to a file of its own.
 */
public final class SoftHsmTokens {

    /** Debian's softhsm2 package. */
    public static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");

    private SoftHsmTokens() {
    }

    /**
     * Skips the test unless SoftHSM2 is installed and {@code SOFTHSM2_CONF} is set, then empties the token directory
     * beside that file and points the configuration at it: no token of an earlier run is left.
     *
     * @param execution the surefire execution that sets {@code SOFTHSM2_CONF}, for the skip message
     */
    public static void freshTokenDirectory(String execution) throws IOException {
        assumeTrue(Files.isRegularFile(LIBRARY), "SoftHSM2 is not installed (" + LIBRARY + " is missing): apt-get install softhsm2");
        assumeTrue(onPath("softhsm2-util"), "SoftHSM2 is not installed (softhsm2-util is not on the PATH): apt-get install softhsm2");
        String conf = System.getenv("SOFTHSM2_CONF");
        assumeTrue(conf != null, "SOFTHSM2_CONF is not set: run through Maven (" + execution + " sets it)");
        Path confFile = Path.of(conf);
        Path tokens = confFile.resolveSibling("tokens");
        if (Files.exists(tokens)) {
            try (Stream<Path> all = Files.walk(tokens)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(tokens);
        Files.writeString(confFile, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    }

    /** Whether {@code command} is an executable on the PATH. */
    public static boolean onPath(String command) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, command)));
    }
}

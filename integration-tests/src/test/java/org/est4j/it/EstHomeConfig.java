package org.est4j.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test class's own est4j.properties lines: appended before its deployment (the WAR reads the file at start)
 * and taken back afterwards, so that classes sharing the data directory do not see each other's settings.
 */
final class EstHomeConfig {

    private static String original;

    private EstHomeConfig() {
    }

    /** Appends {@code lines} under a comment naming {@code owner}; call from the {@code @Deployment} method. */
    static void append(String owner, String lines) {
        Path file = file();
        try {
            original = Files.readString(file, StandardCharsets.UTF_8);
            Files.writeString(file, original + "\n# written by " + owner + "\n" + lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts the file back as it was; call from an {@code @AfterAll} method. */
    static void restore() throws IOException {
        if (original != null) {
            Files.writeString(file(), original, StandardCharsets.UTF_8);
            original = null;
        }
    }

    private static Path file() {
        return Path.of(System.getProperty("est.home"), "est4j.properties");
    }
}

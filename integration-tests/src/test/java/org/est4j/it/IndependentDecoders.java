package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads what est4j sends with something other than BouncyCastle, which wrote it: {@code openssl}, and Debian's
 * pyasn1-modules through {@code src/test/resources/rfc8295-decode.py} (which prints a JSON summary).
 */
final class IndependentDecoders {

    static final ObjectMapper JSON = new ObjectMapper();

    private IndependentDecoders() {
    }

    /** {@code rfc8295-decode.py <kind>} on {@code data}: {@code pal-xml}, {@code pal-json} or {@code signed}. */
    static JsonNode pyasn1(String kind, byte[] data) throws Exception {
        Path in = Files.createTempFile("est4j-" + kind, ".bin");
        try {
            Files.write(in, data);
            Path script = Path.of(IndependentDecoders.class.getResource("/rfc8295-decode.py").toURI());
            return JSON.readTree(run("/usr/bin/python3", script.toString(), kind, in.toString()));
        } finally {
            Files.deleteIfExists(in);
        }
    }

    /** {@code openssl <args> -in <file holding der>}: what it prints. */
    static String openssl(byte[] der, String... args) throws Exception {
        Path in = Files.createTempFile("est4j-openssl", ".der");
        try {
            Files.write(in, der);
            return run(Stream.concat(Stream.of("openssl"), Stream.concat(Stream.of(args), Stream.of("-in", in.toString())))
                    .toArray(String[]::new));
        } finally {
            Files.deleteIfExists(in);
        }
    }

    /** Runs a command that must succeed; its output (stdout and stderr). */
    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), () -> String.join(" ", command) + " did not end");
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed: " + out);
        return out;
    }
}

package org.est4j.jaxrs.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.est4j.jaxrs.EstProtocolException;

/**
 * What every fuzz target of this package shares: the fuzzing time, the contracts of the failures
 * est4j documents, and the decoding of fuzzer bytes into header text.
 */
final class Fuzzing {

    /**
     * How long one target fuzzes when JAZZER_FUZZ is set without the {@code fuzz} profile. The profile
     * overrides it with {@code -Dfuzz.seconds} (libFuzzer's -max_total_time, see FUZZING.md).
     */
    static final String MAX_DURATION = "60s";

    /** Kept referenced: java.util.logging holds loggers weakly, and a collected one would lose its level. */
    private static final Logger EST4J_LOG = Logger.getLogger("org.est4j");

    static {
        // FullCmcProcessor logs every refused message at INFO: millions of lines while fuzzing.
        EST4J_LOG.setLevel(Level.WARNING);
    }

    private Fuzzing() {
    }

    /** Loads this class (and so silences the INFO logs) from a fuzz test's static initializer. */
    static void init() {
        // the static initializer does the work
    }

    /**
     * Header text as a servlet container may hand it over: decoded as UTF-8 (malformed octets become
     * U+FFFD) and as ISO-8859-1 (Tomcat's decoding of header octets), so both the full Unicode range
     * and every octet reach the parser.
     */
    static List<String> decodings(byte[] input) {
        String utf8 = new String(input, StandardCharsets.UTF_8);
        String latin1 = new String(input, StandardCharsets.ISO_8859_1);
        return utf8.equals(latin1) ? List.of(utf8) : List.of(utf8, latin1);
    }

    /**
     * The contract of a refused request body: HTTP 400, a one-line reason written for the client (it
     * becomes the plain-text body), no extra headers, not the empty-bodied 401 challenge.
     */
    /**
     * A request body after the base64 transfer decoding, as EnrollmentHandler decodes it; null when the decoding
     * refused it, which must have been the documented 400.
     */
    static byte[] transferDecoded(byte[] body) {
        try {
            return org.est4j.jaxrs.codec.Base64Transfer.decode(body);
        } catch (EstProtocolException e) {
            assertBadRequest(e);
            return null;
        }
    }

    static void assertBadRequest(EstProtocolException e) {
        assertEquals(400, e.status(), () -> "a malformed request must be a 400, got " + e.status() + ": " + e.getMessage());
        assertOneLine("the 400 reason", e.getMessage());
        assertTrue(e.headers().isEmpty(), () -> "a 400 carries no headers: " + e.headers());
        assertFalse(e.emptyBody(), "a 400 carries its reason as the body");
    }

    /** A non-empty single line of text without control characters. */
    static void assertOneLine(String what, String text) {
        assertNotNull(text, () -> what + " is null");
        assertFalse(text.isBlank(), () -> what + " is blank");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                fail(what + " contains the control character U+" + String.format("%04X", (int) c) + " at " + i + ": " + text);
            }
        }
    }
}

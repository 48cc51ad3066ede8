package org.est4j.jaxrs.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.est4j.jaxrs.auth.BasicCredentials;

/**
 * HTTP Basic (auth/BasicCredentials.parse). Documented outcomes: credentials, Optional.empty when the
 * header uses another scheme, or {@link BasicCredentials.MalformedException}; never an unchecked
 * exception.
 *
 * <p>The caller, auth/EstAuthenticator, picks the scheme with {@link BasicCredentials#scheme} and, for
 * "basic", calls {@code parse(authorization).orElseThrow()}: so parse must not answer
 * empty for a header EstAuthenticator routes to Basic, or the request fails with
 * NoSuchElementException (a 500).
 */
class BasicCredentialsFuzzTest {

    static {
        Fuzzing.init();
    }

    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void parse(byte[] input) throws Exception {
        assertEquals(Optional.empty(), BasicCredentials.parse(null), "no header, no credentials");
        for (String header : Fuzzing.decodings(input)) {
            check(header);
        }
    }

    private static void check(String header) {
        String routedScheme = BasicCredentials.scheme(header); // EstAuthenticator's choice
        Optional<BasicCredentials> parsed;
        try {
            parsed = BasicCredentials.parse(header);
        } catch (BasicCredentials.MalformedException e) {
            assertNotNull(e.getMessage(), "MalformedException message");
            return;
        }
        assertNotNull(parsed, "parse returns an Optional");
        if (parsed.isEmpty()) {
            assertFalse(routedScheme.equals("basic"),
                    "EstAuthenticator routes this header to HTTP Basic, but BasicCredentials.parse says it is another scheme "
                            + "(EstAuthenticator then calls orElseThrow(): NoSuchElementException)");
            return;
        }
        BasicCredentials c = parsed.get();
        assertNotNull(c.username(), "user name");
        assertNotNull(c.password(), "password");
        assertFalse(c.username().indexOf(':') >= 0, "the user name ends at the first colon (RFC 7617)");
        assertTrue(routedScheme.equals("basic"), "credentials from a header EstAuthenticator would not route to Basic");
        c.wipe();
        for (char ch : c.password()) {
            assertEquals('\0', ch, "wipe() overwrites the password");
        }
    }
}

package org.est4j.jaxrs.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.est4j.jaxrs.auth.DigestAuthentication;
import org.est4j.jaxrs.auth.DigestAuthentication.Algorithm;

/**
 * HTTP Digest (auth/DigestAuthentication): the {@code Authorization} parameter parser and
 * {@link DigestAuthentication#verify}, called as auth/EstAuthenticator calls them. Documented outcomes:
 * {@code parameters} returns a map or null, {@code verify} an Outcome (authenticated, or failed with a
 * reason); never an unchecked exception. An Outcome that authenticates must name the one user that
 * has credentials, and the same header must not authenticate twice (nc replay).
 */
class DigestFuzzTest {

    static {
        Fuzzing.init();
    }

    static final String REALM = "est4j";
    static final byte[] NONCE_KEY = "fuzzing-nonce-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final String USER = "device";
    static final String PASSWORD = "pin-4711";
    static final String METHOD = "POST";
    static final String URI = "/.well-known/est/simpleenroll";
    /** Seeds' nonces are issued at this instant; the server's clock stands one minute later, inside the nonce lifetime. */
    static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final Clock NOW = Clock.fixed(ISSUED.plusSeconds(60), ZoneOffset.UTC);

    /** DigestAuthentication.parameters is package-private in auth: the fuzz package calls it reflectively. */
    private static final Method PARAMETERS;

    static {
        try {
            PARAMETERS = DigestAuthentication.class.getDeclaredMethod("parameters", String.class);
            PARAMETERS.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A server whose only user is {@link #USER}, with the clock at {@code clock}. */
    static DigestAuthentication server(Algorithm algorithm, Clock clock) {
        DigestAuthentication.DigestCredentials credentials = (user, a) ->
                user.equals(USER) ? Optional.of(a.hash(USER + ":" + REALM + ":" + PASSWORD)) : Optional.empty();
        return new DigestAuthentication(REALM, algorithm, NONCE_KEY, LIFETIME, clock, credentials);
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> parse(String text) {
        try {
            return (Map<String, String>) PARAMETERS.invoke(null, text);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // the parser's own exception: the finding
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The auth-param parser on arbitrary text: a map of lower-case, stripped names to stripped values, or null. */
    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void parameters(byte[] input) {
        for (String text : Fuzzing.decodings(input)) {
            Map<String, String> p = parse(text);
            if (p == null) {
                continue;
            }
            for (Map.Entry<String, String> e : p.entrySet()) {
                String name = e.getKey();
                assertNotNull(name, "parameter name");
                assertFalse(name.isEmpty(), "an empty parameter name must make the header malformed");
                assertEquals(name.strip().toLowerCase(Locale.ROOT), name, "parameter names are stripped and lower-case");
                assertNotNull(e.getValue(), () -> "value of " + name);
                assertEquals(e.getValue().strip(), e.getValue(), () -> "value of " + name + " is stripped");
            }
        }
    }

    /**
     * {@code verify} as EstAuthenticator calls it: with the stripped header, whose first token is
     * "digest" in any case (input that does not start so gets "Digest " in front), for SHA-256 and for
     * MD5 servers.
     */
    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void verify(byte[] input) {
        for (String text : Fuzzing.decodings(input)) {
            String authorization = text.strip();
            if (!authorization.split("\\s", 2)[0].toLowerCase(Locale.ROOT).equals("digest")) {
                authorization = ("Digest " + authorization).strip();
            }
            // EstAuthenticator reads the claimed user name first, for its failure throttle
            parse(authorization.substring("Digest".length()));
            for (Algorithm algorithm : Algorithm.values()) {
                DigestAuthentication server = server(algorithm, NOW);
                DigestAuthentication.Outcome outcome = server.verify(authorization, METHOD, URI);
                assertNotNull(outcome, "verify returns an Outcome");
                assertNotNull(outcome.username(), "Outcome.username");
                if (outcome.authenticated()) {
                    assertEquals(Optional.of(USER), outcome.username(), "only the user with credentials can authenticate");
                    assertNull(outcome.failure(), "an authenticated Outcome has no failure");
                    assertFalse(outcome.stale(), "an authenticated Outcome is not stale");
                    DigestAuthentication.Outcome replay = server.verify(authorization, METHOD, URI);
                    assertFalse(replay.authenticated(), "the same Digest header (same nonce and nc) authenticated twice");
                } else {
                    Fuzzing.assertOneLine("the Digest failure", outcome.failure());
                    assertTrue(outcome.username().isEmpty(), "a failed Outcome names no user");
                }
            }
        }
    }
}

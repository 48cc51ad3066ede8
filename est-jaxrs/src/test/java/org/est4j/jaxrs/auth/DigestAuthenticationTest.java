package org.est4j.jaxrs.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** RFC 7616 Digest: the RFC's own vectors, stateless nonces across instances, stale nonces and nc replay. */
class DigestAuthenticationTest {

    private static final String REALM = "est4j";
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private static final String URI = "/.well-known/est/simpleenroll";

    /** RFC 7616 section 3.9.1: Mufasa / "Circle of Life", both algorithms. */
    @Test
    void computesTheResponsesOfRfc7616sExample() {
        String nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
        String cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        for (DigestAuthentication.Algorithm a : DigestAuthentication.Algorithm.values()) {
            String ha1 = a.hash("Mufasa:http-auth@example.org:Circle of Life");
            String expected = a == DigestAuthentication.Algorithm.MD5 ? "8ca523f5e9506fed4657c9700eebdbec"
                    : "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1";
            assertEquals(expected, DigestAuthentication.response(a, ha1, nonce, "00000001", cnonce, "GET", "/dir/index.html"));
        }
    }

    private final TestClock clock = new TestClock("2026-11-24T12:00:00Z");
    private final DigestAuthentication.DigestCredentials store = (user, alg) ->
            user.equals("device") ? Optional.of(alg.hash("device:" + REALM + ":pin-4711")) : Optional.empty();

    private DigestAuthentication instance() {
        return new DigestAuthentication(REALM, DigestAuthentication.Algorithm.SHA_256, KEY, Duration.ofMinutes(5), clock, store);
    }

    private static Map<String, String> challengeParams(String challenge) {
        return DigestAuthentication.parameters(challenge.substring("Digest".length()));
    }

    private static String authorization(Map<String, String> challenge, String user, String password, String nc, String uri) {
        DigestAuthentication.Algorithm a = DigestAuthentication.Algorithm.SHA_256;
        String ha1 = a.hash(user + ":" + REALM + ":" + password);
        String response = DigestAuthentication.response(a, ha1, challenge.get("nonce"), nc, "c1", "POST", uri);
        return "Digest username=\"" + user + "\", realm=\"" + REALM + "\", nonce=\"" + challenge.get("nonce") + "\", uri=\"" + uri
                + "\", algorithm=SHA-256, qop=auth, nc=" + nc + ", cnonce=\"c1\", response=\"" + response + "\", opaque=\""
                + challenge.get("opaque") + "\"";
    }

    @Test
    void aNonceOfOneInstanceIsAcceptedByAnotherWithTheSameKey() {
        Map<String, String> challenge = challengeParams(instance().challenge(false));
        assertEquals("auth", challenge.get("qop"));
        assertEquals("SHA-256", challenge.get("algorithm"));
        DigestAuthentication.Outcome outcome = instance().verify(authorization(challenge, "device", "pin-4711", "00000001", URI), "POST", URI);
        assertEquals(Optional.of("device"), outcome.username(), outcome::toString);
    }

    @Test
    void replayedNonceCountsWrongPasswordsAndForeignNoncesFail() {
        DigestAuthentication digest = instance();
        Map<String, String> challenge = challengeParams(digest.challenge(false));
        assertTrue(digest.verify(authorization(challenge, "device", "pin-4711", "00000001", URI), "POST", URI).authenticated());
        DigestAuthentication.Outcome replay = digest.verify(authorization(challenge, "device", "pin-4711", "00000001", URI), "POST", URI);
        assertTrue(replay.failure().contains("replayed"), replay::toString);
        assertTrue(digest.verify(authorization(challenge, "device", "pin-4711", "00000002", URI), "POST", URI).authenticated(),
                "a growing nc is fine");
        assertEquals("wrong user name or password",
                digest.verify(authorization(challenge, "device", "guess", "00000003", URI), "POST", URI).failure());
        assertEquals("wrong user name or password",
                digest.verify(authorization(challenge, "nobody", "pin-4711", "00000003", URI), "POST", URI).failure());
        assertTrue(digest.verify(authorization(challenge, "device", "pin-4711", "00000004", URI), "POST", "/other").failure()
                .contains("uri"));

        DigestAuthentication otherKey = new DigestAuthentication(REALM, DigestAuthentication.Algorithm.SHA_256,
                "another key, another deployment".getBytes(), Duration.ofMinutes(5), clock, store);
        String foreign = authorization(challenge, "device", "pin-4711", "00000005", URI);
        assertTrue(otherKey.verify(foreign, "POST", URI).failure().contains("opaque"), "another deployment's opaque");
        assertTrue(otherKey.verify(foreign.replaceAll(", opaque=\"[^\"]*\"", ""), "POST", URI).failure()
                .contains("not issued by this server"), "and its nonce");
    }

    @Test
    void anExpiredButAuthenticNonceIsStale() {
        DigestAuthentication digest = instance();
        Map<String, String> challenge = challengeParams(digest.challenge(false));
        clock.advance(Duration.ofMinutes(6));
        DigestAuthentication.Outcome outcome = digest.verify(authorization(challenge, "device", "pin-4711", "00000001", URI), "POST", URI);
        assertTrue(outcome.stale());
        assertFalse(outcome.authenticated());
        Matcher stale = Pattern.compile("stale=\"true\"").matcher(digest.challenge(true));
        assertTrue(stale.find());
    }

    @Test
    void throttleRefusesAfterRepeatedFailuresAndForgetsOnSuccess() {
        FailureThrottle throttle = new FailureThrottle(3, 3, Duration.ofSeconds(60), clock, 1000);
        throttle.failed("alice", "192.0.2.1");
        throttle.failed("alice", "192.0.2.1");
        assertTrue(throttle.blocked("alice", "192.0.2.1").isEmpty(), "two failures are free");
        throttle.failed("alice", "192.0.2.1");
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.blocked("alice", "192.0.2.9"), "the user is slowed down everywhere");
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.blocked("bob", "192.0.2.1"), "and the address for everyone");
        for (int i = 0; i < 20; i++) {
            throttle.failed("alice", "192.0.2.1");
        }
        assertEquals(Optional.of(Duration.ofSeconds(60)), throttle.blocked("alice", "192.0.2.1"), "bounded");
        throttle.succeeded("alice", "192.0.2.1");
        assertTrue(throttle.blocked("alice", "192.0.2.1").isEmpty());
    }
}

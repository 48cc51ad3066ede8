package org.est4j.jaxrs.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The store behind the cache is consulted exactly when a password has not been proved recently. */
class RecentlyVerifiedPasswordsTest {

    /** Accepts "right" for every known user and records every call. */
    private static final class CountingStore implements CredentialStore {
        final List<String> calls = new ArrayList<>();

        @Override
        public boolean verify(String username, char[] password) {
            calls.add(username + ":" + new String(password));
            return !username.equals("nobody") && new String(password).equals("right");
        }

        @Override
        public boolean knows(String username) {
            return !username.equals("nobody");
        }
    }

    private final CountingStore store = new CountingStore();
    private final TestClock clock = new TestClock("2026-12-01T10:00:00Z");
    private final RecentlyVerifiedPasswords cache = new RecentlyVerifiedPasswords(store, Duration.ofMinutes(5), clock);

    @Test
    void aProvedPasswordIsRecognisedWithoutTheStoreUntilItsLifetimeEnds() {
        assertTrue(cache.verify("est", "right".toCharArray()));
        assertTrue(cache.verify("est", "right".toCharArray()));
        assertTrue(cache.verify("est", "right".toCharArray()));
        assertEquals(1, store.calls.size(), "one Argon2id computation for three requests");
        clock.advance(Duration.ofMinutes(5));
        assertTrue(cache.verify("est", "right".toCharArray()));
        assertEquals(2, store.calls.size(), "expired: checked again");
    }

    @Test
    void wrongPasswordsAlwaysReachTheStoreAndAreNeverRemembered() {
        assertTrue(cache.verify("est", "right".toCharArray()));
        assertFalse(cache.verify("est", "wrong".toCharArray()));
        assertFalse(cache.verify("est", "wrong".toCharArray()));
        assertFalse(cache.verify("est", "righ".toCharArray()));
        assertEquals(4, store.calls.size(), "every guess pays the full cost");
        assertFalse(cache.verify("nobody", "right".toCharArray()));
        assertTrue(cache.verify("est", "right".toCharArray()));
        assertEquals(5, store.calls.size(), "the proved password is still recognised after failures");
    }

    @Test
    void anotherUsersProofDoesNotCount() {
        assertTrue(cache.verify("alice", "right".toCharArray()));
        assertTrue(cache.verify("bob", "right".toCharArray()));
        assertEquals(List.of("alice:right", "bob:right"), store.calls);
    }

    @Test
    void aZeroLifetimeTurnsTheCacheOff() {
        RecentlyVerifiedPasswords off = new RecentlyVerifiedPasswords(store, Duration.ZERO, clock);
        for (int i = 1; i <= 2; i++) {
            assertTrue(off.verify("est", "right".toCharArray()));
            assertEquals(i, store.calls.size());
        }
    }
}

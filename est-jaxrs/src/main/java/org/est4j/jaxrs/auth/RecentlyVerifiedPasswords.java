package org.est4j.jaxrs.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A {@link CredentialStore} that remembers, for a short time, which password each user last proved,
 * so that a device enrolling again, or a fleet sharing one bootstrap account, costs one Argon2id
 * computation per user and period instead of one per request.
 *
 * <p>Why this is safe to do: Argon2id protects the <em>stored</em> hashes against offline guessing if
 * {@code users.properties} leaks. What this class keeps is an HMAC-SHA-256 of the password under a key
 * that is generated at start, lives only in this process's memory and is never written anywhere; the
 * process sees the clear password of every request anyway. Only a successful check is remembered,
 * one entry per user (a new password replaces the old entry), so a guess never becomes cheaper: a
 * wrong password always pays the full Argon2id cost, and the failure throttle still counts it.
 *
 * <p>Why it matters: at OWASP's Argon2id cost one check takes about 50 ms of a core, which alone would
 * cap HTTP Basic enrollment at 20 per second per core.
 */
public final class RecentlyVerifiedPasswords implements CredentialStore {

    private record Proof(byte[] tag, long expiresAtMillis) {
    }

    private final CredentialStore store;
    private final long lifetimeMillis;
    private final Clock clock;
    private final SecretKeySpec key;
    private final ConcurrentHashMap<String, Proof> proofs = new ConcurrentHashMap<>();

    /**
     * @param store    the store that decides (Argon2id)
     * @param lifetime how long a verified password is recognised; zero turns the cache off
     */
    public RecentlyVerifiedPasswords(CredentialStore store, Duration lifetime, Clock clock) {
        this.store = store;
        this.lifetimeMillis = lifetime.toMillis();
        this.clock = clock;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    @Override
    public boolean verify(String username, char[] password) {
        if (lifetimeMillis <= 0) {
            return store.verify(username, password);
        }
        byte[] tag = tag(username, password);
        long now = clock.millis();
        Proof proof = proofs.get(username);
        if (proof != null && proof.expiresAtMillis() > now && MessageDigest.isEqual(proof.tag(), tag)) {
            return true;
        }
        if (!store.verify(username, password)) {
            return false;
        }
        proofs.put(username, new Proof(tag, now + lifetimeMillis));
        return true;
    }

    @Override
    public boolean knows(String username) {
        return store.knows(username);
    }

    private byte[] tag(String username, char[] password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(username.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            try {
                return mac.doFinal(bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
                if (encoded.hasArray()) {
                    Arrays.fill(encoded.array(), (byte) 0);
                }
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}

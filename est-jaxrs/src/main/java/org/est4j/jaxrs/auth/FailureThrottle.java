package org.est4j.jaxrs.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@code freeFailures} failed HTTP authentications of one user name
 * (or {@code freeFailuresPerAddress} from one address, a higher bound because many clients may share a
 * NAT or a proxy), further attempts are answered 429 with {@code Retry-After} until a delay has
 * passed, doubling with each further failure up to {@code maxDelay}. A success clears the user's and the
 * address's record.
 *
 * <p>Why refuse instead of sleeping: a sleeping request holds a container thread, so an attacker could
 * tie up the server with slow failures; a refusal costs nothing and bounds the guessing rate all the
 * same. Memory is bounded: past {@code maxEntries} records the expired ones are dropped, and if that is
 * not enough, all (an attacker flooding addresses gains a fresh start, never a locked-up server).
 */
public final class FailureThrottle {

    private record Failures(int count, long blockedUntil) {
    }

    private final int freeFailures;
    private final int freeFailuresPerAddress;
    private final Duration maxDelay;
    private final Clock clock;
    private final int maxEntries;
    private final Map<String, Failures> records = new ConcurrentHashMap<>();

    public FailureThrottle(int freeFailures, int freeFailuresPerAddress, Duration maxDelay, Clock clock, int maxEntries) {
        this.freeFailures = freeFailures;
        this.freeFailuresPerAddress = freeFailuresPerAddress;
        this.maxDelay = maxDelay;
        this.clock = clock;
        this.maxEntries = maxEntries;
    }

    /** No throttling. */
    public static FailureThrottle off() {
        return new FailureThrottle(Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ZERO, Clock.systemUTC(), 0);
    }

    /** How long the caller must still wait, if the user or the address is blocked now. */
    public Optional<Duration> blocked(String username, String address) {
        long now = clock.millis();
        long until = Math.max(until("user:" + username), until("addr:" + address));
        return until > now ? Optional.of(Duration.ofMillis(until - now)) : Optional.empty();
    }

    public void failed(String username, String address) {
        if (freeFailures == Integer.MAX_VALUE) {
            return;
        }
        if (records.size() >= maxEntries) {
            long now = clock.millis();
            records.values().removeIf(f -> f.blockedUntil() < now - maxDelay.toMillis());
            if (records.size() >= maxEntries) {
                records.clear();
            }
        }
        record("user:" + username, freeFailures);
        record("addr:" + address, freeFailuresPerAddress);
    }

    public void succeeded(String username, String address) {
        records.remove("user:" + username);
        records.remove("addr:" + address);
    }

    private void record(String key, int free) {
        long now = clock.millis();
        records.compute(key, (k, f) -> {
            int count = f == null ? 1 : f.count() + 1;
            long delay = 0;
            if (count >= free) {
                int doublings = Math.min(30, count - free);
                delay = Math.min(maxDelay.toMillis(), 1000L << doublings);
            }
            return new Failures(count, now + delay);
        });
    }

    private long until(String key) {
        Failures f = records.get(key);
        return f == null ? 0 : f.blockedUntil();
    }
}

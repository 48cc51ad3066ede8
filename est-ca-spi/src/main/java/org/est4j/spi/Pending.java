package org.est4j.spi;

import java.time.Duration;

/**
 * The request was accepted but needs more time (typically manual approval). est4j answers HTTP 202
 * with {@code Retry-After} set to {@code retryAfter} in whole seconds (at least 1).
 *
 * @param retryAfter when the client should try again
 */
public record Pending(Duration retryAfter) implements EnrollmentResult, ServerKeyGenResult {
    public Pending {
        if (retryAfter == null || retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must be a non-negative duration");
        }
    }

    /** {@code Retry-After} in seconds, rounded up, never less than one. */
    public long retryAfterSeconds() {
        long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}

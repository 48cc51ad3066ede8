package org.est4j.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * The CA cannot answer now (its database, HSM or upstream is down) but may later: HTTP 503, with
 * {@code Retry-After} when {@code retryAfter} is given.
 */
public class CaUnavailableException extends CaException {
    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    public CaUnavailableException(String message) {
        this(message, null, null);
    }

    public CaUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** When the client may try again, if the CA knows. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}

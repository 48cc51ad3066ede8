package org.est4j.jaxrs.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP authentication a deployment offers beyond its Basic user store.
 *
 * @param digest           HTTP Digest (RFC 7616), when configured
 * @param oneTimePasswords one-time passwords with the empty user name (RFC 7030 section 3.2.3)
 * @param throttle         how repeated failures are slowed down
 */
public record HttpAuthentication(Optional<DigestAuthentication> digest, OneTimePasswords oneTimePasswords, FailureThrottle throttle) {

    /** Basic only, no throttling. */
    public static final HttpAuthentication BASIC_ONLY = new HttpAuthentication(Optional.empty(), OneTimePasswords.NONE, FailureThrottle.off());

    public HttpAuthentication {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(oneTimePasswords, "oneTimePasswords");
        Objects.requireNonNull(throttle, "throttle");
    }
}

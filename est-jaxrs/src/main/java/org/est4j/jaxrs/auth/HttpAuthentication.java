package org.est4j.jaxrs.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP authentication a deployment offers beyond its Basic user store.
 *
 * @param digest           HTTP Digest (RFC 7616), when configured
 * @param oneTimePasswords one-time passwords with the empty user name (RFC 7030 section 3.2.3)
 * @param throttle         how repeated failures are slowed down
 * @param containerRealm   when present, HTTP Basic users are the servlet container's (its realm checks the
 *                         password); the value is the role a user needs, if any
 */
public record HttpAuthentication(Optional<DigestAuthentication> digest, OneTimePasswords oneTimePasswords, FailureThrottle throttle,
                                 Optional<ContainerRealm> containerRealm) {

    /** HTTP users from the container's realm, optionally only those in {@code role}. */
    public record ContainerRealm(Optional<String> role) {
    }

    /** Basic only, no throttling. */
    public static final HttpAuthentication BASIC_ONLY = new HttpAuthentication(Optional.empty(), OneTimePasswords.NONE, FailureThrottle.off(),
            Optional.empty());

    public HttpAuthentication {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(oneTimePasswords, "oneTimePasswords");
        Objects.requireNonNull(throttle, "throttle");
        Objects.requireNonNull(containerRealm, "containerRealm");
    }
}

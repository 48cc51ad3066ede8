package org.est4j.jaxrs.events;

import java.util.Optional;

/**
 * What happens on the EST port, for whoever counts or records it: the WAR's metrics and its audit trail.
 * The protocol layer calls these methods on the request's thread; an implementation must be quick and must
 * never throw (a failing listener must not fail an enrollment).
 *
 * <p>Every method has an empty default, and {@link #NONE} listens to nothing: callers check
 * {@code events != EstEvents.NONE} before building a {@link Decision}, so a deployment without listeners pays
 * for nothing.
 */
public interface EstEvents {

    /** Listens to nothing. */
    EstEvents NONE = new EstEvents() {
    };

    /** Which back end failed, for {@link #backendError}. */
    enum Backend {
        /** The CA: a 500 from its failure, or a 503 while it (or its key, or the store behind it) is unavailable. */
        CA,
        /** est4j's own store outside the CA (the one-time passwords, the pending-queue listing). */
        STORE
    }

    /**
     * An EST request answered.
     *
     * @param operation     the operation path segment ({@code simpleenroll}, {@code cacerts}...), or {@code other}
     * @param label         the CA label of the path, as the client sent it (a listener that uses it as a metric
     *                      dimension must bound it to the configured labels)
     * @param status        the HTTP status sent
     * @param durationNanos from the request's arrival at est4j to the reply
     */
    default void requestCompleted(String operation, Optional<String> label, int status, long durationNanos) {
    }

    /** A decision on a certificate: issued, renewed, refused, queued, approved, rejected or revoked. */
    default void decided(Decision decision) {
    }

    /**
     * Credentials that did not authenticate the client.
     *
     * @param scheme        {@code basic}, {@code digest}, {@code otp} (one-time password), {@code tls} (a client
     *                      certificate that does not validate or is revoked) or {@code other}
     * @param remoteAddress the immediate peer
     */
    default void authenticationFailed(String scheme, String remoteAddress) {
    }

    /** A client refused with 429 because of earlier failed authentications. */
    default void throttled(String remoteAddress) {
    }

    /** A back end failed a request (500) or was unavailable (503). */
    default void backendError(Backend backend, String operation) {
    }
}

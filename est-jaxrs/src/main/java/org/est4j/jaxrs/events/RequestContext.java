package org.est4j.jaxrs.events;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The request an event belongs to: an id that ties its audit records together, and where it came from. Set by
 * {@link RequestEventsFilter} for the thread that serves the request (JAX-RS resources of est4j are synchronous,
 * so the thread is the request's for its whole life).
 *
 * @param id            12 hex digits, random
 * @param startNanos    {@link System#nanoTime()} when the request reached est4j
 * @param peerAddress   the immediate peer's address: the client's, or the reverse proxy's when there is one
 * @param forwardedFor  the {@code X-Forwarded-For} header as received, when there is one: the address a proxy
 *                      says the client has. Client-controlled unless the proxy replaces it; recorded, never believed.
 */
public record RequestContext(String id, long startNanos, String peerAddress, Optional<String> forwardedFor) {

    private static final SecureRandom IDS = new SecureRandom();
    private static final ThreadLocal<RequestContext> CURRENT = new ThreadLocal<>();

    /** A new context with a fresh id. */
    public static RequestContext start(String peerAddress, String forwardedFor) {
        byte[] id = new byte[6];
        IDS.nextBytes(id);
        return new RequestContext(HexFormat.of().formatHex(id), System.nanoTime(), peerAddress == null ? "" : peerAddress,
                Optional.ofNullable(forwardedFor).filter(f -> !f.isBlank()));
    }

    /** The context of the request this thread serves, if any. */
    public static Optional<RequestContext> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Makes {@code context} this thread's until {@link #clear}. */
    static void set(RequestContext context) {
        CURRENT.set(context);
    }

    /** Forgets this thread's context (a pooled thread serves other requests next). */
    static void clear() {
        CURRENT.remove();
    }
}

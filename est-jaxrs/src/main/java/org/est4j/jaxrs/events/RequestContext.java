package org.est4j.jaxrs.events;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The request an event belongs to: an id that ties its audit records together, where it came from, and whether the
 * CA failed it. Set by {@link RequestEventsFilter} for the thread that serves the request (JAX-RS resources of est4j
 * are synchronous, so the thread is the request's for its whole life).
 */
public final class RequestContext {

    private static final SecureRandom IDS = new SecureRandom();
    private static final ThreadLocal<RequestContext> CURRENT = new ThreadLocal<>();

    private final String id;
    private final long startNanos;
    private final String peerAddress;
    private final Optional<String> forwardedFor;
    /** Only the request's own thread reads and writes it. */
    private boolean caFailed;

    private RequestContext(String id, long startNanos, String peerAddress, Optional<String> forwardedFor) {
        this.id = id;
        this.startNanos = startNanos;
        this.peerAddress = peerAddress;
        this.forwardedFor = forwardedFor;
    }

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

    /**
     * Marks the request this thread serves as failed by the CA (a 5xx of its making, or its unavailability), for
     * {@link RequestEventsFilter} to report once as an {@link EstEvents#backendError} of the request's operation.
     * Called where a CA failure becomes a reply, so every path (RFC 7030, RFC 8295, Full CMC) is counted alike.
     */
    public static void caFailed() {
        RequestContext context = CURRENT.get();
        if (context != null) {
            context.caFailed = true;
        }
    }

    /** 12 hex digits, random. */
    public String id() {
        return id;
    }

    /** {@link System#nanoTime()} when the request reached est4j. */
    public long startNanos() {
        return startNanos;
    }

    /** The immediate peer's address: the client's, or the reverse proxy's when there is one. */
    public String peerAddress() {
        return peerAddress;
    }

    /**
     * The {@code X-Forwarded-For} header as received, when there is one: the address a proxy says the client has.
     * Client-controlled unless the proxy replaces it; recorded, never believed.
     */
    public Optional<String> forwardedFor() {
        return forwardedFor;
    }

    /** Whether the CA failed this request ({@link #caFailed()}). */
    boolean wasCaFailure() {
        return caFailed;
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

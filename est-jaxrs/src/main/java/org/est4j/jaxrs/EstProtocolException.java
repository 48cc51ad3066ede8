package org.est4j.jaxrs;

import java.util.Map;

/**
 * A request that est4j refuses before the CA sees it: the HTTP status, the one-line reason sent as
 * the plain-text body, and any headers the status needs ({@code WWW-Authenticate} with 401).
 * {@link EstExceptionMapper} is the only place that turns it into a response.
 */
public final class EstProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Map<String, String> headers;
    private final boolean emptyBody;

    public EstProtocolException(int status, String reason) {
        this(status, reason, Map.of());
    }

    public EstProtocolException(int status, String reason, Map<String, String> headers) {
        this(status, reason, headers, false);
    }

    private EstProtocolException(int status, String reason, Map<String, String> headers, boolean emptyBody) {
        super(reason, null, false, false); // no stack trace: these are expected outcomes, not bugs
        this.status = status;
        this.headers = Map.copyOf(headers);
        this.emptyBody = emptyBody;
    }

    /**
     * The first leg of HTTP authentication: 401 with the challenge and an empty {@code text/plain} body. It
     * is not an error but an invitation to send credentials, and BouncyCastle's EST client (1.87) fails on
     * this 401 when it carries a body, because it closes the response without reading it (shown by the
     * integration test {@code ChallengeBodyTest}). 401s that refuse credentials the client did send keep their
     * one-line reason.
     */
    public static EstProtocolException challenge(String reason, Map<String, String> challengeHeaders) {
        return new EstProtocolException(401, reason, challengeHeaders, true);
    }

    public static EstProtocolException badRequest(String reason) {
        return new EstProtocolException(400, reason);
    }

    public static EstProtocolException forbidden(String reason) {
        return new EstProtocolException(403, reason);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** Whether the reply carries no body (see {@link #challenge}). */
    public boolean emptyBody() {
        return emptyBody;
    }
}

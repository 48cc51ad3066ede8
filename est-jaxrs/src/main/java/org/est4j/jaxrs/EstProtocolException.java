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

    public EstProtocolException(int status, String reason) {
        this(status, reason, Map.of());
    }

    public EstProtocolException(int status, String reason, Map<String, String> headers) {
        super(reason, null, false, false); // no stack trace: these are expected outcomes, not bugs
        this.status = status;
        this.headers = Map.copyOf(headers);
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
}

package org.est4j.spi;

/**
 * The CA est4j forwards to (an upstream reached over CMP, for example) answered, but with something est4j refuses
 * to pass on: a response whose protection does not verify, a certificate for another key or subject, a malformed
 * message, or an error of its own. HTTP 502 (Bad Gateway): the client did nothing wrong, and the message says what
 * the upstream did.
 */
public class CaUpstreamException extends CaException {
    private static final long serialVersionUID = 1L;

    public CaUpstreamException(String message) {
        super(message);
    }

    public CaUpstreamException(String message, Throwable cause) {
        super(message, cause);
    }
}

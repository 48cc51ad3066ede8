package org.est4j.jaxrs.proxy;

/**
 * A trusted proxy sent a client-certificate header that cannot be read. The message says what is
 * wrong (it becomes the 400 reason) and never contains the header value.
 */
public final class ForwardedHeaderException extends Exception {
    private static final long serialVersionUID = 1L;

    public ForwardedHeaderException(String message) {
        super(message, null, false, false);
    }
}

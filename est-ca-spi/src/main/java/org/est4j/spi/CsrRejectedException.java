package org.est4j.spi;

/**
 * The certification request is unacceptable as it is (a key too weak, a subject outside the CA's
 * name space, a missing attribute): HTTP 400. The client can fix it by sending a different request.
 */
public class CsrRejectedException extends CaException {
    private static final long serialVersionUID = 1L;

    public CsrRejectedException(String message) {
        super(message);
    }

    public CsrRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.est4j.spi;

/**
 * This client may not have this certificate (not authorised for the subject, the label or the
 * operation): HTTP 403. Repeating the request will not help.
 */
public class EnrollmentForbiddenException extends CaException {
    private static final long serialVersionUID = 1L;

    public EnrollmentForbiddenException(String message) {
        super(message);
    }

    public EnrollmentForbiddenException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.est4j.spi;

/**
 * Base of the failures a {@link CaService} reports. Throw the most specific subclass: est4j maps each
 * to one HTTP status. A plain {@code CaException} means "the CA failed in a way the client cannot
 * fix" and becomes HTTP 500.
 *
 * <p>The message is sent to the EST client as the human-readable reason (one line of plain text):
 * say what the client did wrong or what it should do, never stack traces, host names or database
 * errors. Put those in the cause, which est4j logs but never sends.
 */
public class CaException extends Exception {
    private static final long serialVersionUID = 1L;

    public CaException(String message) {
        super(message);
    }

    public CaException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.est4j.spi;

/** The request names a CA label this service does not serve: HTTP 404. */
public class UnknownLabelException extends CaException {
    private static final long serialVersionUID = 1L;

    private final String label;

    public UnknownLabelException(String label) {
        super("unknown CA label '" + label + "'");
        this.label = label;
    }

    public String label() {
        return label;
    }
}

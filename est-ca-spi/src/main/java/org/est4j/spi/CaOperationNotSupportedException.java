package org.est4j.spi;

/**
 * This CA does not offer the operation (for example server-side key generation): HTTP 501. The
 * default methods of {@link CaService} throw it for optional operations.
 */
public class CaOperationNotSupportedException extends CaException {
    private static final long serialVersionUID = 1L;

    public CaOperationNotSupportedException(String operation) {
        super("operation '" + operation + "' is not supported by this CA");
    }
}

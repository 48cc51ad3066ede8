package org.est4j.war.localca;

import java.io.IOException;

/**
 * A CA whose records are files is in use by another process (a running est4j holds the lock of its issuance log): what
 * must not run while an instance issues with the CA (a key rollover from the command line) refuses on this.
 */
public final class CaInUseException extends IOException {
    private static final long serialVersionUID = 1L;

    CaInUseException(String message) {
        super(message);
    }
}

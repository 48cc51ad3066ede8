package org.est4j.jaxrs;

import java.security.cert.X509Certificate;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.est4j.spi.AuthenticatedClient;

/**
 * The INFO line written for every certificate issued and every request left pending: which serial
 * went to which subject, for which client address and authentication methods.
 *
 * <p>Why a class of its own, on {@code java.util.logging} directly: this line is written once per
 * enrollment, and through {@code System.Logger} every record had its message parsed by
 * {@code MessageFormat} and its source method found by walking the stack (for the formatters that print
 * it, Tomcat's included) — together more CPU than the enrollment's signature with a native provider. Here
 * the source is given and the text is built only when INFO is enabled.
 */
final class AuditTrail {

    private static final String SOURCE = EnrollmentHandler.class.getName();
    private static final Logger LOG = Logger.getLogger(SOURCE);

    private AuditTrail() {
    }

    static void issued(String operation, X509Certificate certificate, AuthenticatedClient client) {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.logp(Level.INFO, SOURCE, operation, operation + ": issued serial " + certificate.getSerialNumber().toString(16)
                    + " to " + ClientText.quote(certificate.getSubjectX500Principal().getName()) + " for client " + client.remoteAddress()
                    + " " + client.methods());
        }
    }

    static void pending(String operation, AuthenticatedClient client, long retryAfterSeconds) {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.logp(Level.INFO, SOURCE, operation, operation + ": pending for client " + client.remoteAddress()
                    + ", retry after " + retryAfterSeconds + " s");
        }
    }
}

package org.est4j.war.audit;

import java.math.BigInteger;
import java.util.Optional;

import org.est4j.jaxrs.events.Decision;
import org.est4j.jaxrs.events.EstEvents;
import org.est4j.spi.AuthenticatedClient;

/**
 * Where est4j's own code outside the EST requests records its decisions (approvals, rejections, revocations): the
 * listener of the running deployment (its metrics and audit trail), or that of the admin command, whichever installed
 * itself. Without one, nothing is recorded (unit tests, code that runs without a configuration).
 */
public final class AuditLog {

    private static volatile EstEvents listener = EstEvents.NONE;

    private AuditLog() {
    }

    /** Makes {@code events} the listener of this class loader's decisions. */
    public static void install(EstEvents events) {
        listener = events;
    }

    /** Forgets {@code events} if it is the one installed (an undeployment). */
    public static void uninstall(EstEvents events) {
        if (listener == events) {
            listener = EstEvents.NONE;
        }
    }

    /** Records {@code decision}; never throws. */
    public static void record(Decision decision) {
        EstEvents l = listener;
        if (l != EstEvents.NONE) {
            try {
                l.decided(decision);
            } catch (RuntimeException e) {
                // a listener must not fail the decision it hears of (EstEvents' contract); the audit trail logs its own failures
            }
        }
    }

    /** An administrator ({@code by}) approved or rejected the queued request {@code id} of local CA {@code ca}. */
    public static void decided(boolean approved, String ca, String id, String by, String note) {
        record(Decision.administrative(approved ? Decision.Outcome.APPROVED : Decision.Outcome.REJECTED, approved ? "approve" : "reject",
                ca, Optional.ofNullable(by), Optional.empty(), note, Optional.of(id)));
    }

    /**
     * The certificate {@code serial} of local CA {@code ca} was revoked.
     *
     * @param operation {@code revoke} (an administrator: {@code Admin}, the console) or {@code fullcmc} (a client's
     *                  CMC revokeRequest)
     * @param by        the administrator who revoked it; null for a client's request (its client fields say who)
     * @param reason    the CRLReason's name (RFC 5280 section 5.3.1)
     * @param client    the client whose request it was, if it was one
     */
    public static void revoked(String operation, String ca, BigInteger serial, String by, String reason, Optional<AuthenticatedClient> client) {
        Decision d = Decision.administrative(Decision.Outcome.REVOKED, operation, ca, Optional.ofNullable(by), Optional.of(serial), reason,
                Optional.empty());
        record(client.map(d::by).orElse(d));
    }

    /**
     * An administrator ({@code by}) rolled the key of local CA {@code ca} over ({@code rollover}) or ended the overlap
     * ({@code rollover-finish}); {@code what} says which generations.
     */
    public static void rolledOver(String operation, String ca, String by, String what) {
        record(Decision.administrative(Decision.Outcome.ROLLED_OVER, operation, ca, Optional.ofNullable(by), Optional.empty(), what,
                Optional.empty()));
    }

    /** The name of CRLReason {@code code} (RFC 5280 section 5.3.1), or the number when it has none. */
    public static String reasonName(int code) {
        return org.est4j.war.localca.RevocationReason.name(code);
    }
}

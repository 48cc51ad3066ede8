package org.est4j.war;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.est4j.war.audit.AuditLog;
import org.est4j.war.localca.ApprovalQueue;
import org.est4j.war.localca.RevocationReason;
import org.est4j.war.localca.Revocations;
import org.est4j.war.store.StateStore;

/**
 * What an operator does to a store, whoever asks: the admin command ({@link Admin}) and the operator console call these,
 * so that a decision taken either way is checked, recorded and audited the same way.
 */
public final class OperatorActions {

    private OperatorActions() {
    }

    /**
     * Approves ({@code approve} true) or rejects queued request {@code id}; the queue records the decision and audits it.
     *
     * @param by who decided and how that was proven, as the audit trail's {@code actor}
     * @throws IllegalArgumentException when there is no such request or it was decided already
     */
    public static void decide(ApprovalQueue queue, String id, boolean approve, String by, String note) throws IOException {
        if (approve) {
            queue.approve(id, by, note);
        } else {
            queue.reject(id, by, note);
        }
    }

    /**
     * A serial as people copy it: hex, as {@code openssl x509 -serial} prints it, with or without {@code 0x} and colons;
     * positive and at most 20 octets (RFC 5280 section 4.1.2.2). Empty for anything else.
     */
    public static Optional<BigInteger> parseSerial(String text) {
        String hex = text.strip().replace(":", "").replaceFirst("^0[xX]", "");
        if (!hex.matches("[0-9a-fA-F]{1,40}")) {
            return Optional.empty();
        }
        BigInteger serial = new BigInteger(hex, 16);
        return serial.signum() > 0 ? Optional.of(serial) : Optional.empty();
    }

    /** The outcome of {@link #revoke}. */
    public sealed interface RevokeOutcome {
    }

    /** Revoked now, or earlier ({@code earlier}: nothing was written). */
    public record Revoked(String ca, X509Certificate certificate, Revocations.Revocation revocation, boolean earlier) implements RevokeOutcome {
    }

    /** No local CA (of those searched) issued the serial. */
    public record NotIssued() implements RevokeOutcome {
    }

    /** Several local CAs issued the serial: the operator must name one. */
    public record Ambiguous(List<String> cas) implements RevokeOutcome {
    }

    /**
     * Revokes {@code serial} of whichever of {@code caNames} issued it (only {@code onlyCa} when given) and audits it.
     * From the server's next request on the certificate authenticates nothing and the CA's next CRL lists it.
     *
     * @param reason an RFC 5280 CRLReason code ({@link RevocationReason#parse})
     * @param by     who revoked and how that was proven, as the audit trail's {@code actor}
     */
    public static RevokeOutcome revoke(StateStore store, Collection<String> caNames, Optional<String> onlyCa, BigInteger serial, int reason,
                                       String by) throws IOException {
        List<String> found = new ArrayList<>();
        X509Certificate certificate = null;
        for (String ca : caNames) {
            if (onlyCa.isEmpty() || onlyCa.get().equals(ca)) {
                Optional<X509Certificate> c = store.findIssued(ca, serial);
                if (c.isPresent()) {
                    found.add(ca);
                    certificate = c.get();
                }
            }
        }
        if (found.isEmpty()) {
            return new NotIssued();
        }
        if (found.size() > 1) {
            return new Ambiguous(List.copyOf(found));
        }
        Revocations log = store.revocations(found.get(0));
        Optional<Revocations.Revocation> before = log.find(serial);
        if (before.isPresent()) {
            return new Revoked(found.get(0), certificate, before.get(), true);
        }
        Revocations.Revocation r = log.record(serial, reason, by);
        AuditLog.revoked("revoke", found.get(0), serial, by, RevocationReason.name(reason), Optional.empty());
        return new Revoked(found.get(0), certificate, r, false);
    }
}

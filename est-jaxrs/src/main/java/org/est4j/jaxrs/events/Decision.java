package org.est4j.jaxrs.events;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.CertificationRequest;

/**
 * One decision on a certificate, as the audit trail records it. It holds the objects as they are, not text: a
 * listener formats only what it writes, and building one costs an allocation.
 *
 * @param time      when it was decided
 * @param outcome   what was decided
 * @param operation the EST operation ({@code enroll}, {@code renew}, {@code rekey}, {@code serverkeygen},
 *                  {@code fullcmc}) or the administrative action's origin ({@code admin}, {@code console})
 * @param label     the CA label of the request, if any
 * @param ca        the local CA concerned, when the deciding code knows it (administrative decisions)
 * @param request   the request's id and addresses, when the decision was taken on an EST request
 * @param client    who asked, and how it was proven; empty for decisions not taken on a client's request
 * @param csr       what was asked for (subject, subjectAltName, key); empty when unknown (a refusal before the
 *                  request was decoded, a revocation)
 * @param certificate the certificate issued, when one was
 * @param serial    the serial concerned (issued or revoked), when there is one
 * @param status    the HTTP status of the reply, or 0 when the decision was not an EST reply
 * @param reason    why: the refusal's text, the administrator's note, the revocation reason; empty when none
 * @param actor     who decided, for an administrator's decision; empty for the server's own decisions
 * @param queueId   the pending request's id in the approval queue, for approvals and rejections
 */
public record Decision(Instant time, Outcome outcome, String operation, Optional<String> label, Optional<String> ca,
                       Optional<RequestContext> request, Optional<AuthenticatedClient> client, Optional<CertificationRequest> csr,
                       Optional<X509Certificate> certificate, Optional<BigInteger> serial, int status, Optional<String> reason,
                       Optional<String> actor, Optional<String> queueId) {

    /** What was decided. */
    public enum Outcome {
        /** A certificate was issued on a first enrollment (or server-side key generation, or full CMC). */
        ISSUED,
        /** A certificate was issued on re-enrollment (renewal or re-key). */
        RENEWED,
        /** The request was refused (the status and reason say why). */
        REFUSED,
        /** The request waits for an administrator (202). */
        QUEUED,
        /** An administrator approved a queued request. */
        APPROVED,
        /** An administrator rejected a queued request. */
        REJECTED,
        /** A certificate was revoked. */
        REVOKED,
        /** An administrator rolled a CA key over, or ended a rollover's overlap (RFC 7030 section 4.1.3). */
        ROLLED_OVER;

        /** The name as written in the audit trail. */
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Decision {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(csr, "csr");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(queueId, "queueId");
    }

    /** A decision on an EST request, on the thread that serves it (its {@link RequestContext}, if any). */
    public static Decision onRequest(Outcome outcome, String operation, Optional<String> label, AuthenticatedClient client,
                                     CertificationRequest csr, X509Certificate certificate, int status, String reason) {
        return new Decision(Instant.now(), outcome, operation, label, Optional.empty(), RequestContext.current(),
                Optional.ofNullable(client), Optional.ofNullable(csr), Optional.ofNullable(certificate),
                Optional.ofNullable(certificate).map(X509Certificate::getSerialNumber), status, Optional.ofNullable(reason),
                Optional.empty(), Optional.empty());
    }

    /**
     * An administrator's decision ({@link Outcome#APPROVED}, {@link Outcome#REJECTED}, {@link Outcome#REVOKED}) or a
     * revocation by a client through CMC ({@code client} then present).
     */
    public static Decision administrative(Outcome outcome, String operation, String caName, Optional<String> actor,
                                          Optional<BigInteger> serial, String reason, Optional<String> queueId) {
        return new Decision(Instant.now(), outcome, operation, Optional.empty(), Optional.of(caName), RequestContext.current(),
                Optional.empty(), Optional.empty(), Optional.empty(), serial, 0, Optional.ofNullable(reason).filter(r -> !r.isBlank()),
                actor, queueId);
    }

    /** This decision with {@code client} as the one who asked. */
    public Decision by(AuthenticatedClient who) {
        return new Decision(time, outcome, operation, label, ca, request, Optional.of(who), csr, certificate, serial, status, reason,
                actor, queueId);
    }
}

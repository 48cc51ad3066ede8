package org.est4j.jaxrs;

import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;

import org.est4j.jaxrs.events.RequestContext;
import org.est4j.spi.CaException;
import org.est4j.spi.CaOperationNotSupportedException;
import org.est4j.spi.CaUnavailableException;
import org.est4j.spi.CsrRejectedException;
import org.est4j.spi.EnrollmentForbiddenException;
import org.est4j.spi.UnknownLabelException;

/**
 * The one place where failures become HTTP statuses. Every error body is one line of
 * {@code text/plain}: the status and a reason the client can act on. Unexpected failures become a
 * generic 500 whose body carries only a request id, and the details go to the log under that id.
 */
public final class ErrorReplies {

    private static final System.Logger LOG = System.getLogger(ErrorReplies.class.getName());
    private static final SecureRandom IDS = new SecureRandom();

    private ErrorReplies() {
    }

    public static EstReply of(Throwable failure) {
        if (failure instanceof EstProtocolException e) {
            return e.emptyBody() ? EstReply.challenge(e.status(), e.headers()) : EstReply.text(e.status(), e.getMessage(), e.headers());
        }
        if (failure instanceof CaException e) {
            return fromCa(e);
        }
        if (failure instanceof WebApplicationException e) {
            return fromJaxrs(e);
        }
        return unexpected(failure);
    }

    private static EstReply fromCa(CaException e) {
        int status = status(e);
        if (status == 500 || status == 502 || status == 503) { // not 501: an operation the CA does not offer is no failure
            RequestContext.caFailed();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (e instanceof CaUnavailableException u) {
            u.retryAfter().ifPresent(d -> headers.put("Retry-After", Long.toString(Math.max(1, d.toSeconds()))));
        } else if (status == 500) {
            String id = requestId();
            LOG.log(Level.ERROR, "request " + id + ": the CA failed", e);
            return EstReply.text(500, "the CA could not process the request (request id " + id + ")", Map.of());
        }
        if (e.getCause() != null) {
            LOG.log(Level.INFO, "CA refused the request with " + status + ": " + ClientText.quote(e.getMessage()), e.getCause());
        }
        return EstReply.text(status, e.getMessage() == null ? "refused by the CA" : e.getMessage(), headers);
    }

    /**
     * The status a CA's failure is answered with: its refusals are the client's (400, 403, 404), what it does not
     * offer is 501, its unavailability 503, an upstream CA's unacceptable answer 502; anything else is the CA's own
     * failure (500). Also what the metrics and the audit trail record.
     */
    public static int status(CaException e) {
        if (e instanceof CsrRejectedException) {
            return 400;
        } else if (e instanceof EnrollmentForbiddenException) {
            return 403;
        } else if (e instanceof UnknownLabelException) {
            return 404;
        } else if (e instanceof CaOperationNotSupportedException) {
            return 501;
        } else if (e instanceof CaUnavailableException) {
            return 503;
        } else if (e instanceof org.est4j.spi.CaUpstreamException) {
            return 502;
        }
        return 500;
    }

    /** Errors the JAX-RS runtime raises itself while matching the request (404, 405, 406, 415...). */
    private static EstReply fromJaxrs(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Map<String, String> headers = new LinkedHashMap<>();
        String allow = e.getResponse().getHeaderString("Allow");
        if (allow != null) {
            headers.put("Allow", allow);
        }
        if (status >= 500) {
            String id = requestId();
            LOG.log(Level.ERROR, "request " + id + " failed in the JAX-RS runtime", e);
            return EstReply.text(status, "internal server error (request id " + id + ")", headers);
        }
        return forStatus(status, headers);
    }

    /**
     * est4j's line for a bare status that the JAX-RS runtime or the container chose without a reason of
     * est4j's (no matching resource, a method not allowed, a request the container refused).
     */
    public static EstReply forStatus(int status, Map<String, String> headers) {
        String allow = headers.get("Allow");
        String reason = switch (status) {
            case 400 -> "bad request";
            case 404 -> "no such EST resource";
            case 405 -> "method not allowed for this EST resource" + (allow != null ? " (allowed: " + allow + ")" : "");
            case 406 -> "the Accept header excludes every media type this resource produces";
            case 413 -> "the request is too large";
            case 415 -> "unsupported request media type";
            default -> {
                jakarta.ws.rs.core.Response.Status known = jakarta.ws.rs.core.Response.Status.fromStatusCode(status);
                yield known == null ? "error" : known.getReasonPhrase().toLowerCase(java.util.Locale.ROOT);
            }
        };
        return EstReply.text(status, reason, headers);
    }

    /** A failure no part of est4j anticipated: logged under a request id, which alone goes to the client. */
    public static EstReply unexpected(Throwable failure) {
        String id = requestId();
        LOG.log(Level.ERROR, "request " + id + " failed unexpectedly", failure);
        return EstReply.text(500, "internal server error (request id " + id + ")", Map.of());
    }

    private static String requestId() {
        byte[] id = new byte[6];
        IDS.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }
}

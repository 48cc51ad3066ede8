package org.est4j.war.audit;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.est4j.jaxrs.events.Decision;
import org.est4j.jaxrs.events.RequestContext;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.AuthenticationMethod;
import org.est4j.spi.CertificationRequest;
import org.est4j.spi.SubjectAltName;

/**
 * A {@link Decision} as one line of the audit trail; the fields are documented in {@code docs/audit.md}. What a
 * decision never carries cannot be written: no password, one-time password, challengePassword or private key is part
 * of a {@link Decision} (the CSR's challengePassword is not read here).
 */
public final class AuditRecord {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private AuditRecord() {
    }

    /** The JSON object of {@code d}, without a line break. */
    public static String json(Decision d) {
        JsonLine line = new JsonLine()
                .string("time", TIME.format(d.time()))
                .string("event", d.outcome().text())
                .string("request_id", d.request().map(RequestContext::id).orElse(null))
                .string("operation", d.operation())
                .string("label", d.label().orElse(null))
                .string("ca", d.ca().orElse(null));
        d.client().ifPresent(c -> client(line, c));
        d.request().ifPresent(r -> line.string("peer_address", r.peerAddress()).string("forwarded_for", r.forwardedFor().orElse(null)));
        if (d.request().isEmpty()) {
            d.client().ifPresent(c -> line.string("peer_address", c.remoteAddress()));
        }
        d.csr().ifPresent(csr -> request(line, csr));
        d.certificate().ifPresent(c -> line.string("issued_subject", c.getSubjectX500Principal().getName()));
        d.serial().ifPresent(s -> line.string("serial", s.toString(16)));
        if (d.status() != 0) {
            line.number("status", d.status());
        }
        return line.string("reason", d.reason().orElse(null))
                .string("actor", d.actor().orElse(null))
                .string("queue_id", d.queueId().orElse(null))
                .toString();
    }

    private static void client(JsonLine line, AuthenticatedClient c) {
        line.string("client_subject", c.certificate().map(x -> x.getSubjectX500Principal().getName()).orElse(null))
                .string("client_issuer", c.certificate().map(x -> x.getIssuerX500Principal().getName()).orElse(null))
                .string("client_user", c.username().orElse(null))
                .strings("authenticated_by", c.methods().stream().map(AuditRecord::method).sorted().toList());
        c.unverified().ifPresent(u -> line
                .string("unverified_subject", u.presentedChain().isEmpty() ? null
                        : u.presentedChain().get(0).getSubjectX500Principal().getName())
                .string("unverified_user", u.claimedUsername().orElse(null))
                .string("unverified_reason", u.reason()));
    }

    private static void request(JsonLine line, CertificationRequest csr) {
        List<String> sans = new ArrayList<>();
        for (SubjectAltName san : csr.subjectAltNames()) {
            sans.add(san.type().name().toLowerCase(Locale.ROOT).replace('_', '-') + ":" + san.value());
        }
        line.string("requested_subject", csr.subject().getName())
                .strings("requested_san", sans)
                .string("key_type", keyType(csr.publicKey()));
    }

    /** The method as written in the audit trail: {@code tls-client-certificate}, {@code http-basic}... */
    static String method(AuthenticationMethod m) {
        return m.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code RSA-2048}, {@code EC-256} (the field size), or the algorithm's name ({@code Ed25519}). */
    static String keyType(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return "RSA-" + rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            return "EC-" + ec.getParams().getCurve().getField().getFieldSize();
        }
        return key.getAlgorithm();
    }

}

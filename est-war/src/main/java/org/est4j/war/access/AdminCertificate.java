package org.est4j.war.access;

import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import jakarta.servlet.http.HttpServletRequest;

import org.est4j.jaxrs.HttpRequestInfo;
import org.est4j.jaxrs.auth.ClientCertificateValidator;

/**
 * An administrator's TLS client certificate: one whose chain validates against est4j's client trust anchors (with the
 * configured revocation checking) and whose subject is the configured admin identity ({@code metrics.client-subject},
 * {@code console.client-subject}). One check for every admin surface, so that /metrics and /console cannot drift apart.
 *
 * <p>The chain is the standard {@code jakarta.servlet.request.X509Certificate} attribute: the container's, or the one
 * est4j's proxy filter took from a trusted TLS terminator's header ({@code proxy.*}) for the paths it is mapped to. A
 * certificate is never believed because the container accepted it: the path is validated again here.
 */
public final class AdminCertificate {

    /** What a request's certificate amounts to. */
    public enum Match {
        /** No admin subject configured, or no certificate presented: the certificate says nothing. */
        NOT_PRESENTED,
        /** The configured subject, validated: an administrator. */
        ADMIN,
        /** A certificate that is not the admin's, or does not validate. */
        NOT_ADMIN
    }

    private final Optional<X500Principal> subject;
    private final ClientCertificateValidator certificates;

    /**
     * @param subject      the admin identity; empty: no certificate is an admin's
     * @param certificates validates the chain against est4j's client trust anchors
     */
    public AdminCertificate(Optional<X500Principal> subject, ClientCertificateValidator certificates) {
        this.subject = subject;
        this.certificates = certificates;
    }

    /** Whether an admin subject is configured at all. */
    public boolean configured() {
        return subject.isPresent();
    }

    /** The verdict on {@code chain} (leaf first, possibly empty). */
    public Match check(List<X509Certificate> chain) {
        if (chain.isEmpty() || subject.isEmpty()) {
            return Match.NOT_PRESENTED;
        }
        // the cheap comparison first: a stranger's certificate costs no path validation
        return chain.get(0).getSubjectX500Principal().equals(subject.get()) && certificates.validate(chain, new Date()).valid()
                ? Match.ADMIN : Match.NOT_ADMIN;
    }

    /** The request's TLS client chain, leaf first; empty when there is none. */
    public static List<X509Certificate> chainOf(HttpServletRequest request) {
        Object chain = request.getAttribute(HttpRequestInfo.X509_ATTRIBUTE);
        return chain instanceof X509Certificate[] array ? List.of(array) : List.of();
    }
}

package org.est4j.spi;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code /simplereenroll} request, after est4j's checks: the client authenticated with
 * {@code currentCertificate} as its TLS client certificate, and the request's subject and
 * subjectAltName equal that certificate's.
 *
 * @param label              the CA label from the request path, empty for the default CA
 * @param csr                the verified certification request
 * @param client             the authenticated client
 * @param currentCertificate the certificate being renewed or rekeyed
 * @param kind               {@link RenewalKind#RENEW} when the request's key is the current
 *                           certificate's key, {@link RenewalKind#REKEY} otherwise
 */
public record ReenrollmentRequest(Optional<String> label, CertificationRequest csr, AuthenticatedClient client,
                                  X509Certificate currentCertificate, RenewalKind kind) {

    public ReenrollmentRequest {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(csr, "csr");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(currentCertificate, "currentCertificate");
        Objects.requireNonNull(kind, "kind");
    }

    /** The same request as a plain enrollment, for CAs that do not distinguish the two. */
    public EnrollmentRequest asEnrollment() {
        return new EnrollmentRequest(label, csr, client);
    }
}

package org.est4j.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code /simpleenroll} request, after est4j's checks.
 *
 * @param label  the CA label from the request path, empty for the default CA
 * @param csr    the verified certification request
 * @param client the authenticated client
 */
public record EnrollmentRequest(Optional<String> label, CertificationRequest csr, AuthenticatedClient client) {
    public EnrollmentRequest {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(csr, "csr");
        Objects.requireNonNull(client, "client");
    }
}

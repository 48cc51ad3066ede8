package org.est4j.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code /cacerts} request.
 *
 * @param label  the CA label from the request path, empty for {@code /.well-known/est/cacerts}
 * @param client who asked; usually {@link AuthenticatedClient#anonymous anonymous}
 */
public record CaCertificatesRequest(Optional<String> label, AuthenticatedClient client) {
    public CaCertificatesRequest {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(client, "client");
    }
}

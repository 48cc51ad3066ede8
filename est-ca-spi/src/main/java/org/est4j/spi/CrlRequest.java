package org.est4j.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * Asks the CA for its current CRLs and ARLs (see {@link CaService#crls}).
 *
 * @param label  the CA label from the request path, empty for the default CA
 * @param client who asks; usually anonymous, since CRLs need no client authentication
 */
public record CrlRequest(Optional<String> label, AuthenticatedClient client) {

    public CrlRequest {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(client, "client");
    }
}

package org.est4j.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code /csrattrs} request (RFC 7030 section 4.5).
 *
 * @param label  the CA label from the request path, empty for the default CA
 * @param client who asked: anonymous, or authenticated by a TLS client certificate that passed est4j's
 *               validation (no HTTP challenge is sent for this operation)
 */
public record CsrAttributesRequest(Optional<String> label, AuthenticatedClient client) {
    public CsrAttributesRequest {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(client, "client");
    }
}

package org.est4j.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * Asks a {@link PackageService} what it has for one client.
 *
 * @param label  the CA label from the request path, empty for the default
 * @param client the client as est4j authenticated it; anonymous only for {@link PackageKind#EE_CERTIFICATES}
 *               (certificates are signed by their CA, RFC 8295 section 3)
 * @param kind   the kind asked for
 */
public record PackageRequest(Optional<String> label, AuthenticatedClient client, PackageKind kind) {

    public PackageRequest {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(kind, "kind");
    }
}

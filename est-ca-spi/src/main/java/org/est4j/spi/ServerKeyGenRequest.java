package org.est4j.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code /serverkeygen} request (RFC 7030 section 4.4), after est4j's checks: the client is
 * authenticated and sent a well-formed PKCS#10 request. Only the request's subject, subjectAltName and
 * requested extensions matter: as the RFC says, its public key (and the signature made with it) are
 * not the key to certify.
 *
 * @param label   the CA label from the request path, empty for the default CA
 * @param csr     the client's certification request: a template for the certificate
 * @param client  the authenticated client
 * @param keySpec the key pair est4j's configuration asks for on this label
 */
public record ServerKeyGenRequest(Optional<String> label, CertificationRequest csr, AuthenticatedClient client,
                                  KeyGenerationSpec keySpec) {

    public ServerKeyGenRequest {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(csr, "csr");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(keySpec, "keySpec");
    }
}

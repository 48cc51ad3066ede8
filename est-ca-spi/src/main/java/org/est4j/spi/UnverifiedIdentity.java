package org.est4j.spi;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client presented when its authentication was incomplete (RFC 7030 section 3.7): a TLS
 * certificate that did not chain to a configured trust anchor (self-signed, another PKI), or an HTTP
 * user name est4j does not know. None of it is proven; it is shown to the person who decides whether
 * to authorize the request, and it identifies the client when it repeats the request.
 *
 * @param presentedChain  the TLS certificate chain as sent, leaf first, possibly empty
 * @param claimedUsername the HTTP user name as sent, if any
 * @param reason          why authentication was incomplete, for the approver
 */
public record UnverifiedIdentity(List<X509Certificate> presentedChain, Optional<String> claimedUsername, String reason) {
    public UnverifiedIdentity {
        presentedChain = List.copyOf(presentedChain);
        Objects.requireNonNull(claimedUsername, "claimedUsername");
        Objects.requireNonNull(reason, "reason");
        if (presentedChain.isEmpty() && claimedUsername.isEmpty()) {
            throw new IllegalArgumentException("an unverified identity needs a certificate or a user name");
        }
    }
}

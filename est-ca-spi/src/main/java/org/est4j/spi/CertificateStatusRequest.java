package org.est4j.spi;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks the CA whether a certificate a client authenticates with is still good: est4j asks before a TLS client
 * certificate counts for anything, on every request (see {@link CaService#certificateStatus}).
 *
 * @param label the CA label from the request path, empty for the default CA; the certificate may have been
 *              issued by another of your CAs, so decide by its issuer, not by the label alone
 * @param chain the client's certificate chain, leaf first, as it passed est4j's PKIX validation
 */
public record CertificateStatusRequest(Optional<String> label, List<X509Certificate> chain) {

    public CertificateStatusRequest {
        Objects.requireNonNull(label, "label");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain must hold at least the certificate asked about");
        }
    }

    /** The certificate asked about: the chain's first. */
    public X509Certificate certificate() {
        return chain.get(0);
    }
}

package org.est4j.spi;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The answer to {@code /cacerts}: the CA certificates an EST client installs as its trust anchors
 * for this CA (RFC 7030 section 4.1.3).
 *
 * <p>Put the current root first, then intermediates, then rollover link certificates. est4j sends
 * them in this order in a certs-only CMS message.
 *
 * @param certificates at least one certificate
 */
public record CaCertificates(List<X509Certificate> certificates) {
    public CaCertificates {
        certificates = List.copyOf(certificates);
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("a CA has at least one certificate");
        }
    }
}

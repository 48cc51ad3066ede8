package org.est4j.spi;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A certificate was issued.
 *
 * <p>RFC 7030 section 4.2.3 says the enrollment response contains "only the certificate that was
 * issued", so est4j sends {@code certificate} alone to {@code /simpleenroll} clients; {@code chain}
 * is kept for operations that return more (server-side key generation, full CMC).
 *
 * @param certificate the new certificate
 * @param chain       its issuer chain, issuing CA first (may be empty)
 */
public record Issued(X509Certificate certificate, List<X509Certificate> chain) implements EnrollmentResult {
    public Issued {
        Objects.requireNonNull(certificate, "certificate");
        chain = List.copyOf(chain);
    }
}

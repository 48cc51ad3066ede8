package org.est4j.war.config;

import java.util.List;

/**
 * One local CA as configured by the {@code ca.<name>.*} keys.
 *
 * @param name             the CA's name (directory {@code ca/<name>} under EST_HOME)
 * @param keyAlgorithm     the CA key's algorithm (chosen when the CA is created; changing it later has no effect)
 * @param subject          the CA certificate's subject, RFC 4514 syntax
 * @param validityDays     lifetime of the CA certificate
 * @param certValidityDays lifetime of issued certificates
 * @param extendedKeyUsages EKU OIDs put in issued end-entity certificates
 * @param csrAttributes    what {@code /csrattrs} asks clients of this CA for (empty: 204)
 * @param manualApproval   whether every request waits for an administrator (otherwise only requests whose
 *                         authentication was incomplete, RFC 7030 section 3.7, do)
 * @param retryAfterSeconds the {@code Retry-After} of a pending request
 * @param requestPolicy    what this CA accepts in a request (keys, signatures, names, critical extensions)
 */
public record CaSettings(String name, KeyAlgorithm keyAlgorithm, String subject, int validityDays, int certValidityDays,
                         List<String> extendedKeyUsages, org.est4j.spi.CsrAttributes csrAttributes,
                         boolean manualApproval, int retryAfterSeconds, org.est4j.jaxrs.policy.RequestPolicy requestPolicy) {
    public CaSettings {
        extendedKeyUsages = List.copyOf(extendedKeyUsages);
        java.util.Objects.requireNonNull(requestPolicy, "requestPolicy");
    }
}

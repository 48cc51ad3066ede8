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
 * @param crlValidityHours how long each CRL is valid ({@code nextUpdate - thisUpdate}); a new one is issued once half
 *                         of that has passed, or at once after a revocation
 * @param crlDistributionPoint the http URL put in every issued certificate's CRL distribution point extension
 *                         (RFC 5280 section 4.2.1.13), where relying parties fetch this CA's CRL
 * @param pkcs11           where the CA key lives when it is in a PKCS#11 token ({@code ca.<name>.key-store = pkcs11});
 *                         null for the default, the key file {@code ca/<name>/ca-key.pem}
 */
public record CaSettings(String name, KeyAlgorithm keyAlgorithm, String subject, int validityDays, int certValidityDays,
                         List<String> extendedKeyUsages, org.est4j.spi.CsrAttributes csrAttributes,
                         boolean manualApproval, int retryAfterSeconds, org.est4j.jaxrs.policy.RequestPolicy requestPolicy,
                         int crlValidityHours, java.net.URI crlDistributionPoint, Pkcs11Settings pkcs11) {

    /** Default lifetime of a CRL: a day, as commonly published. */
    public static final int DEFAULT_CRL_VALIDITY_HOURS = 24;

    public CaSettings {
        extendedKeyUsages = List.copyOf(extendedKeyUsages);
        java.util.Objects.requireNonNull(requestPolicy, "requestPolicy");
        java.util.Objects.requireNonNull(crlDistributionPoint, "crlDistributionPoint");
    }

    /** Settings with the CA key in a file ({@code ca/<name>/ca-key.pem}). */
    public CaSettings(String name, KeyAlgorithm keyAlgorithm, String subject, int validityDays, int certValidityDays,
                      List<String> extendedKeyUsages, org.est4j.spi.CsrAttributes csrAttributes, boolean manualApproval,
                      int retryAfterSeconds, org.est4j.jaxrs.policy.RequestPolicy requestPolicy, int crlValidityHours,
                      java.net.URI crlDistributionPoint) {
        this(name, keyAlgorithm, subject, validityDays, certValidityDays, extendedKeyUsages, csrAttributes, manualApproval,
                retryAfterSeconds, requestPolicy, crlValidityHours, crlDistributionPoint, null);
    }

    /** These settings with the CA key in the PKCS#11 token {@code pkcs11}. */
    public CaSettings withPkcs11(Pkcs11Settings pkcs11) {
        return new CaSettings(name, keyAlgorithm, subject, validityDays, certValidityDays, extendedKeyUsages, csrAttributes,
                manualApproval, retryAfterSeconds, requestPolicy, crlValidityHours, crlDistributionPoint, pkcs11);
    }

    /** Settings with the default CRL validity and distribution point (the README's Tomcat, HTTP port 8080, ROOT context). */
    public CaSettings(String name, KeyAlgorithm keyAlgorithm, String subject, int validityDays, int certValidityDays,
                      List<String> extendedKeyUsages, org.est4j.spi.CsrAttributes csrAttributes, boolean manualApproval,
                      int retryAfterSeconds, org.est4j.jaxrs.policy.RequestPolicy requestPolicy) {
        this(name, keyAlgorithm, subject, validityDays, certValidityDays, extendedKeyUsages, csrAttributes, manualApproval,
                retryAfterSeconds, requestPolicy, DEFAULT_CRL_VALIDITY_HOURS, defaultCrlDistributionPoint(name));
    }

    /**
     * {@code http://localhost:8080/crl/<name>.crl}: where the README's Tomcat (plain HTTP connector on port 8080, est4j as
     * the ROOT context) serves the CRL. Plain http on purpose (RFC 5280 section 4.2.1.13): fetching a CRL over https
     * would need a certificate whose revocation is checked with this very CRL.
     */
    public static java.net.URI defaultCrlDistributionPoint(String name) {
        return java.net.URI.create("http://localhost:8080/crl/" + name + ".crl");
    }
}

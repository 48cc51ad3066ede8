package org.est4j.jaxrs.auth;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates a TLS client certificate chain in the EST layer, by RFC 5280 path validation against
 * est4j's own trust anchors.
 *
 * <p>Why not trust the container: depending on the connector, a servlet container passes
 * certificates from unknown CAs to the application (Tomcat's OpenSSL {@code optionalNoCA}, a proxy
 * header, a misconfigured trust store). est4j must never let such a certificate authenticate, so it
 * repeats the validation itself with the anchors the administrator configured for EST.
 *
 * <p>Revocation: with {@link RevocationChecking} other than off, PKIX validation checks every certificate of
 * the path (not the anchor) with the JDK's revocation checker, against CRLs and/or OCSP. With soft fail, a
 * status that cannot be determined (no current CRL, responder unreachable) lets the certificate pass and is
 * logged; a revoked one never passes. The CA's own answer ({@link org.est4j.spi.CaService#certificateStatus})
 * is asked separately, by {@link EstAuthenticator}.
 */
public final class ClientCertificateValidator {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EKU = "2.5.29.37.0";

    private static final System.Logger LOG = System.getLogger(ClientCertificateValidator.class.getName());

    /** How long a successful path validation is remembered, and for how many chains at most. */
    private static final long REMEMBER_MILLIS = 60_000;
    private static final int REMEMBERED_CHAINS = 4096;

    private final Set<TrustAnchor> anchors;
    private final List<X509Certificate> anchorCertificates;
    private final RevocationChecking revocation;
    private final CrlSource crls;

    /**
     * Chains that validated lately, without revocation checking: a device re-enrolling or an RA enrolling in bulk
     * presents the same chain on every request, and PKIX path validation cost 6 % of a reenrollment's CPU
     * (bench/README.md). An entry holds from the time it was validated at until the earlier of a minute later and the
     * path's first notAfter, so it answers only what validating again would answer. With revocation checking on, every
     * request is validated: a CRL or an OCSP answer may have changed.
     */
    private final Map<List<X509Certificate>, Interval> recentlyValid = new ConcurrentHashMap<>();

    private record Interval(long from, long until) {
        boolean holds(long at) {
            return from <= at && at < until;
        }
    }

    /** @param trustAnchors the CA certificates a client certificate must chain to; may be empty (then nothing validates) */
    public ClientCertificateValidator(Collection<X509Certificate> trustAnchors) {
        this(trustAnchors, RevocationChecking.OFF);
    }

    /**
     * @param trustAnchors the CA certificates a client certificate must chain to; may be empty (then nothing validates)
     * @param revocation   how the revocation status of the path's certificates is checked
     */
    public ClientCertificateValidator(Collection<X509Certificate> trustAnchors, RevocationChecking revocation) {
        this.revocation = revocation;
        this.crls = revocation.mode().usesCrls()
                ? new CrlSource(revocation.crlFiles(), revocation.fetchCrls(), revocation.timeout(), java.time.Clock.systemUTC()) : null;
        this.anchorCertificates = List.copyOf(trustAnchors);
        Set<TrustAnchor> set = new LinkedHashSet<>();
        for (X509Certificate c : anchorCertificates) {
            set.add(new TrustAnchor(c, null));
        }
        this.anchors = Set.copyOf(set);
    }

    /** The configured anchors. */
    public List<X509Certificate> trustAnchors() {
        return anchorCertificates;
    }

    /** The failure of a revoked certificate, whoever said so (PKIX revocation checking or the CA). */
    public static final String REVOKED = "certificate revoked";

    /** Outcome of a validation: the validated chain, or why it failed (safe to show the client). */
    public record Result(List<X509Certificate> chain, String failure) {
        public boolean valid() {
            return failure == null;
        }

        /** Whether it failed because the certificate is revoked. */
        public boolean revoked() {
            return REVOKED.equals(failure);
        }
    }

    /**
     * Validates {@code presented} (leaf first, as TLS delivers it; it may include the anchor) at
     * {@code now}.
     */
    public Result validate(List<X509Certificate> presented, Date now) {
        if (presented.isEmpty()) {
            return new Result(List.of(), "no client certificate");
        }
        if (anchors.isEmpty()) {
            return new Result(List.of(), "no trust anchors are configured for client certificates");
        }
        X509Certificate leaf = presented.get(0);
        String eku = checkExtendedKeyUsage(leaf);
        if (eku != null) {
            return new Result(List.of(), eku);
        }
        // The path handed to the validator must not contain the anchor itself.
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate c : presented) {
            if (!anchorCertificates.contains(c)) {
                path.add(c);
            }
        }
        if (path.isEmpty()) {
            return new Result(List.of(), "the client certificate is a trust anchor itself, not an end-entity certificate");
        }
        boolean remember = revocation.mode() == RevocationChecking.Mode.OFF;
        Interval known = remember ? recentlyValid.get(path) : null;
        if (known != null && known.holds(now.getTime())) {
            return new Result(List.copyOf(presented), null);
        }
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            try {
                validatePath(certPath, path, now, revocation.mode() != RevocationChecking.Mode.OFF);
            } catch (CertPathValidatorException e) {
                if (!(revocation.softFail() && e.getReason() == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS)) {
                    throw e;
                }
                // soft fail: the status is unknown, not "revoked"; everything else must still hold
                validatePath(certPath, path, now, false);
                LOG.log(System.Logger.Level.WARNING, "accepting the client certificate {0} without a revocation status (soft fail): {1}",
                        org.est4j.jaxrs.ClientText.quote(path.get(0).getSubjectX500Principal().getName()),
                        org.est4j.jaxrs.ClientText.quote(String.valueOf(e.getMessage())));
            }
            if (remember) {
                remember(path, now.getTime());
            }
            return new Result(List.copyOf(presented), null);
        } catch (CertPathValidatorException e) {
            return new Result(List.of(), describe(e));
        } catch (InvalidAlgorithmParameterException e) {
            return new Result(List.of(), "no usable trust anchors");
        } catch (GeneralSecurityException e) {
            return new Result(List.of(), "the client certificate chain could not be validated");
        }
    }

    private void remember(List<X509Certificate> path, long validatedAt) {
        long until = validatedAt + REMEMBER_MILLIS;
        for (X509Certificate c : path) {
            until = Math.min(until, c.getNotAfter().getTime());
        }
        if (recentlyValid.size() >= REMEMBERED_CHAINS) {
            recentlyValid.clear(); // bounded; a full map is rare enough (that many clients within a minute) to start over
        }
        recentlyValid.put(List.copyOf(path), new Interval(validatedAt, until));
    }

    private void validatePath(CertPath certPath, List<X509Certificate> path, Date now, boolean checkRevocation)
            throws GeneralSecurityException {
        PKIXParameters params = new PKIXParameters(anchors);
        params.setDate(now);
        CertPathValidator validator = CertPathValidator.getInstance("PKIX");
        if (checkRevocation) {
            PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
            Set<PKIXRevocationChecker.Option> options = EnumSet.noneOf(PKIXRevocationChecker.Option.class);
            switch (revocation.mode()) {
                case CRL -> options.addAll(List.of(PKIXRevocationChecker.Option.PREFER_CRLS, PKIXRevocationChecker.Option.NO_FALLBACK));
                case OCSP -> options.add(PKIXRevocationChecker.Option.NO_FALLBACK);
                case CRL_THEN_OCSP -> options.add(PKIXRevocationChecker.Option.PREFER_CRLS);
                default -> { } // OCSP first, CRLs as the fallback: the JDK's default
            }
            checker.setOptions(options);
            revocation.ocspResponder().ifPresent(checker::setOcspResponder);
            params.addCertPathChecker(checker);
            params.setRevocationEnabled(true);
            if (crls != null) {
                params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls.crlsFor(path))));
            }
        } else {
            params.setRevocationEnabled(false);
        }
        validator.validate(certPath, params);
    }

    /** Whether {@code certificate} lists {@code oid} in its extended key usage. */
    public static boolean hasExtendedKeyUsage(X509Certificate certificate, String oid) {
        try {
            List<String> ekus = certificate.getExtendedKeyUsage();
            return ekus != null && ekus.contains(oid);
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
    }

    private static String checkExtendedKeyUsage(X509Certificate leaf) {
        try {
            List<String> ekus = leaf.getExtendedKeyUsage();
            if (ekus != null && !ekus.contains(CLIENT_AUTH) && !ekus.contains(ANY_EKU)) {
                return "the client certificate's extended key usage does not allow TLS client authentication";
            }
            return null;
        } catch (CertificateParsingException e) {
            return "the client certificate's extended key usage extension is malformed";
        }
    }

    private static String describe(CertPathValidatorException e) {
        CertPathValidatorException.Reason reason = e.getReason();
        if (reason == CertPathValidatorException.BasicReason.EXPIRED) {
            return "the client certificate (or a CA certificate in its chain) has expired";
        }
        if (reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return "the client certificate (or a CA certificate in its chain) is not yet valid";
        }
        if (reason == CertPathValidatorException.BasicReason.REVOKED) {
            return REVOKED;
        }
        if (reason == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS) {
            return "the revocation status of the client certificate cannot be determined";
        }
        if (reason == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
            return "a signature in the client certificate chain does not verify";
        }
        return "the client certificate was not issued by a CA trusted for EST client authentication";
    }
}

package org.est4j.war.localca;

import java.io.IOException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.bouncycastle.asn1.x509.GeneralNames;

import org.est4j.spi.CaCertificates;
import org.est4j.spi.CaCertificatesRequest;
import org.est4j.spi.CaException;
import org.est4j.spi.CaService;
import org.est4j.spi.CaUnavailableException;
import org.est4j.spi.CertificateStatus;
import org.est4j.spi.CertificateStatusRequest;
import org.est4j.spi.CertificateExtension;
import org.est4j.spi.CertificationRequest;
import org.est4j.spi.CsrAttributes;
import org.est4j.spi.CsrAttributesRequest;
import org.est4j.spi.CrlRequest;
import org.est4j.spi.CsrRejectedException;
import org.est4j.spi.EnrollmentForbiddenException;
import org.est4j.spi.EnrollmentRequest;
import org.est4j.spi.EnrollmentResult;
import org.est4j.spi.Issued;
import org.est4j.spi.Pending;
import org.est4j.spi.RevocationRequest;
import org.est4j.spi.UnknownLabelException;
import org.est4j.jaxrs.events.Decision;
import org.est4j.war.Est4jRuntime;
import org.est4j.war.audit.AuditLog;
import org.est4j.war.config.CaSettings;

/**
 * The embedded local CA as est4j's default {@link CaService}. It issues every authenticated,
 * well-formed request at once, unless its CA is configured for manual approval; a request whose
 * authentication was incomplete (RFC 7030 section 3.7) always waits in the {@link ApprovalQueue} for an
 * administrator ({@link org.est4j.war.Admin}). Issued certificates take subject, public key and subjectAltName from the CSR; key usage, extended key
 * usage and validity from {@code est4j.properties}. Other requested extensions are ignored.
 *
 * <p>To use your own CA instead, deploy a {@code CaService} bean annotated
 * {@code @Alternative @Priority(100)}: a globally enabled alternative replaces this bean.
 */
@ApplicationScoped
public class LocalCaService implements CaService {

    private static final String SUBJECT_ALT_NAME = "2.5.29.17";

    @Inject
    Est4jRuntime runtime;

    @Override
    public CaCertificates caCertificates(CaCertificatesRequest request) throws CaException {
        // during a rollover's overlap: NewWithNew, NewWithOld, OldWithNew (RFC 7030 section 4.1.3)
        return new CaCertificates(ca(request.label()).caCertificates());
    }

    @Override
    public EnrollmentResult enroll(EnrollmentRequest request) throws CaException {
        LocalCa ca = ca(request.label());
        CaSettings settings = runtime.caSettings(ca.name());
        CertificationRequest csr = request.csr();
        settings.requestPolicy().check(csr);
        GeneralNames sans = csr.requestedExtension(SUBJECT_ALT_NAME).map(CertificateExtension::value)
                .map(GeneralNames::getInstance).orElse(null);
        LocalCa.Profile profile = new LocalCa.Profile(csr.subject(), csr.publicKey(), sans, settings.extendedKeyUsages());
        try {
            if (!request.client().isAuthenticated() || settings.manualApproval()) {
                return throughApproval(ca, settings, request, profile);
            }
            return new Issued(ca.issue(profile), List.of(ca.certificate()));
        } catch (IOException e) {
            throw new CaUnavailableException("the local CA cannot record the certificate right now", Est4jRuntime.RETRY_AFTER, e);
        } catch (LocalCa.UnsignableRequestException e) {
            throw new CsrRejectedException("the local CA cannot make a certificate of this request (its names or extensions)", e);
        }
    }

    /**
     * A request that needs a person's decision: issued once approved, refused once rejected, otherwise
     * queued (once) and answered "pending".
     */
    private EnrollmentResult throughApproval(LocalCa ca, CaSettings settings, EnrollmentRequest request, LocalCa.Profile profile)
            throws IOException, CaException {
        ApprovalQueue queue = ca.approvals();
        String id = ApprovalQueue.idOf(request.client(), request.csr().der());
        Optional<Issued> issued = queue.issueIfApproved(id, () -> {
            X509Certificate certificate = ca.issue(profile);
            return new ApprovalQueue.IssuedRecord<>(new Issued(certificate, List.of(ca.certificate())),
                    certificate.getSerialNumber().toString(16));
        });
        if (issued.isPresent()) {
            return issued.get();
        }
        if (queue.state(id) == ApprovalQueue.State.REJECTED) {
            throw new EnrollmentForbiddenException("an administrator rejected this request (id " + id + ")");
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("ca", ca.name());
        details.put("label", request.label().orElse(""));
        details.put("subject", request.csr().subject().getName());
        details.put("subject-alt-names", request.csr().subjectAltNames().toString());
        details.put("key", request.csr().publicKey().getAlgorithm());
        details.put("client", ApprovalQueue.describe(request.client()));
        details.putAll(ApprovalQueue.identityDetails(request.client()));
        request.client().unverified().ifPresent(u -> details.put("why", "incomplete authentication: " + u.reason()));
        if (request.client().isAuthenticated()) {
            details.put("why", "this CA approves every request manually");
        }
        details.put("remote-address", request.client().remoteAddress());
        details.put("csr", java.util.Base64.getEncoder().encodeToString(request.csr().der()));
        queue.submit(id, details);
        return new Pending(Duration.ofSeconds(settings.retryAfterSeconds()));
    }

    /**
     * CMC revokeRequest: allowed to the holder of the certificate (the TLS client certificate with that
     * issuer and serial) and to a registration authority (a validated TLS certificate with
     * {@code id-kp-cmcRA}). Recorded durably before the reply; from then on the certificate authenticates
     * nothing ({@link #certificateStatus}). Revoking a revoked certificate again succeeds and changes nothing.
     */
    @Override
    public void revoke(RevocationRequest request) throws CaException {
        LocalCa ca = ca(request.label());
        try {
            revoke(ca, request);
        } catch (CaException e) {
            AuditLog.record(Decision.administrative(Decision.Outcome.REFUSED, "fullcmc", ca.name(), Optional.empty(),
                    Optional.of(request.serialNumber()), "revocation refused: " + e.getMessage(), Optional.empty()).by(request.client()));
            throw e;
        }
        AuditLog.revoked("fullcmc", ca.name(), request.serialNumber(), null, // the client's fields say who
                AuditLog.reasonName(request.reason()), Optional.of(request.client()));
    }

    private void revoke(LocalCa ca, RevocationRequest request) throws CaException {
        if (!ca.certificate().getSubjectX500Principal().equals(request.issuer())) {
            throw new CsrRejectedException("this CA is " + ca.certificate().getSubjectX500Principal().getName()
                    + ", not the issuer named in the revocation request");
        }
        if (!hasIssued(ca, request.serialNumber())) {
            throw new CsrRejectedException("this CA has issued no certificate with serial " + request.serialNumber().toString(16));
        }
        if (!request.askedByHolderOrRegistrationAuthority()) {
            throw new EnrollmentForbiddenException("only the holder of the certificate (as TLS client certificate) "
                    + "or a registration authority may revoke it");
        }
        try {
            ca.revocations().record(request.serialNumber(), request.reason(), ApprovalQueue.describe(request.client()));
        } catch (IOException e) {
            throw new CaUnavailableException("the local CA cannot record the revocation right now", Est4jRuntime.RETRY_AFTER, e);
        }
    }

    /**
     * Revoked when this CA's revocations say so (recorded by CMC or by {@code Admin revoke}, through any instance);
     * good when this CA issued it; unknown when no local CA issued it.
     */
    @Override
    public CertificateStatus certificateStatus(CertificateStatusRequest request) throws CaException {
        X509Certificate certificate = request.certificate();
        for (LocalCa ca : runtime.localCas()) {
            if (ca.isIssuerOf(certificate)) {
                try {
                    Optional<Revocations.Revocation> revocation = ca.revocations().find(certificate.getSerialNumber());
                    if (revocation.isPresent()) {
                        return CertificateStatus.revoked(revocation.get().time(), revocation.get().reason());
                    }
                } catch (IOException e) {
                    throw new CaUnavailableException("the local CA cannot read its revocations right now", Est4jRuntime.RETRY_AFTER, e);
                }
                return hasIssued(ca, certificate.getSerialNumber()) ? CertificateStatus.good() : CertificateStatus.unknown();
            }
        }
        return CertificateStatus.unknown();
    }

    /**
     * RFC 8295 section 4: the current CRL of the CA serving the label (of each of its keys during a rollover's overlap), never none (an empty CRL still tells a relying
     * party that nothing is revoked, and until when).
     */
    @Override
    public List<X509CRL> crls(CrlRequest request) throws CaException {
        LocalCa ca = ca(request.label());
        try {
            return ca.crls(); // during a rollover's overlap, the CRL of each key
        } catch (IOException e) {
            throw new CaUnavailableException("the local CA cannot issue its CRL right now", Est4jRuntime.RETRY_AFTER, e);
        }
    }

    private static boolean hasIssued(LocalCa ca, java.math.BigInteger serial) throws CaUnavailableException {
        try {
            return ca.hasIssued(serial);
        } catch (IOException e) {
            throw new CaUnavailableException("the local CA cannot read its records right now", Est4jRuntime.RETRY_AFTER, e);
        }
    }


    @Override
    public Optional<CsrAttributes> csrAttributes(CsrAttributesRequest request) throws CaException {
        return Optional.of(runtime.caSettings(ca(request.label()).name()).csrAttributes());
    }

    private LocalCa ca(Optional<String> label) throws UnknownLabelException {
        return runtime.localCa(label).orElseThrow(() -> new UnknownLabelException(label.orElse("")));
    }
}

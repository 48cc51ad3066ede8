package org.est4j.war.localca;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.bouncycastle.asn1.x509.GeneralNames;
import org.est4j.spi.CaCertificates;
import org.est4j.spi.CaCertificatesRequest;
import org.est4j.spi.CaException;
import org.est4j.spi.CaService;
import org.est4j.spi.CaUnavailableException;
import org.est4j.spi.CertificateExtension;
import org.est4j.spi.CertificationRequest;
import org.est4j.spi.CsrAttributes;
import org.est4j.spi.CsrAttributesRequest;
import org.est4j.spi.CsrRejectedException;
import org.est4j.spi.EnrollmentRequest;
import org.est4j.spi.EnrollmentResult;
import org.est4j.spi.Issued;
import org.est4j.spi.UnknownLabelException;
import org.est4j.war.Est4jRuntime;

/**
 * The embedded local CA as est4j's default {@link CaService}. It issues every authenticated,
 * well-formed request: subject, public key and subjectAltName from the CSR; key usage, extended key
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
        return new CaCertificates(List.of(ca(request.label()).certificate()));
    }

    @Override
    public EnrollmentResult enroll(EnrollmentRequest request) throws CaException {
        LocalCa ca = ca(request.label());
        CertificationRequest csr = request.csr();
        GeneralNames sans = csr.requestedExtension(SUBJECT_ALT_NAME).map(CertificateExtension::value)
                .map(GeneralNames::getInstance).orElse(null);
        if (csr.subject().getEncoded().length <= 2 && sans == null) {
            throw new CsrRejectedException("the request has neither a subject nor a subjectAltName");
        }
        try {
            return new Issued(ca.issue(new LocalCa.Profile(csr.subject(), csr.publicKey(), sans,
                    runtime.caSettings(ca.name()).extendedKeyUsages())), List.of(ca.certificate()));
        } catch (IOException e) {
            throw new CaUnavailableException("the local CA cannot record the certificate right now", null, e);
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

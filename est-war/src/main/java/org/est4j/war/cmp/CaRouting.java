package org.est4j.war.cmp;

import java.security.cert.X509CRL;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import org.est4j.spi.CaCertificates;
import org.est4j.spi.CaCertificatesRequest;
import org.est4j.spi.CaException;
import org.est4j.spi.CaService;
import org.est4j.spi.CertificateStatus;
import org.est4j.spi.CertificateStatusRequest;
import org.est4j.spi.CrlRequest;
import org.est4j.spi.CsrAttributes;
import org.est4j.spi.CsrAttributesRequest;
import org.est4j.spi.EnrollmentRequest;
import org.est4j.spi.EnrollmentResult;
import org.est4j.spi.ReenrollmentRequest;
import org.est4j.spi.RevocationRequest;
import org.est4j.spi.ServerKeyGenRequest;
import org.est4j.spi.ServerKeyGenResult;
import org.est4j.war.Est4jRuntime;
import org.est4j.war.localca.LocalCaService;

/**
 * The {@link CaService} est4j's protocol layer talks to: each request goes to the CA its label names, a
 * {@link CmpUpstream} for a CA of {@code ca.<name>.type = cmp} and the built-in {@link LocalCaService} for every other.
 *
 * <p>An alternative of low priority, so that it wins over {@link LocalCaService} (a default bean of the same type) while
 * an operator's own {@code CaService} ({@code @Alternative @Priority(100)}) still replaces both.
 */
@ApplicationScoped
@Alternative
@Priority(10)
public class CaRouting implements CaService {

    @Inject
    Est4jRuntime runtime;

    @Inject
    LocalCaService local;

    private CaService ca(Optional<String> label) {
        return runtime.cmpUpstream(label).<CaService>map(u -> u).orElse(local);
    }

    @Override
    public CaCertificates caCertificates(CaCertificatesRequest request) throws CaException {
        return ca(request.label()).caCertificates(request);
    }

    @Override
    public EnrollmentResult enroll(EnrollmentRequest request) throws CaException {
        return ca(request.label()).enroll(request);
    }

    @Override
    public EnrollmentResult reenroll(ReenrollmentRequest request) throws CaException {
        return ca(request.label()).reenroll(request);
    }

    @Override
    public Optional<CsrAttributes> csrAttributes(CsrAttributesRequest request) throws CaException {
        return ca(request.label()).csrAttributes(request);
    }

    @Override
    public ServerKeyGenResult serverKeyGen(ServerKeyGenRequest request) throws CaException {
        return ca(request.label()).serverKeyGen(request);
    }

    @Override
    public CertificateStatus certificateStatus(CertificateStatusRequest request) throws CaException {
        return ca(request.label()).certificateStatus(request);
    }

    @Override
    public void revoke(RevocationRequest request) throws CaException {
        ca(request.label()).revoke(request);
    }

    @Override
    public List<X509CRL> crls(CrlRequest request) throws CaException {
        return ca(request.label()).crls(request);
    }
}

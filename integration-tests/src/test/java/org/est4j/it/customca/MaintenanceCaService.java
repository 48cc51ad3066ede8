package org.est4j.it.customca;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.est4j.spi.CaCertificates;
import org.est4j.spi.CaCertificatesRequest;
import org.est4j.spi.CaException;
import org.est4j.spi.CaService;
import org.est4j.spi.CaUnavailableException;
import org.est4j.spi.CsrAttributes;
import org.est4j.spi.CsrAttributesRequest;
import org.est4j.spi.EnrollmentForbiddenException;
import org.est4j.spi.EnrollmentRequest;
import org.est4j.spi.EnrollmentResult;
import org.est4j.spi.Pending;

/**
 * A user's own CA, packaged the way the README tells users to: a jar in WEB-INF/lib with META-INF/beans.xml
 * and a global alternative. Its answers are ones the embedded local CA never gives, so the tests can see that
 * it replaced the local CA: every enrollment is pending (202, Retry-After: 42) unless the subject is
 * CN=forbidden (403), and /cacerts is down for maintenance (503, Retry-After: 30).
 */
@ApplicationScoped
@Alternative
@Priority(100)
public class MaintenanceCaService implements CaService {

    @Override
    public CaCertificates caCertificates(CaCertificatesRequest request) throws CaException {
        throw new CaUnavailableException("the CA is down for maintenance", Duration.ofSeconds(30), null);
    }

    /** RFC 7030 section 4.5.2's example attributes. */
    @Override
    public Optional<CsrAttributes> csrAttributes(CsrAttributesRequest request) {
        return Optional.of(new CsrAttributes(List.of(new CsrAttributes.Oid("1.2.840.113549.1.9.7"),
                new CsrAttributes.Attribute("1.2.840.10045.2.1", List.of("1.3.132.0.34")),
                new CsrAttributes.Attribute("1.2.840.113549.1.9.14", List.of("1.3.6.1.1.1.1.22")),
                new CsrAttributes.Oid("1.2.840.10045.4.3.3"))));
    }

    @Override
    public EnrollmentResult enroll(EnrollmentRequest request) throws CaException {
        if (request.csr().subject().getName().equals("CN=forbidden")) {
            throw new EnrollmentForbiddenException("CN=forbidden may not be enrolled by " + request.client().username().orElse("?"));
        }
        return new Pending(Duration.ofSeconds(42));
    }
}

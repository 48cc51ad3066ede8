package org.est4j.it.customca;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.est4j.spi.CaCertificates;
import org.est4j.spi.CaCertificatesRequest;
import org.est4j.spi.CaException;
import org.est4j.spi.CaService;
import org.est4j.spi.CaUnavailableException;
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

    @Override
    public EnrollmentResult enroll(EnrollmentRequest request) throws CaException {
        if (request.csr().subject().getName().equals("CN=forbidden")) {
            throw new EnrollmentForbiddenException("CN=forbidden may not be enrolled by " + request.client().username().orElse("?"));
        }
        return new Pending(Duration.ofSeconds(42));
    }
}

package org.est4j.jaxrs;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.est4j.jaxrs.packages.CrlDistribution;
import org.est4j.jaxrs.packages.PackageDistribution;
import org.est4j.jaxrs.packages.PackageReturns;
import org.est4j.jaxrs.policy.Labels;
import org.est4j.spi.CaService;
import org.est4j.spi.PackageService;

/**
 * {@code /.well-known/est} (RFC 7030 section 3.2.2): the operations without a CA label are this class's own
 * (inherited from {@link EstOperations}); a first path segment that is not an operation is a label, and the
 * same operations are served for it by a sub-resource. JAX-RS prefers the literal operation paths to the
 * {@code {label}} template, and {@link Labels} forbids labels that equal an operation name.
 */
@Path("")
@ApplicationScoped
public class EstResource extends EstOperations {

    @Inject
    CaService ca;

    @Inject
    Instance<PackageService> packageServices;

    @Inject
    EstEndpointConfig config;

    private EnrollmentHandler handler;
    private PackageDistribution distribution;
    private PackageReturns returns;
    private CrlDistribution crlDistribution;

    @PostConstruct
    void init() {
        handler = new EnrollmentHandler(ca, config);
        // Package distribution is optional: a deployment without a PackageService bean serves none (204s).
        PackageService packages = packageServices.isResolvable() ? packageServices.get() : PackageDistribution.NONE;
        distribution = new PackageDistribution(ca, packages, config);
        returns = new PackageReturns(packages, config, ca::certificateStatus);
        crlDistribution = new CrlDistribution(ca, config);
    }

    /** The operations for one CA label. */
    @Path("{label}")
    public EstOperations labelled(@PathParam("label") String label) {
        return new EstOperations(Labels.require(label), this);
    }

    @Override
    EstResource root() {
        return this;
    }

    /** For {@link CaCertificatesFilter}, which serves {@code /cacerts} with the same handler. */
    EnrollmentHandler handler() {
        return handler;
    }

    PackageDistribution distribution() {
        return distribution;
    }

    PackageReturns returns() {
        return returns;
    }

    CrlDistribution crlDistribution() {
        return crlDistribution;
    }
}

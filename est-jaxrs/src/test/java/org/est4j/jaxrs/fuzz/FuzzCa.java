package org.est4j.jaxrs.fuzz;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import org.est4j.jaxrs.TestPki;
import org.est4j.jaxrs.codec.BouncyCastle;
import org.est4j.spi.CaCertificates;
import org.est4j.spi.CaCertificatesRequest;
import org.est4j.spi.CaException;
import org.est4j.spi.CaService;
import org.est4j.spi.CsrRejectedException;
import org.est4j.spi.EnrollmentRequest;
import org.est4j.spi.EnrollmentResult;
import org.est4j.spi.Issued;
import org.est4j.spi.Pending;
import org.est4j.spi.RevocationRequest;

/**
 * A CaService for fuzzing (after cmc/InMemoryCa, without its recording lists, which would grow for
 * the millions of executions of a fuzzing run): issues whatever it is asked, answers Pending for a
 * subject containing "pending", accepts every revocation. Like a real CA, it refuses with a
 * CaException what it cannot certify, so that only est4j's own failures surface as findings.
 */
final class FuzzCa implements CaService {

    private static final AtomicLong SERIALS = new AtomicLong(90_000);

    private final TestPki.Ca ca;

    FuzzCa(TestPki.Ca ca) {
        this.ca = ca;
    }

    @Override
    public CaCertificates caCertificates(CaCertificatesRequest request) {
        return new CaCertificates(List.of(ca.certificate()));
    }

    @Override
    public EnrollmentResult enroll(EnrollmentRequest request) throws CaException {
        if (request.csr().subject().getName().toLowerCase(java.util.Locale.ROOT).contains("pending")) {
            return new Pending(Duration.ofSeconds(300));
        }
        X509Certificate issued;
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(),
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(Instant.now().minusSeconds(60)),
                    Date.from(Instant.now().plus(Duration.ofDays(1))), request.csr().subject(), request.csr().publicKey());
            issued = new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER).getCertificate(b.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.PROVIDER).build(ca.key().getPrivate())));
        } catch (Exception e) {
            throw new CsrRejectedException("the test CA cannot certify this request: " + e.getClass().getSimpleName());
        }
        return new Issued(issued, List.of(ca.certificate()));
    }

    @Override
    public void revoke(RevocationRequest request) {
        // accepted
    }
}

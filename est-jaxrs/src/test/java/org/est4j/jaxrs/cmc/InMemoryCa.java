package org.est4j.jaxrs.cmc;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.est4j.spi.EnrollmentRequest;
import org.est4j.spi.EnrollmentResult;
import org.est4j.spi.Issued;
import org.est4j.spi.Pending;
import org.est4j.spi.RevocationRequest;

/**
 * A CaService for tests: issues with BouncyCastle, records what it was asked, and can be told to
 * answer Pending or to throw.
 */
final class InMemoryCa implements CaService {

    private static final AtomicLong SERIALS = new AtomicLong(5000);

    final TestPki.Ca ca = TestPki.ca("CMC Test CA");
    final List<EnrollmentRequest> enrollments = new ArrayList<>();
    final List<RevocationRequest> revocations = new ArrayList<>();

    /** When set, enroll answers Pending with this delay. */
    Duration pending;
    /** When set, enroll and revoke throw it. */
    CaException failure;
    /** Whether revoke is implemented (otherwise the SPI's default refuses it). */
    boolean revokes;

    @Override
    public CaCertificates caCertificates(CaCertificatesRequest request) {
        return new CaCertificates(List.of(ca.certificate()));
    }

    @Override
    public synchronized EnrollmentResult enroll(EnrollmentRequest request) throws CaException {
        enrollments.add(request);
        if (failure != null) {
            throw failure;
        }
        if (pending != null) {
            return new Pending(pending);
        }
        return new Issued(issue(request), List.of(ca.certificate()));
    }

    @Override
    public synchronized void revoke(RevocationRequest request) throws CaException {
        if (!revokes) {
            CaService.super.revoke(request);
        }
        revocations.add(request);
        if (failure != null) {
            throw failure;
        }
    }

    private X509Certificate issue(EnrollmentRequest request) {
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(),
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(Instant.now().minusSeconds(60)),
                    Date.from(Instant.now().plus(Duration.ofDays(1))), request.csr().subject(), request.csr().publicKey());
            return new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER).getCertificate(b.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.PROVIDER)
                            .build(ca.key().getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

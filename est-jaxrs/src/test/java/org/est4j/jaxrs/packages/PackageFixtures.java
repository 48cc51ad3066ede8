package org.est4j.jaxrs.packages;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import org.est4j.jaxrs.TestPki;
import org.est4j.jaxrs.codec.BouncyCastle;
import org.est4j.spi.CaCertificates;
import org.est4j.spi.CaCertificatesRequest;
import org.est4j.spi.CaService;
import org.est4j.spi.CrlRequest;
import org.est4j.spi.CsrAttributes;
import org.est4j.spi.CsrAttributesRequest;
import org.est4j.spi.DistributedPackage;
import org.est4j.spi.EnrollmentRequest;
import org.est4j.spi.EnrollmentResult;
import org.est4j.spi.PackageKind;
import org.est4j.spi.PackageRequest;
import org.est4j.spi.PackageReturn;
import org.est4j.spi.PackageService;
import org.est4j.spi.ReenrollmentRequest;

/** The CA, certificates and packages the package tests hand out; built with BouncyCastle, read back without it. */
final class PackageFixtures {

    /** A CA whose name needs escaping everywhere: RFC 4514 specials, XML markup, JSON quotes, a JavaScript line break. */
    static final TestPki.Ca CA = hostileCa();

    private PackageFixtures() {
    }

    private static TestPki.Ca hostileCa() {
        try {
            KeyPair key = TestPki.ecKey();
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "est4j")
                    .addRDN(BCStyle.CN, "Hostile \"CA\" <&> \\ ; \u2028 end").build();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(77),
                    Date.from(Instant.now().minus(Duration.ofDays(1))), Date.from(Instant.now().plus(Duration.ofDays(365))),
                    name, key.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            X509Certificate cert = new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER).getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.PROVIDER).build(key.getPrivate())));
            return new TestPki.Ca(key, cert);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsaKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client certificate from {@link #CA} that ends in {@code days}. */
    static X509Certificate client(String subject, KeyPair key, int days) {
        return TestPki.issue(CA, subject, key.getPublic(), Instant.now().minus(Duration.ofDays(300)),
                Instant.now().plus(Duration.ofDays(days)), null, KeyPurposeId.id_kp_clientAuth);
    }

    static X509CRL crl(boolean onlyCaCertificates) {
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(X500Name.getInstance(CA.certificate().getSubjectX500Principal().getEncoded()),
                    new Date());
            b.setNextUpdate(Date.from(Instant.now().plus(Duration.ofDays(7))));
            if (onlyCaCertificates) {
                b.addExtension(Extension.issuingDistributionPoint, true,
                        new IssuingDistributionPoint(null, false, true, null, false, false));
            }
            return new JcaX509CRLConverter().setProvider(BouncyCastle.PROVIDER).getCRL(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.PROVIDER).build(CA.key().getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A DER ContentInfo of SignedData over {@code content} of {@code type}, signed by {@code signer} (an operator's package). */
    static byte[] signed(String type, byte[] content, TestPki.Ca signer) {
        try {
            CMSSignedDataGenerator g = new CMSSignedDataGenerator();
            g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.key().getPrivate()), signer.certificate()));
            g.addCertificates(new JcaCertStore(List.of(signer.certificate())));
            return g.generate(new CMSProcessableByteArray(new ASN1ObjectIdentifier(type), content), true).toASN1Structure()
                    .getEncoded("DER");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code SymmetricKeyPackage ::= SEQUENCE { sKeys SEQUENCE OF OneSymmetricKey { sKey OCTET STRING } }} (version v1 by default). */
    static byte[] symmetricKeyPackage(byte[] key) {
        try {
            return new DERSequence(new DERSequence(new DERSequence(new DEROctetString(key)))).getEncoded("DER");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CA serving {@link #CA}, two CRLs (an ARL first) and, on label {@code iot}, CSR attributes. */
    static final class Ca implements CaService {
        List<X509CRL> crls = List.of(crl(true), crl(false));

        @Override
        public CaCertificates caCertificates(CaCertificatesRequest request) {
            return new CaCertificates(List.of(CA.certificate()));
        }

        @Override
        public EnrollmentResult enroll(EnrollmentRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public EnrollmentResult reenroll(ReenrollmentRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<X509CRL> crls(CrlRequest request) {
            return crls;
        }

        @Override
        public Optional<CsrAttributes> csrAttributes(CsrAttributesRequest request) {
            return request.label().equals(Optional.of("iot"))
                    ? Optional.of(new CsrAttributes(List.of(new CsrAttributes.Oid("1.2.840.113549.1.9.7")))) : Optional.empty();
        }
    }

    /**
     * Packages in memory: label-wide end-entity certificates for anyone, the rest for authenticated clients only.
     * Records what it was asked.
     */
    static final class Packages implements PackageService {
        final List<DistributedPackage> labelWide = new ArrayList<>();
        final Map<PackageKind, List<DistributedPackage>> perClient = new EnumMap<>(PackageKind.class);
        final List<PackageRequest> asked = new ArrayList<>();

        Packages add(DistributedPackage p) {
            perClient.computeIfAbsent(p.kind(), k -> new ArrayList<>()).add(p);
            return this;
        }

        @Override
        public List<DistributedPackage> packages(PackageRequest request) {
            asked.add(request);
            List<DistributedPackage> found = new ArrayList<>(request.kind() == PackageKind.EE_CERTIFICATES ? labelWide : List.of());
            if (request.client().isAuthenticated()) {
                found.addAll(perClient.getOrDefault(request.kind(), List.of()));
            }
            return found;
        }

        @Override
        public void recordReturn(PackageReturn returned) {
            throw new UnsupportedOperationException();
        }
    }
}

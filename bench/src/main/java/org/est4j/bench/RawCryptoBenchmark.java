package org.est4j.bench;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cryptographic floor of one enrollment, without HTTP, TLS or authentication.
 *
 * <ul>
 *   <li>{@code raw}: verify the PKCS#10 signature and sign one end-entity certificate;</li>
 *   <li>{@code enrollPath}: base64-decode the CSR, parse, verify, build and sign the certificate,
 *       wrap it in a CMS certs-only message and base64-encode it (what /simpleenroll does minus I/O).</li>
 * </ul>
 * Run through {@link RawCryptoMain}; a provider that does not load here fails its setup and JMH moves on.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RawCryptoBenchmark {

    @Param({"bouncycastle", "jdk", "accp", "conscrypt"})
    public String provider;

    @Param({"EC-P256", "RSA-3072"})
    public String caKey;

    @Param({"EC-P256", "RSA-2048"})
    public String csrKey;

    private Provider jca;
    private Issuer issuer;
    private String csrBase64;
    private PKCS10CertificationRequest csr;
    private String csrFamily;
    private final AtomicLong serial = new AtomicLong(1);

    static KeyPair generate(String spec) throws Exception {
        KeyPairGenerator g;
        switch (spec) {
            case "EC-P256":
                g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                break;
            case "RSA-2048":
                g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                break;
            case "RSA-3072":
                g = KeyPairGenerator.getInstance("RSA");
                g.initialize(3072);
                break;
            default:
                throw new IllegalArgumentException(spec);
        }
        return g.generateKeyPair();
    }

    @Setup
    public void setup() throws Exception {
        jca = Providers.load(provider); // throws when unavailable: JMH reports it and goes on
        KeyPair ca = generate(caKey);
        String caFamily = Providers.family(ca.getPublic().getAlgorithm());
        X500Name caName = new X500Name("CN=bench CA");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder cb = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE,
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(3650))), caName, ca.getPublic());
        cb.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        X509CertificateHolder caCert = cb.build(new JcaContentSignerBuilder(Providers.signatureAlgorithm(caFamily)).build(ca.getPrivate()));
        issuer = new Issuer(caCert, ca.getPrivate().getEncoded(), jca);

        KeyPair ee = generate(csrKey);
        csrFamily = Providers.family(ee.getPublic().getAlgorithm());
        csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=bench-1"), ee.getPublic())
                .build(new JcaContentSignerBuilder(Providers.signatureAlgorithm(csrFamily)).build(ee.getPrivate()));

        csrBase64 = Base64.getMimeEncoder().encodeToString(csr.getEncoded());
        // fail here rather than in the measurement when the provider cannot do this combination
        raw();
        enrollPath();
    }

    private ContentVerifierProvider verifier(PKCS10CertificationRequest request) throws Exception {
        PublicKey key = Providers.publicKey(request.getSubjectPublicKeyInfo().getEncoded(), csrFamily, jca);
        JcaContentVerifierProviderBuilder b = new JcaContentVerifierProviderBuilder();
        return (jca == null ? b : b.setProvider(jca)).build(key);
    }

    private X509CertificateHolder verifyAndSign(PKCS10CertificationRequest request) throws Exception {
        if (!request.isSignatureValid(verifier(request))) {
            throw new IllegalStateException("CSR signature does not verify");
        }
        return issuer.issue(BigInteger.valueOf(serial.incrementAndGet()), request.getSubject(),
                request.getSubjectPublicKeyInfo(), null);
    }

    @Benchmark
    public X509CertificateHolder raw() throws Exception {
        return verifyAndSign(csr);
    }

    @Benchmark
    public String enrollPath() throws Exception {
        PKCS10CertificationRequest request = new PKCS10CertificationRequest(Base64.getMimeDecoder().decode(csrBase64));
        X509CertificateHolder cert = verifyAndSign(request);
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        gen.addCertificate(cert);
        CMSSignedData certsOnly = gen.generate(new CMSAbsentContent());
        return Base64.getMimeEncoder().encodeToString(certsOnly.getEncoded());
    }
}

package org.est4j.jaxrs;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.est4j.jaxrs.codec.BouncyCastle;

/** Keys, certificates and requests for unit tests, made with BouncyCastle. */
public final class TestPki {

    private static final AtomicLong SERIALS = new AtomicLong(1000);

    private TestPki() {
    }

    public static KeyPair ecKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CA key with its self-signed certificate. */
    public record Ca(KeyPair key, X509Certificate certificate) {
        public X509Certificate issue(String subject, PublicKey publicKey, GeneralName[] sans, KeyPurposeId... ekus) {
            return TestPki.issue(this, subject, publicKey, Instant.now().minus(Duration.ofMinutes(5)),
                    Instant.now().plus(Duration.ofDays(30)), sans, ekus);
        }
    }

    public static Ca ca(String cn) {
        KeyPair key = ecKey();
        try {
            X500Name name = new X500Name("CN=" + cn);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(SERIALS.incrementAndGet()),
                    Date.from(Instant.now().minus(Duration.ofDays(1))), Date.from(Instant.now().plus(Duration.ofDays(365))),
                    name, key.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Ca(key, sign(b, key.getPrivate()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static X509Certificate issue(Ca ca, String subject, PublicKey publicKey, Instant notBefore, Instant notAfter,
                                        GeneralName[] sans, KeyPurposeId... ekus) {
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(),
                    BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                    new X500Name(subject), publicKey);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            if (sans != null && sans.length > 0) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            }
            if (ekus.length > 0) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(ekus));
            }
            return sign(b, ca.key().getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed end-entity certificate, as an attacker could make. */
    public static X509Certificate selfSigned(String subject, KeyPair key) {
        try {
            X500Name name = new X500Name(subject);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                    Date.from(Instant.now().minus(Duration.ofDays(1))), Date.from(Instant.now().plus(Duration.ofDays(1))),
                    name, key.getPublic());
            return sign(b, key.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER)
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.PROVIDER).build(key)));
    }

    /** A DER PKCS#10 request signed by {@code key}, with optional SANs and extra attributes (OID, value pairs). */
    public static byte[] csr(KeyPair key, String subject, GeneralName[] sans, Object... attributes) {
        try {
            PKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key.getPublic());
            if (sans != null && sans.length > 0) {
                ExtensionsGenerator ext = new ExtensionsGenerator();
                ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
                b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate());
            }
            for (int i = 0; i < attributes.length; i += 2) {
                b.addAttribute((ASN1ObjectIdentifier) attributes[i], (ASN1Encodable) attributes[i + 1]);
            }
            return b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.PROVIDER).build(key.getPrivate()))
                    .getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }
}

package org.est4j.bench;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signs end-entity certificates the way est4j's local CA does (basicConstraints, keyUsage, SKI, AKI;
 * SHA-256 with the CA's key), with an explicit provider instance (or the JDK's default lookup for
 * {@code null}). Thread-safe: a {@link ContentSigner} is made per certificate.
 *
 * <p>Why not {@code LocalCa} itself: the JMH benchmark measures the bare signature path with each provider
 * in turn, and the prior-issuances loader writes a million records with one fsync at the end; the local
 * CA's own path (serial reservation, group-committed fsync per issuance) is what the HTTP scenarios measure.
 */
public final class Issuer {

    private final X509CertificateHolder ca;
    private final PrivateKey caKey;
    private final JcaContentSignerBuilder signerBuilder;
    private final AuthorityKeyIdentifier aki;

    /**
     * @param ca        the CA certificate
     * @param caKeyDer  the CA private key, PKCS#8 DER (turned into a key of {@code provider})
     * @param provider  the JCA provider that signs, {@code null} for the JDK default
     */
    public Issuer(X509CertificateHolder ca, byte[] caKeyDer, Provider provider) throws GeneralSecurityException {
        this.ca = ca;
        String family = Providers.family(keyAlgorithm(ca.getSubjectPublicKeyInfo()));
        this.caKey = Providers.privateKey(caKeyDer, family, provider);
        JcaContentSignerBuilder b = new JcaContentSignerBuilder(Providers.signatureAlgorithm(family));
        this.signerBuilder = provider == null ? b : b.setProvider(provider);
        this.aki = new AuthorityKeyIdentifier(keyId(ca.getSubjectPublicKeyInfo()));
    }

    /** "EC" or "RSA" for an SPKI. */
    public static String keyAlgorithm(SubjectPublicKeyInfo spki) {
        String oid = spki.getAlgorithm().getAlgorithm().getId();
        if (oid.equals("1.2.840.10045.2.1")) {
            return "EC";
        }
        if (oid.equals("1.2.840.113549.1.1.1")) {
            return "RSA";
        }
        throw new IllegalArgumentException("unsupported key algorithm " + oid);
    }

    /** RFC 5280 method 1 key identifier: SHA-1 of the subjectPublicKey bits. */
    public static byte[] keyId(SubjectPublicKeyInfo spki) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(spki.getPublicKeyData().getBytes());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 1-year end-entity certificate for {@code spki}, {@code ski} precomputed or null. */
    public X509CertificateHolder issue(BigInteger serial, X500Name subject, SubjectPublicKeyInfo spki, byte[] ski)
            throws IOException, OperatorCreationException {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(ca.getSubject(), serial,
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(365))), subject, spki);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        boolean rsa = "RSA".equals(keyAlgorithm(spki));
        b.addExtension(Extension.keyUsage, true,
                new KeyUsage(rsa ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature));
        b.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(ski != null ? ski : keyId(spki)));
        b.addExtension(Extension.authorityKeyIdentifier, false, aki);
        return b.build(signerBuilder.build(caKey));
    }
}

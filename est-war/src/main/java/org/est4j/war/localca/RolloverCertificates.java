package org.est4j.war.localca;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.est4j.war.Pem;

/**
 * The three certificates of a root CA key update (RFC 4210 section 4.4, which RFC 7030 section 4.1.3 refers to), all
 * with the old root's subject name as subject and issuer, so that a relying party chains through them by name and key
 * identifier:
 * <ul>
 *   <li>{@code newWithNew}: the new root, self-signed, for clients to install as their trust anchor;</li>
 *   <li>{@code newWithOld}: the new public key signed by the old key, so a client that trusts only the old root
 *       validates certificates issued with the new key (valid no longer than the old root);</li>
 *   <li>{@code oldWithNew}: the old public key signed by the new key, so a client that already trusts only the new root
 *       validates certificates issued with the old key until the old root expires.</li>
 * </ul>
 * Each carries the subject key identifier of the key it certifies and the authority key identifier of the key that
 * signed it, which is how path builders (OpenSSL, the JDK) tell the three same-named certificates apart.
 *
 * @param newWithNew the new root
 * @param newWithOld the new key under the old
 * @param oldWithNew the old key under the new
 */
public record RolloverCertificates(X509Certificate newWithNew, X509Certificate newWithOld, X509Certificate oldWithNew) {

    /** As for every certificate est4j issues: a client whose clock is a little behind still accepts it. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /** The order of {@code /cacerts} during the overlap (the SPI's {@code CaCertificates}: the root first, links after). */
    public List<X509Certificate> inCaCertificatesOrder() {
        return List.of(newWithNew, newWithOld, oldWithNew);
    }

    /**
     * Makes the three certificates for a new key of the CA whose current root is {@code oldRoot}.
     *
     * @param oldRoot      the current root (self-signed)
     * @param oldSigner    a signer with the current root's key
     * @param newKey       the new public key
     * @param newSigner    a signer with the new private key
     * @param validityDays the new root's lifetime ({@code ca.<name>.validity-days})
     */
    static RolloverCertificates make(X509Certificate oldRoot, ContentSigner oldSigner, PublicKey newKey, ContentSigner newSigner,
                                     int validityDays, Instant now) throws GeneralSecurityException, CertIOException, OperatorCreationException {
        X500Principal name = oldRoot.getSubjectX500Principal();
        PublicKey oldKey = oldRoot.getPublicKey();
        // the old key's identifier as its root carries it, so that what it issued (AKI) and OldWithNew (SKI) agree
        byte[] oldId = keyIdentifier(oldRoot);
        byte[] newId = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(newKey).getKeyIdentifier();
        Date notBefore = Date.from(now.minus(CLOCK_SKEW));
        Date newNotAfter = Date.from(now.plus(Duration.ofDays(validityDays)));
        Date oldNotAfter = oldRoot.getNotAfter();
        X509Certificate newWithNew = Pem.toJdk(caCertificate(name, newKey, newId, newId, notBefore, newNotAfter).build(newSigner));
        // never valid beyond the key that vouches for it: after that date a client trusting only the old root has no path
        Date linkNotAfter = newNotAfter.before(oldNotAfter) ? newNotAfter : oldNotAfter;
        X509Certificate newWithOld = Pem.toJdk(caCertificate(name, newKey, newId, oldId, notBefore, linkNotAfter).build(oldSigner));
        X509Certificate oldWithNew = Pem.toJdk(caCertificate(name, oldKey, oldId, newId, notBefore, oldNotAfter).build(newSigner));
        return new RolloverCertificates(newWithNew, newWithOld, oldWithNew);
    }

    /** The key identifier of a CA certificate: its subject key identifier, or the SHA-1 one of RFC 5280 when it has none. */
    static byte[] keyIdentifier(X509Certificate ca) throws GeneralSecurityException {
        byte[] ski = ca.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ski != null) {
            return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ski).getOctets()).getKeyIdentifier();
        }
        return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(ca.getPublicKey()).getKeyIdentifier();
    }

    /**
     * A CA certificate as the local CA makes its root: subject = issuer = the CA's name, a fresh positive 16-octet
     * serial, CA basic constraints, keyCertSign and cRLSign, the subject key identifier {@code subjectKeyId} and the
     * authority key identifier {@code issuerKeyId} (the key identifier alone).
     */
    static JcaX509v3CertificateBuilder caCertificate(X500Principal name, PublicKey subjectKey, byte[] subjectKeyId, byte[] issuerKeyId,
                                                     Date notBefore, Date notAfter) throws CertIOException {
        BigInteger serial = new BigInteger(127, new SecureRandom()).setBit(126); // positive, 16 octets
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial, notBefore, notAfter, name, subjectKey);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(subjectKeyId));
        b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(issuerKeyId));
        return b;
    }
}

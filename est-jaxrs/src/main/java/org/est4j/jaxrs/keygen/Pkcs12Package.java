package org.est4j.jaxrs.keygen;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.codec.BouncyCastle;
import org.est4j.spi.CertificationRequest;

/**
 * The {@code application/pkcs12} reply of {@code /serverkeygen} (RFC 8295 section 8): an RFC 7292 PFX with the
 * generated private key, its certificate and the CA chain, protected by the password the client chose as the
 * request's {@code challengePassword}.
 *
 * <p>The algorithms are OpenSSL 3's defaults, so {@code openssl pkcs12} opens the file without {@code -legacy}
 * and so do current JDK keystores: PBES2 (PBKDF2 with HMAC-SHA256, AES-256-CBC) for the shrouded key bag and for
 * the encrypted certificate bags, and an HMAC-SHA256 integrity MAC. The password is never logged, and exists
 * here only as the char array the builders need.
 */
public final class Pkcs12Package {

    /** PBKDF2 and MAC iterations: OpenSSL 3's default ({@code PKCS12_DEFAULT_ITER}). */
    static final int ITERATIONS = 2048;

    private Pkcs12Package() {
    }

    /**
     * The password of a PKCS#12 reply: the request's challengePassword, checked before any key is generated.
     *
     * @throws EstProtocolException 400 when the request has none, or an empty one
     */
    public static char[] password(CertificationRequest template) {
        Optional<String> password = template.challengePassword();
        if (password.isEmpty() || password.get().isEmpty()) {
            throw EstProtocolException.badRequest("a PKCS#12 reply (Accept: application/pkcs12) is protected by the "
                    + "request's challengePassword attribute, and the request has " + (password.isEmpty() ? "none" : "an empty one"));
        }
        return password.get().toCharArray();
    }

    /**
     * The template as the CA is to see it: without the challengePassword, which here is the PKCS#12 password and
     * so a secret the CA has no use for — a CA that records requests (the local CA's approval queue keeps the DER)
     * would otherwise store it. The DER is re-encoded without the attribute; its signature no longer verifies,
     * which changes nothing: a {@code /serverkeygen} template's signature is never checked, and its key is replaced.
     */
    public static CertificationRequest withoutPassword(CertificationRequest template) {
        try {
            org.bouncycastle.asn1.pkcs.CertificationRequest csr = org.bouncycastle.asn1.pkcs.CertificationRequest.getInstance(template.der());
            CertificationRequestInfo info = csr.getCertificationRequestInfo();
            ASN1EncodableVector kept = new ASN1EncodableVector();
            if (info.getAttributes() != null) {
                for (ASN1Encodable attribute : info.getAttributes()) {
                    if (!Attribute.getInstance(attribute).getAttrType().equals(PKCSObjectIdentifiers.pkcs_9_at_challengePassword)) {
                        kept.add(attribute);
                    }
                }
            }
            byte[] der = new org.bouncycastle.asn1.pkcs.CertificationRequest(
                    new CertificationRequestInfo(info.getSubject(), info.getSubjectPublicKeyInfo(), new DERSet(kept)),
                    csr.getSignatureAlgorithm(), csr.getSignature()).getEncoded("DER");
            return new CertificationRequest(template.format(), der, template.subject(), template.publicKey(),
                    template.subjectAltNames(), template.requestedExtensions(), Optional.empty());
        } catch (IOException e) {
            throw new IllegalStateException("cannot re-encode the request template: " + e.getMessage(), e);
        }
    }

    /** The DER of the PFX. */
    public static byte[] encode(PrivateKey key, X509Certificate certificate, List<X509Certificate> caChain, char[] password) {
        try {
            // OpenSSL and the JDK pair key and certificate by localKeyId; the friendlyName is what keystores list.
            byte[] localKeyId = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(certificate.getPublicKey()).getKeyIdentifier();
            DERBMPString friendlyName = new DERBMPString(certificate.getSubjectX500Principal().getName());

            PKCS12SafeBagBuilder keyBag = new JcaPKCS12SafeBagBuilder(key, encryptor(password));
            keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new DEROctetString(localKeyId));
            keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, friendlyName);

            List<PKCS12SafeBag> certificates = new ArrayList<>();
            PKCS12SafeBagBuilder leaf = new JcaPKCS12SafeBagBuilder(certificate);
            leaf.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, new DEROctetString(localKeyId));
            leaf.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, friendlyName);
            certificates.add(leaf.build());
            for (X509Certificate ca : caChain) {
                if (!ca.equals(certificate)) {
                    certificates.add(new JcaPKCS12SafeBagBuilder(ca).build());
                }
            }

            // The layout openssl pkcs12 -export writes: certificates in an EncryptedData, the shrouded key in a Data.
            PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
            pfx.addEncryptedData(encryptor(password), certificates.toArray(new PKCS12SafeBag[0]));
            pfx.addData(keyBag.build());
            return pfx.build(new BcPKCS12MacCalculatorBuilder(new SHA256Digest(),
                            new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE)).setIterationCount(ITERATIONS),
                    password).getEncoded("DER");
        } catch (IOException | GeneralSecurityException | OperatorCreationException | PKCSException e) {
            throw new IllegalStateException("cannot build the PKCS#12 reply: " + e.getMessage(), e);
        }
    }

    /** PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, a fresh salt and IV for each use. */
    private static OutputEncryptor encryptor(char[] password) throws OperatorCreationException {
        return new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC)
                .setPRF(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE))
                .setIterationCount(ITERATIONS)
                .setProvider(BouncyCastle.PROVIDER)
                .build(password);
    }
}

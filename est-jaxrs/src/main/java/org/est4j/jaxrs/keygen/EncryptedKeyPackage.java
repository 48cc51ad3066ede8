package org.est4j.jaxrs.keygen;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import org.est4j.jaxrs.EstMediaTypes;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.codec.BouncyCastle;
import org.est4j.jaxrs.codec.PackageOids;
import org.est4j.jaxrs.codec.ResponseSigner;
import org.est4j.jaxrs.codec.SignatureProvider;

/**
 * The {@code application/cms} key part of {@code /serverkeygen} (RFC 8295 section 8): an RFC 6032
 * EncryptedKeyPackage in its {@code enveloped [0] EnvelopedData} choice, the EnvelopedData encrypting the RFC 5958
 * AsymmetricKeyPackage for the key the request names (as {@link KeyDelivery} would).
 *
 * <pre>
 *   ContentInfo { id-ct-KP-encryptedKeyPkg, [0] EXPLICIT EncryptedKeyPackage }              unsigned, or
 *   ContentInfo { id-signedData, SignedData { eContentType id-ct-KP-encryptedKeyPkg,
 *                 eContent OCTET STRING { EncryptedKeyPackage },
 *                 signed attribute id-aa-KP-keyPkgIdAndReceiptReq } }                   with a response signer
 *   EncryptedKeyPackage = [0] IMPLICIT EnvelopedData { eContentType id-ct-KP-aKeyPackage,
 *                 encryptedContent { AsymmetricKeyPackage (SEQUENCE OF OneAsymmetricKey) } }
 * </pre>
 *
 * <p>The signed form asks for an RFC 7191 receipt: {@code pkgID} is the OCTET STRING of the issued certificate's
 * serial number as {@code BigInteger.toByteArray()} (two's complement, minimal, big-endian — the content octets of
 * the DER INTEGER), {@code receiptsTo} the signer's distinguished name, so the client can acknowledge the key at
 * {@code /serverkeygen/return}.
 */
public final class EncryptedKeyPackage {

    private final RecipientInfoGenerator recipient;
    private final Optional<ResponseSigner> signer;

    private EncryptedKeyPackage(RecipientInfoGenerator recipient, Optional<ResponseSigner> signer) {
        this.recipient = recipient;
        this.signer = signer;
    }

    /**
     * Decided from the request before any key is generated: the recipient is the key its DecryptKeyIdentifier or
     * AsymmetricDecryptKeyIdentifier names (RFC 7030 section 4.4.1).
     *
     * @throws EstProtocolException 400 when the request names no key to encrypt for, or one the server does not have
     */
    public static EncryptedKeyPackage forRequest(PKCS10CertificationRequest csr, List<X509Certificate> clientChain,
                                                 KeyEncryptionKeys keys, Optional<ResponseSigner> signer) {
        RecipientInfoGenerator recipient = KeyDelivery.recipientForRequest(csr, clientChain, keys).orElseThrow(() ->
                EstProtocolException.badRequest("an encrypted key package (Accept: application/cms) needs a key to encrypt for: "
                        + "name one in the request with a DecryptKeyIdentifier or an AsymmetricDecryptKeyIdentifier attribute"));
        return new EncryptedKeyPackage(recipient, signer);
    }

    /** The media type of the key part. */
    public String contentType() {
        return EstMediaTypes.CMS;
    }

    /** The PEM type of the key part, for draft-02's PEM-armoured dialect. */
    public String pemType() {
        return "CMS";
    }

    /** The RFC 7191 {@code pkgID} of the package delivering the key of {@code issued}: its serial number's octets. */
    public static byte[] packageId(X509Certificate issued) {
        return issued.getSerialNumber().toByteArray();
    }

    /** The DER ContentInfo of the key part for the key of the certificate {@code issued}. */
    public byte[] encode(PrivateKey key, X509Certificate issued) {
        try {
            // [0] IMPLICIT: the EnvelopedData's SEQUENCE tag becomes context 0, constructed (A0).
            DERTaggedObject encryptedKeyPackage = new DERTaggedObject(false, 0, KeyDelivery.envelope(key, recipient));
            if (signer.isEmpty()) {
                return new ContentInfo(PackageOids.ENCRYPTED_KEY_PACKAGE, encryptedKeyPackage).getEncoded("DER");
            }
            return sign(signer.get(), encryptedKeyPackage.getEncoded("DER"), issued.getSerialNumber());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the encrypted key package: " + e.getMessage(), e);
        }
    }

    private static byte[] sign(ResponseSigner signer, byte[] encryptedKeyPackage, BigInteger serial) {
        try {
            AttributeTable attributes = new AttributeTable(new Hashtable<>()).add(PackageOids.KEY_PKG_ID_AND_RECEIPT_REQ,
                    keyPkgIdAndReceiptReq(serial, signer.certificate()));
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build())
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(attributes))
                    .build(SignatureProvider.signer(signer.signatureAlgorithm(), signer.key()), signer.certificate()));
            generator.addCertificates(new JcaCertStore(signer.chain()));
            return generator.generate(new CMSProcessableByteArray(PackageOids.ENCRYPTED_KEY_PACKAGE, encryptedKeyPackage), true)
                    .toASN1Structure().getEncoded("DER");
        } catch (OperatorCreationException | CertificateEncodingException | CMSException | IOException e) {
            throw new IllegalStateException("cannot sign with the configured response signer: " + e.getMessage(), e);
        }
    }

    /**
     * {@code KeyPkgIdentifierAndReceiptReq ::= SEQUENCE { pkgID KeyPkgID, receiptReq KeyPkgReceiptReq OPTIONAL }},
     * {@code KeyPkgReceiptReq ::= SEQUENCE { encryptReceipt BOOLEAN DEFAULT FALSE, receiptsFrom [0] ... OPTIONAL,
     * receiptsTo SEQUENCE OF SIREntityName }} (RFC 7191 section 3), receipts to the signer's name.
     */
    private static DERSequence keyPkgIdAndReceiptReq(BigInteger serial, X509Certificate signer) {
        DERSequence signerName = new DERSequence(new ASN1Encodable[] {
                PackageOids.SIREN_DN, new DEROctetString(signer.getSubjectX500Principal().getEncoded())});
        DERSequence receiptReq = new DERSequence(new DERSequence(signerName)); // encryptReceipt FALSE is the default: omitted
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new DEROctetString(serial.toByteArray()));
        v.add(receiptReq);
        return new DERSequence(v);
    }
}

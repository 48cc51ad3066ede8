package org.est4j.jaxrs.packages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;

import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaAlgorithmParametersConverter;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import org.est4j.jaxrs.codec.BouncyCastle;
import org.est4j.jaxrs.codec.PackageOids;
import org.est4j.jaxrs.codec.ResponseSigner;
import org.est4j.jaxrs.codec.SignatureProvider;
import org.est4j.jaxrs.keygen.KeyDelivery;

/**
 * Protects a symmetric key package for one client as RFC 8295 section 5 asks: the RFC 6031
 * {@code SymmetricKeyPackage} is signed by the server, with RFC 7191's {@code id-aa-KP-keyPkgIdAndReceiptReq}
 * naming the package and asking the client for a receipt to the server, and the signed data is encrypted (AES-256)
 * for the client's TLS certificate: RSAES-OAEP key transport for an RSA key, ephemeral-static ECDH for an EC key
 * (as {@code /serverkeygen} encrypts, {@link KeyDelivery#recipientFor}).
 */
final class SymmetricKeyProtection {

    private SymmetricKeyProtection() {
    }

    /** Whether a package can be encrypted for {@code certificate}'s key at all (RSA or EC). */
    static boolean canReceive(X509Certificate certificate) {
        return certificate.getPublicKey() instanceof RSAPublicKey || certificate.getPublicKey() instanceof ECPublicKey;
    }

    /**
     * {@code ContentInfo(EnvelopedData(SignedData(SymmetricKeyPackage)))}, DER.
     *
     * @param keyPackage the DER {@code SymmetricKeyPackage} as the package service holds it
     * @param packageId  the package's id, which the receipt will quote back (UTF-8 in {@code pkgID})
     * @param recipient  the client's validated TLS certificate; see {@link #canReceive}
     */
    static byte[] protect(byte[] keyPackage, String packageId, ResponseSigner signer, X509Certificate recipient) {
        try {
            byte[] signedData = sign(keyPackage, packageId, signer);
            CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
            generator.addRecipientInfoGenerator(recipientFor(recipient));
            CMSEnvelopedData enveloped = generator.generate(new CMSProcessableByteArray(CMSObjectIdentifiers.signedData, signedData),
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider(BouncyCastle.PROVIDER).build());
            return enveloped.toASN1Structure().getEncoded("DER");
        } catch (IOException | CMSException e) {
            throw new IllegalStateException("cannot encrypt the symmetric key package: " + e.getMessage(), e);
        }
    }

    /** The SignedData itself (not its ContentInfo): what the EnvelopedData encrypts, with content type id-signedData. */
    private static byte[] sign(byte[] keyPackage, String packageId, ResponseSigner signer) {
        try {
            AttributeTable signedAttributes = new AttributeTable(new Attribute(PackageOids.KEY_PKG_ID_AND_RECEIPT_REQ,
                    new DERSet(keyPackageIdAndReceiptRequest(packageId, signer.certificate()))));
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build())
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(signedAttributes))
                    .build(SignatureProvider.signer(signer.signatureAlgorithm(), signer.key()), signer.certificate()));
            generator.addCertificates(new JcaCertStore(signer.chain()));
            CMSSignedData signed = generator.generate(new CMSProcessableByteArray(PackageOids.SYMMETRIC_KEY_PACKAGE, keyPackage), true);
            return ContentInfo.getInstance(signed.toASN1Structure()).getContent().toASN1Primitive().getEncoded("DER");
        } catch (OperatorCreationException | CertificateEncodingException | CMSException | IOException e) {
            throw new IllegalStateException("cannot sign with the configured response signer: " + e.getMessage(), e);
        }
    }

    /**
     * {@code KeyPkgIdentifierAndReceiptReq ::= SEQUENCE { pkgID KeyPkgID, receiptReq KeyPkgReceiptReq OPTIONAL }} with
     * {@code KeyPkgReceiptReq ::= SEQUENCE { encryptReceipt BOOLEAN DEFAULT FALSE, receiptsFrom [0] OPTIONAL,
     * receiptsTo SIREntityNames }}: receipts go to the server that signed the package (its subject, as id-dn).
     */
    static DERSequence keyPackageIdAndReceiptRequest(String packageId, X509Certificate server) throws IOException {
        ASN1EncodableVector sirenEntityName = new ASN1EncodableVector();
        sirenEntityName.add(PackageOids.SIREN_DN);
        sirenEntityName.add(new DEROctetString(X500Name.getInstance(server.getSubjectX500Principal().getEncoded()).getEncoded("DER")));
        DERSequence receiptsTo = new DERSequence(new DERSequence(sirenEntityName));
        DERSequence receiptRequest = new DERSequence(receiptsTo);
        ASN1EncodableVector value = new ASN1EncodableVector();
        value.add(new DEROctetString(packageId.getBytes(StandardCharsets.UTF_8)));
        value.add(receiptRequest);
        return new DERSequence(value);
    }

    private static RecipientInfoGenerator recipientFor(X509Certificate recipient) {
        if (!(recipient.getPublicKey() instanceof RSAPublicKey)) {
            return KeyDelivery.recipientFor(recipient);
        }
        try {
            // RFC 8295 section 5 leaves the algorithms to the profile; OAEP with SHA-256 rather than PKCS#1 v1.5,
            // whose padding oracle (Bleichenbacher) RFC 8017 advises against for new uses
            return new JceKeyTransRecipientInfoGenerator(recipient, new JcaAlgorithmParametersConverter().getAlgorithmIdentifier(
                    PKCSObjectIdentifiers.id_RSAES_OAEP, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                            PSource.PSpecified.DEFAULT))).setProvider(BouncyCastle.PROVIDER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt for the client's RSA key: " + e.getMessage(), e);
        }
    }
}

package org.est4j.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The CMS messages of RFC 8295's packages and returns, built the way an operator's tools and a device would: with
 * BouncyCastle's ASN.1 types, the structures as RFC 4108, RFC 5934, RFC 6031 and RFC 7191 define them (checked
 * against Debian's pyasn1-modules, which the tests use to decode what est4j sends).
 */
final class Rfc8295Messages {

    static final ASN1ObjectIdentifier FIRMWARE_PACKAGE = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.1.16");
    static final ASN1ObjectIdentifier FIRMWARE_LOAD_RECEIPT = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.1.17");
    static final ASN1ObjectIdentifier FIRMWARE_LOAD_ERROR = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.1.18");
    static final ASN1ObjectIdentifier FIRMWARE_PACKAGE_ID = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.35");
    static final ASN1ObjectIdentifier TARGET_HARDWARE_IDS = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.36");
    static final ASN1ObjectIdentifier HARDWARE_MODULE_NAME = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.4");
    static final ASN1ObjectIdentifier TAMP_STATUS_QUERY = new ASN1ObjectIdentifier("2.16.840.1.101.2.1.2.77.1");
    static final ASN1ObjectIdentifier TAMP_STATUS_RESPONSE = new ASN1ObjectIdentifier("2.16.840.1.101.2.1.2.77.2");
    static final ASN1ObjectIdentifier SYMMETRIC_KEY_PACKAGE = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.1.25");
    static final ASN1ObjectIdentifier KEY_PACKAGE_RECEIPT = new ASN1ObjectIdentifier("2.16.840.1.101.2.1.2.78.3");
    static final ASN1ObjectIdentifier KEY_PACKAGE_ERROR = new ASN1ObjectIdentifier("2.16.840.1.101.2.1.2.78.6");
    /** RFC 7191's SIREntityName type for a distinguished name. */
    static final ASN1ObjectIdentifier SIREN_DN = new ASN1ObjectIdentifier("2.16.840.1.101.2.1.16.0");

    private Rfc8295Messages() {
    }

    /** RFC 4108 firmware package: SignedData over the image, firmwarePackageID and (optionally) targetHardwareIDs signed. */
    static byte[] firmwarePackage(PrivateKey signerKey, X509Certificate signer, byte[] image, ASN1ObjectIdentifier fwPkgId,
                                  int version, List<ASN1ObjectIdentifier> targetHardware) {
        ASN1EncodableVector attrs = new ASN1EncodableVector();
        attrs.add(new Attribute(FIRMWARE_PACKAGE_ID, new DERSet(new DERSequence(preferredPackageId(fwPkgId, version)))));
        if (!targetHardware.isEmpty()) {
            attrs.add(new Attribute(TARGET_HARDWARE_IDS, new DERSet(new DERSequence(targetHardware.toArray(new ASN1Encodable[0])))));
        }
        return sign(signerKey, signer, FIRMWARE_PACKAGE, image, attrs);
    }

    /** RFC 5934 TAMPStatusQuery for all modules with sequence number {@code seqNum}, signed by the trust anchor manager. */
    static byte[] tampStatusQuery(PrivateKey managerKey, X509Certificate manager, long seqNum) {
        return sign(managerKey, manager, TAMP_STATUS_QUERY, der(new DERSequence(msgRef(seqNum))), new ASN1EncodableVector());
    }

    /** RFC 6031 SymmetricKeyPackage with one key (no attributes). */
    static byte[] symmetricKeyPackage(byte[] key) {
        return der(new DERSequence(new DERSequence(new DERSequence(new DEROctetString(key)))));
    }

    /** RFC 4108 FirmwarePackageLoadReceipt, signed by the device. */
    static byte[] firmwareLoadReceipt(PrivateKey deviceKey, X509Certificate device, ASN1ObjectIdentifier hwType, byte[] hwSerial,
                                      ASN1ObjectIdentifier fwPkgId, int version) {
        return sign(deviceKey, device, FIRMWARE_LOAD_RECEIPT, der(new DERSequence(new ASN1Encodable[] {
                hwType, new DEROctetString(hwSerial), preferredPackageId(fwPkgId, version)})), new ASN1EncodableVector());
    }

    /** RFC 7191 KeyPackageReceipt for the package whose pkgID is {@code pkgId}, signed by the device. */
    static byte[] keyPackageReceipt(PrivateKey deviceKey, X509Certificate device, byte[] pkgId) {
        ASN1Encodable receivedBy = new DERSequence(new ASN1Encodable[] {SIREN_DN,
                new DEROctetString(device.getSubjectX500Principal().getEncoded())});
        return sign(deviceKey, device, KEY_PACKAGE_RECEIPT, der(new DERSequence(new ASN1Encodable[] {
                new DEROctetString(pkgId), receivedBy})), new ASN1EncodableVector());
    }

    /** RFC 5934 TAMPStatusResponse (terse) answering the query with {@code seqNum}, signed by the device. */
    static byte[] tampStatusResponse(PrivateKey deviceKey, X509Certificate device, long seqNum, byte[] trustAnchorKeyId) {
        ASN1Encodable terse = new DERTaggedObject(false, 0, new DERSequence(new DERSequence(new DEROctetString(trustAnchorKeyId))));
        return sign(deviceKey, device, TAMP_STATUS_RESPONSE, der(new DERSequence(new ASN1Encodable[] {msgRef(seqNum), terse})),
                new ASN1EncodableVector());
    }

    /** An unsigned ContentInfo of id-data: what a careless client might post. */
    static byte[] unsigned(byte[] content) {
        return der(new org.bouncycastle.asn1.cms.ContentInfo(org.bouncycastle.asn1.cms.CMSObjectIdentifiers.data,
                new DEROctetString(content)));
    }

    /** The hardwareModuleName otherName value (RFC 4108 section 5) for a client certificate's subjectAltName. */
    static ASN1Encodable hardwareModuleName(ASN1ObjectIdentifier hwType, byte[] hwSerial) {
        return new DERSequence(new ASN1Encodable[] {hwType, new DEROctetString(hwSerial)});
    }

    /** TAMPMsgRef { target allModules, seqNum }. */
    private static ASN1Encodable msgRef(long seqNum) {
        return new DERSequence(new ASN1Encodable[] {new DERTaggedObject(false, 3, DERNull.INSTANCE), new ASN1Integer(seqNum)});
    }

    /** PreferredOrLegacyPackageIdentifier, the preferred choice: { fwPkgID, verNum }. */
    private static ASN1Encodable preferredPackageId(ASN1ObjectIdentifier fwPkgId, int version) {
        return new DERSequence(new ASN1Encodable[] {fwPkgId, new ASN1Integer(BigInteger.valueOf(version))});
    }

    private static byte[] sign(PrivateKey key, X509Certificate cert, ASN1ObjectIdentifier contentType, byte[] content,
                               ASN1EncodableVector extraSignedAttributes) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            String algorithm = key.getAlgorithm().startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(extraSignedAttributes)))
                    .build(new JcaContentSignerBuilder(algorithm).build(key), cert));
            generator.addCertificates(new JcaCertStore(List.of(cert)));
            return generator.generate(new CMSProcessableByteArray(contentType, content), true).getEncoded(ASN1Encoding.DER);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
                 | org.bouncycastle.cms.CMSException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] der(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.est4j.jaxrs.packages;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Builds what EST clients post to the RFC 8295 {@code /return} paths, and the firmware and TAMP packages they
 * answer, with BouncyCastle's generic ASN.1 classes after the modules of RFC 7191, RFC 4108 and RFC 5934.
 * Self-contained (BouncyCastle and the JDK only) so that other test suites can reuse it.
 *
 * <p>The {@code ...Content} methods return the DER of an eContent; {@link #signed} wraps one in a ContentInfo of
 * SignedData signed by a key and its certificate (included), as a client does; the convenience methods without
 * the suffix do both.
 */
public final class ReturnMessages {

    public static final String KEY_PACKAGE_RECEIPT = "2.16.840.1.101.2.1.2.78.3";
    public static final String KEY_PACKAGE_ERROR = "2.16.840.1.101.2.1.2.78.6";
    public static final String FIRMWARE_PACKAGE = "1.2.840.113549.1.9.16.1.16";
    public static final String FIRMWARE_LOAD_RECEIPT = "1.2.840.113549.1.9.16.1.17";
    public static final String FIRMWARE_LOAD_ERROR = "1.2.840.113549.1.9.16.1.18";
    public static final String FIRMWARE_PACKAGE_ID = "1.2.840.113549.1.9.16.2.35";
    public static final String TAMP_STATUS_QUERY = "2.16.840.1.101.2.1.2.77.1";
    public static final String TAMP_STATUS_RESPONSE = "2.16.840.1.101.2.1.2.77.2";
    public static final String TAMP_UPDATE = "2.16.840.1.101.2.1.2.77.3";
    public static final String TAMP_UPDATE_CONFIRM = "2.16.840.1.101.2.1.2.77.4";
    public static final String TAMP_COMMUNITY_UPDATE = "2.16.840.1.101.2.1.2.77.7";
    public static final String TAMP_COMMUNITY_UPDATE_CONFIRM = "2.16.840.1.101.2.1.2.77.8";
    public static final String TAMP_ERROR = "2.16.840.1.101.2.1.2.77.9";
    public static final String TAMP_SEQ_NUM_ADJUST = "2.16.840.1.101.2.1.2.77.10";
    public static final String TAMP_SEQ_NUM_ADJUST_CONFIRM = "2.16.840.1.101.2.1.2.77.11";
    /** id-dn (RFC 7191): an SIREntityName holding a DER distinguished name. */
    private static final String ID_DN = "2.16.840.1.101.2.1.16.0";
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private ReturnMessages() {
    }

    // ---- RFC 7191 ----

    /** A signed KeyPackageReceipt for {@code pkgId}, received by the signer. */
    public static byte[] keyPackageReceipt(byte[] pkgId, PrivateKey key, X509Certificate certificate) {
        return signed(KEY_PACKAGE_RECEIPT, keyPackageReceiptContent(pkgId, certificate), key, certificate);
    }

    /** The pkgID est4j gives the symmetric key package it distributes as {@code packageId}. */
    public static byte[] pkgId(String packageId) {
        return packageId.getBytes(StandardCharsets.UTF_8);
    }

    /** The pkgID of a key generated on /serverkeygen: the certificate serial number's two's-complement octets. */
    public static byte[] pkgId(BigInteger serial) {
        return serial.toByteArray();
    }

    /** KeyPackageReceipt ::= SEQUENCE { version DEFAULT v2, receiptOf KeyPkgIdentifier, receivedBy SIREntityName }. */
    public static byte[] keyPackageReceiptContent(byte[] pkgId, X509Certificate receivedBy) {
        return der(new DERSequence(new ASN1Encodable[] {new DEROctetString(pkgId), sirEntityName(receivedBy)}));
    }

    /** A signed KeyPackageError for {@code pkgId} (null: errorOf absent) with an EnumeratedErrorCode. */
    public static byte[] keyPackageError(byte[] pkgId, int errorCode, PrivateKey key, X509Certificate certificate) {
        return signed(KEY_PACKAGE_ERROR, keyPackageErrorContent(pkgId, new ASN1Enumerated(errorCode), certificate), key, certificate);
    }

    /**
     * KeyPackageError ::= SEQUENCE { version DEFAULT v2, errorOf [0] KeyPkgIdentifier OPTIONAL, errorBy SIREntityName,
     * errorCode ErrorCodeChoice }; {@code errorCode} an ASN1Enumerated or an ASN1ObjectIdentifier. errorOf is a
     * tagged CHOICE, so explicitly tagged.
     */
    public static byte[] keyPackageErrorContent(byte[] pkgId, ASN1Encodable errorCode, X509Certificate errorBy) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        if (pkgId != null) {
            v.add(new DERTaggedObject(true, 0, new DEROctetString(pkgId)));
        }
        v.add(sirEntityName(errorBy));
        v.add(errorCode);
        return der(new DERSequence(v));
    }

    private static ASN1Sequence sirEntityName(X509Certificate certificate) {
        return new DERSequence(new ASN1Encodable[] {new ASN1ObjectIdentifier(ID_DN),
                new DEROctetString(certificate.getSubjectX500Principal().getEncoded())});
    }

    // ---- RFC 4108 ----

    /** PreferredPackageIdentifier ::= SEQUENCE { fwPkgID OBJECT IDENTIFIER, verNum INTEGER (0..MAX) }. */
    public static ASN1Encodable preferredFirmwareName(String fwPkgId, long verNum) {
        return new DERSequence(new ASN1Encodable[] {new ASN1ObjectIdentifier(fwPkgId), new ASN1Integer(verNum)});
    }

    /** The legacy alternative of PreferredOrLegacyPackageIdentifier: an OCTET STRING. */
    public static ASN1Encodable legacyFirmwareName(String name) {
        return new DEROctetString(name.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A firmware package as its signer makes it: SignedData of id-ct-firmwarePackage with the firmwarePackageID
     * signed attribute (FirmwarePackageIdentifier ::= SEQUENCE { name, stale OPTIONAL }) naming it {@code name}.
     */
    public static byte[] firmwarePackage(ASN1Encodable name, byte[] firmware, PrivateKey signerKey, X509Certificate signer) {
        Attribute id = new Attribute(new ASN1ObjectIdentifier(FIRMWARE_PACKAGE_ID), new DERSet(new DERSequence(name)));
        return signed(FIRMWARE_PACKAGE, der(new DEROctetString(firmware)), signerKey, signer,
                new AttributeTable(id));
    }

    /** A signed FirmwarePackageLoadReceipt for {@code fwPkgName}. */
    public static byte[] firmwareLoadReceipt(ASN1Encodable fwPkgName, PrivateKey key, X509Certificate certificate) {
        return signed(FIRMWARE_LOAD_RECEIPT, firmwareLoadReceiptContent(fwPkgName), key, certificate);
    }

    /** FirmwarePackageLoadReceipt ::= SEQUENCE { version DEFAULT v1, hwType, hwSerialNum, fwPkgName, trustAnchorKeyID OPTIONAL, decryptKeyID [1] OPTIONAL }. */
    public static byte[] firmwareLoadReceiptContent(ASN1Encodable fwPkgName) {
        return der(new DERSequence(new ASN1Encodable[] {new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"),
                new DEROctetString(new byte[] {0x12, 0x34}), fwPkgName, new DEROctetString(new byte[] {1, 2, 3, 4})}));
    }

    /** A signed FirmwarePackageLoadError with a FirmwarePackageLoadErrorCode and {@code fwPkgName} (null: absent). */
    public static byte[] firmwareLoadError(ASN1Encodable fwPkgName, int errorCode, PrivateKey key, X509Certificate certificate) {
        return signed(FIRMWARE_LOAD_ERROR, firmwareLoadErrorContent(fwPkgName, errorCode), key, certificate);
    }

    /** FirmwarePackageLoadError ::= SEQUENCE { version DEFAULT v1, hwType, hwSerialNum, errorCode, vendorErrorCode OPTIONAL, fwPkgName OPTIONAL, config [1] OPTIONAL }. */
    public static byte[] firmwareLoadErrorContent(ASN1Encodable fwPkgName, int errorCode) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"));
        v.add(new DEROctetString(new byte[] {0x12, 0x34}));
        v.add(new ASN1Enumerated(errorCode));
        v.add(new ASN1Integer(7)); // vendorErrorCode
        if (fwPkgName != null) {
            v.add(fwPkgName);
        }
        return der(new DERSequence(v));
    }

    // ---- RFC 5934 ----

    /** TAMPMsgRef ::= SEQUENCE { target TargetIdentifier, seqNum }: target uri [4] IMPLICIT IA5String, or allModules [3] NULL for null. */
    public static ASN1Sequence tampMsgRef(String uri, long seqNum) {
        ASN1Encodable target = uri == null ? new DERTaggedObject(false, 3, DERNull.INSTANCE) : new DERTaggedObject(false, 4, new DERIA5String(uri));
        return new DERSequence(new ASN1Encodable[] {target, new ASN1Integer(seqNum)});
    }

    /**
     * A TAMP message as the trust anchor manager signs it, the content of a /tamp package: TAMPStatusQuery
     * { query }, TAMPUpdate { msgRef, updates (one remove of {@code anyKey}) }, TAMPCommunityUpdate { msgRef,
     * updates { add [2] } }, SequenceNumberAdjust { msgRef }, per {@code type}; version and terse left DEFAULT.
     */
    public static byte[] tampMessage(String type, ASN1Sequence msgRef, PublicKey anyKey, PrivateKey managerKey, X509Certificate manager) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(msgRef);
        switch (type) {
            case TAMP_STATUS_QUERY, TAMP_SEQ_NUM_ADJUST -> { }
            case TAMP_UPDATE -> v.add(new DERSequence(new DERTaggedObject(false, 2,
                    SubjectPublicKeyInfo.getInstance(anyKey.getEncoded()))));
            case TAMP_COMMUNITY_UPDATE -> v.add(new DERSequence(new DERTaggedObject(false, 2,
                    new DERSequence(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.7")))));
            default -> throw new IllegalArgumentException(type);
        }
        return signed(type, der(new DERSequence(v)), managerKey, manager);
    }

    /** A signed TAMPStatusResponse { query, response terseResponse [0] { taKeyIds } } answering the query {@code query}. */
    public static byte[] tampStatusResponse(ASN1Sequence query, PrivateKey key, X509Certificate certificate) {
        return signed(TAMP_STATUS_RESPONSE, tampStatusResponseContent(query), key, certificate);
    }

    public static byte[] tampStatusResponseContent(ASN1Sequence query) {
        ASN1Sequence terse = new DERSequence(new DERSequence(new DEROctetString(new byte[20])));
        return der(new DERSequence(new ASN1Encodable[] {query, new DERTaggedObject(false, 0, terse)}));
    }

    /** A signed TAMPUpdateConfirm { update, confirm terseConfirm [0] StatusCodeList } with these StatusCodes (0 success). */
    public static byte[] tampUpdateConfirm(ASN1Sequence update, List<Integer> statuses, PrivateKey key, X509Certificate certificate) {
        return signed(TAMP_UPDATE_CONFIRM, tampUpdateConfirmContent(update, statuses), key, certificate);
    }

    public static byte[] tampUpdateConfirmContent(ASN1Sequence update, List<Integer> statuses) {
        ASN1EncodableVector codes = new ASN1EncodableVector();
        statuses.forEach(s -> codes.add(new ASN1Enumerated(s)));
        return der(new DERSequence(new ASN1Encodable[] {update, new DERTaggedObject(false, 0, new DERSequence(codes))}));
    }

    /** A signed TAMPCommunityUpdateConfirm { update, commConfirm terseCommConfirm [0] StatusCode }. */
    public static byte[] tampCommunityUpdateConfirm(ASN1Sequence update, int status, PrivateKey key, X509Certificate certificate) {
        return signed(TAMP_COMMUNITY_UPDATE_CONFIRM, der(new DERSequence(new ASN1Encodable[] {update,
                new DERTaggedObject(false, 0, new ASN1Enumerated(status))})), key, certificate);
    }

    /** A signed SequenceNumberAdjustConfirm { adjust, status }. */
    public static byte[] seqNumberAdjustConfirm(ASN1Sequence adjust, int status, PrivateKey key, X509Certificate certificate) {
        return signed(TAMP_SEQ_NUM_ADJUST_CONFIRM, der(new DERSequence(new ASN1Encodable[] {adjust, new ASN1Enumerated(status)})),
                key, certificate);
    }

    /** A signed TAMPError { msgType, status, msgRef OPTIONAL (null: absent) }. */
    public static byte[] tampError(String msgType, int status, ASN1Sequence msgRef, PrivateKey key, X509Certificate certificate) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1ObjectIdentifier(msgType));
        v.add(new ASN1Enumerated(status));
        if (msgRef != null) {
            v.add(msgRef);
        }
        return signed(TAMP_ERROR, der(new DERSequence(v)), key, certificate);
    }

    // ---- CMS ----

    /** A DER ContentInfo of SignedData encapsulating {@code content} of {@code contentType}, signed with {@code key}, certificate included. */
    public static byte[] signed(String contentType, byte[] content, PrivateKey key, X509Certificate certificate) {
        return signed(contentType, content, key, certificate, null);
    }

    private static byte[] signed(String contentType, byte[] content, PrivateKey key, X509Certificate certificate,
                                 AttributeTable extraSignedAttributes) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            JcaSignerInfoGeneratorBuilder signer = new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BC).build());
            if (extraSignedAttributes != null) {
                signer.setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(extraSignedAttributes));
            }
            String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            generator.addSignerInfoGenerator(signer.build(new JcaContentSignerBuilder(algorithm).setProvider(BC).build(key), certificate));
            generator.addCertificate(new JcaX509CertificateHolder(certificate));
            return generator.generate(new CMSProcessableByteArray(new ASN1ObjectIdentifier(contentType), content), true)
                    .getEncoded(ASN1Encoding.DER);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A ContentInfo of SignedData encapsulating {@code content} with no SignerInfo at all. */
    public static byte[] unsigned(String contentType, byte[] content) {
        try {
            return new CMSSignedDataGenerator().generate(new CMSProcessableByteArray(new ASN1ObjectIdentifier(contentType), content), true)
                    .getEncoded(ASN1Encoding.DER);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] der(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.est4j.jaxrs.codec;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;

/**
 * The object identifiers of the packages RFC 8295 distributes and of the messages clients return for them: content
 * types and attributes of firmware (RFC 4108), TAMP (RFC 5934) and key packages (RFC 5958, 6031, 6032, 7191), each
 * written once. The values are those of the RFCs' ASN.1 modules (as Debian's pyasn1-modules transcribes them).
 */
public final class PackageOids {

    // RFC 4108, firmware packages

    /** {@code id-ct-firmwarePackage} (RFC 4108 section 2.1.5): the content type of a firmware package. */
    public static final ASN1ObjectIdentifier FIRMWARE_PACKAGE = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.1.16");
    /** {@code id-ct-firmwareLoadReceipt} (RFC 4108 section 3). */
    public static final ASN1ObjectIdentifier FIRMWARE_LOAD_RECEIPT = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.1.17");
    /** {@code id-ct-firmwareLoadError} (RFC 4108 section 4). */
    public static final ASN1ObjectIdentifier FIRMWARE_LOAD_ERROR = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.1.18");
    /** {@code id-aa-firmwarePackageID} (RFC 4108 section 2.2.3): the signed attribute naming a firmware package. */
    public static final ASN1ObjectIdentifier FIRMWARE_PACKAGE_ID = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.35");
    /**
     * {@code id-aa-targetHardwareIDs} (RFC 4108 section 2.2.4): the signed attribute listing the hardware types a
     * firmware package is for, {@code SEQUENCE OF OBJECT IDENTIFIER}.
     */
    public static final ASN1ObjectIdentifier TARGET_HARDWARE_IDS = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.36");
    /**
     * {@code id-on-hardwareModuleName} (RFC 4108 section 5): the otherName of a subjectAltName naming a hardware
     * module, {@code SEQUENCE { hwType OBJECT IDENTIFIER, hwSerialNum OCTET STRING }}.
     */
    public static final ASN1ObjectIdentifier HARDWARE_MODULE_NAME = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.4");

    // RFC 5934, trust anchor management protocol

    /** {@code id-tamp} (RFC 5934 appendix A): the arc of the TAMP content types. */
    public static final ASN1ObjectIdentifier TAMP = new ASN1ObjectIdentifier("2.16.840.1.101.2.1.2.77");
    /** {@code id-ct-TAMP-statusQuery} (RFC 5934 section 4.1). */
    public static final ASN1ObjectIdentifier TAMP_STATUS_QUERY = TAMP.branch("1");
    /** {@code id-ct-TAMP-statusResponse} (RFC 5934 section 4.2). */
    public static final ASN1ObjectIdentifier TAMP_STATUS_RESPONSE = TAMP.branch("2");
    /** {@code id-ct-TAMP-update} (RFC 5934 section 4.3). */
    public static final ASN1ObjectIdentifier TAMP_UPDATE = TAMP.branch("3");
    /** {@code id-ct-TAMP-updateConfirm} (RFC 5934 section 4.4). */
    public static final ASN1ObjectIdentifier TAMP_UPDATE_CONFIRM = TAMP.branch("4");
    /** {@code id-ct-TAMP-apexUpdate} (RFC 5934 section 4.5). */
    public static final ASN1ObjectIdentifier TAMP_APEX_UPDATE = TAMP.branch("5");
    /** {@code id-ct-TAMP-apexUpdateConfirm} (RFC 5934 section 4.6). */
    public static final ASN1ObjectIdentifier TAMP_APEX_UPDATE_CONFIRM = TAMP.branch("6");
    /** {@code id-ct-TAMP-communityUpdate} (RFC 5934 section 4.7). */
    public static final ASN1ObjectIdentifier TAMP_COMMUNITY_UPDATE = TAMP.branch("7");
    /** {@code id-ct-TAMP-communityUpdateConfirm} (RFC 5934 section 4.8). */
    public static final ASN1ObjectIdentifier TAMP_COMMUNITY_UPDATE_CONFIRM = TAMP.branch("8");
    /** {@code id-ct-TAMP-error} (RFC 5934 section 4.11). */
    public static final ASN1ObjectIdentifier TAMP_ERROR = TAMP.branch("9");
    /** {@code id-ct-TAMP-seqNumAdjust} (RFC 5934 section 4.9). */
    public static final ASN1ObjectIdentifier TAMP_SEQ_NUM_ADJUST = TAMP.branch("10");
    /** {@code id-ct-TAMP-seqNumAdjustConfirm} (RFC 5934 section 4.10). */
    public static final ASN1ObjectIdentifier TAMP_SEQ_NUM_ADJUST_CONFIRM = TAMP.branch("11");

    // Key packages: RFC 5958, RFC 6031, RFC 6032, RFC 7191

    /** {@code id-ct-KP-aKeyPackage} (RFC 5958 section 2): an AsymmetricKeyPackage. */
    public static final ASN1ObjectIdentifier ASYMMETRIC_KEY_PACKAGE = new ASN1ObjectIdentifier("2.16.840.1.101.2.1.2.78.5");
    /** {@code id-ct-KP-sKeyPackage} (RFC 6031 section 2): a SymmetricKeyPackage. */
    public static final ASN1ObjectIdentifier SYMMETRIC_KEY_PACKAGE = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.1.25");
    /** {@code id-ct-KP-encryptedKeyPkg} (RFC 6032 section 2): an EncryptedKeyPackage. */
    public static final ASN1ObjectIdentifier ENCRYPTED_KEY_PACKAGE = new ASN1ObjectIdentifier("2.16.840.1.101.2.1.2.78.2");
    /** {@code id-ct-KP-keyPackageReceipt} (RFC 7191 section 4). */
    public static final ASN1ObjectIdentifier KEY_PACKAGE_RECEIPT = new ASN1ObjectIdentifier("2.16.840.1.101.2.1.2.78.3");
    /** {@code id-ct-KP-keyPackageError} (RFC 7191 section 5). */
    public static final ASN1ObjectIdentifier KEY_PACKAGE_ERROR = new ASN1ObjectIdentifier("2.16.840.1.101.2.1.2.78.6");
    /**
     * {@code id-aa-KP-keyPkgIdAndReceiptReq} (RFC 7191 section 3): the signed attribute naming a key package
     * ({@code pkgID}) and saying where its receipts go.
     */
    public static final ASN1ObjectIdentifier KEY_PKG_ID_AND_RECEIPT_REQ = new ASN1ObjectIdentifier("2.16.840.1.101.2.1.5.65");
    /** {@code id-dn} (RFC 7191 section 2): the SIREntityName type whose value is a DER distinguished name. */
    public static final ASN1ObjectIdentifier SIREN_DN = new ASN1ObjectIdentifier("2.16.840.1.101.2.1.16.0");

    private PackageOids() {
    }
}

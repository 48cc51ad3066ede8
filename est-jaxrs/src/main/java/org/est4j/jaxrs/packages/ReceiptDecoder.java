package org.est4j.jaxrs.packages;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.codec.PackageOids;
import org.est4j.spi.PackageKind;
import org.est4j.spi.PackageReturn.Outcome;

/**
 * Decodes the content of a message posted to {@code /return} (the eContent of the client's SignedData) as the
 * path allows: RFC 7191 key package receipts and errors on {@code /symmetrickeys/return} and
 * {@code /serverkeygen/return}, RFC 4108 firmware load receipts and errors on {@code /firmware/return}, RFC 5934
 * TAMP responses, confirms and errors on {@code /tamp/return}. Anything else, or a structure that does not follow
 * its ASN.1 module, is a 400 saying what was expected.
 *
 * <p>The structures follow the modules of RFC 7191 appendix A, RFC 4108 section 5 and RFC 5934 section 5 (as
 * Debian's pyasn1-modules transcribes them), read with BouncyCastle's generic ASN.1 classes.
 */
final class ReceiptDecoder {

    /** The replies this decoder reads, and the RFC 7191, RFC 4108 and RFC 5934 name of each. */
    private static final Map<ASN1ObjectIdentifier, String> NAMES = Map.ofEntries(
            Map.entry(PackageOids.KEY_PACKAGE_RECEIPT, "KeyPackageReceipt"),
            Map.entry(PackageOids.KEY_PACKAGE_ERROR, "KeyPackageError"),
            Map.entry(PackageOids.FIRMWARE_LOAD_RECEIPT, "FirmwarePackageLoadReceipt"),
            Map.entry(PackageOids.FIRMWARE_LOAD_ERROR, "FirmwarePackageLoadError"),
            Map.entry(PackageOids.TAMP_STATUS_RESPONSE, "TAMPStatusResponse"),
            Map.entry(PackageOids.TAMP_UPDATE_CONFIRM, "TAMPUpdateConfirm"),
            Map.entry(PackageOids.TAMP_APEX_UPDATE_CONFIRM, "TAMPApexUpdateConfirm"),
            Map.entry(PackageOids.TAMP_COMMUNITY_UPDATE_CONFIRM, "TAMPCommunityUpdateConfirm"),
            Map.entry(PackageOids.TAMP_ERROR, "TAMPError"),
            Map.entry(PackageOids.TAMP_SEQ_NUM_ADJUST_CONFIRM, "SequenceNumberAdjustConfirm"));

    private static final BigInteger SUCCESS = BigInteger.ZERO;

    private ReceiptDecoder() {
    }

    /**
     * Decodes {@code content}, of eContentType {@code type}, posted to the {@code /return} path of {@code kind}
     * (empty: {@code /serverkeygen/return}).
     *
     * @throws EstProtocolException 400 if the type does not belong on that path or the content is malformed
     */
    static ReturnReceipt decode(Optional<PackageKind> kind, ASN1ObjectIdentifier type, byte[] content) {
        String path = kind.map(PackageKind::path).orElse("serverkeygen") + "/return";
        List<ASN1ObjectIdentifier> allowed = switch (kind.orElse(PackageKind.SYMMETRIC_KEYS)) {
            case SYMMETRIC_KEYS -> List.of(PackageOids.KEY_PACKAGE_RECEIPT, PackageOids.KEY_PACKAGE_ERROR);
            case FIRMWARE -> List.of(PackageOids.FIRMWARE_LOAD_RECEIPT, PackageOids.FIRMWARE_LOAD_ERROR);
            case TAMP -> List.of(PackageOids.TAMP_STATUS_RESPONSE, PackageOids.TAMP_UPDATE_CONFIRM,
                    PackageOids.TAMP_APEX_UPDATE_CONFIRM, PackageOids.TAMP_COMMUNITY_UPDATE_CONFIRM,
                    PackageOids.TAMP_SEQ_NUM_ADJUST_CONFIRM, PackageOids.TAMP_ERROR);
            // certificates are signed by their CA and not acknowledged (RFC 8295 section 3): no such path is routed
            case EE_CERTIFICATES -> throw new EstProtocolException(404, "end-entity certificates are not acknowledged");
        };
        if (!allowed.contains(type)) {
            throw EstProtocolException.badRequest("a message posted to /" + path + " must be a "
                    + allowed.stream().map(NAMES::get).collect(Collectors.joining(" or "))
                    + ", but its eContentType is " + NAMES.getOrDefault(type, type.getId()));
        }
        String name = NAMES.get(type);
        try {
            return decode(type, name, content);
        } catch (EstProtocolException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw EstProtocolException.badRequest("the " + name + " is malformed: " + e.getMessage());
        } catch (RuntimeException e) {
            // BouncyCastle's getInstance reports a wrong type or tagging with several RuntimeExceptions
            throw EstProtocolException.badRequest("the " + name + " is malformed: it does not follow the ASN.1 module of its RFC");
        }
    }

    private static ReturnReceipt decode(ASN1ObjectIdentifier type, String name, byte[] content) {
        ReceiptFields fields = ReceiptFields.of(content, name);
        if (type.equals(PackageOids.KEY_PACKAGE_RECEIPT)) {
            return keyPackageReceipt(fields, name);
        } else if (type.equals(PackageOids.KEY_PACKAGE_ERROR)) {
            return keyPackageError(fields, name);
        } else if (type.equals(PackageOids.FIRMWARE_LOAD_RECEIPT)) {
            return firmwareLoadReceipt(fields, name);
        } else if (type.equals(PackageOids.FIRMWARE_LOAD_ERROR)) {
            return firmwareLoadError(fields, name);
        } else if (type.equals(PackageOids.TAMP_ERROR)) {
            return tampError(fields, name);
        }
        return tampReply(type, fields, name);
    }

    /** KeyPackageReceipt ::= SEQUENCE { version KeyPkgVersion DEFAULT v2, receiptOf KeyPkgIdentifier, receivedBy SIREntityName }. */
    private static ReturnReceipt keyPackageReceipt(ReceiptFields fields, String name) {
        keyPackageVersion(fields);
        PackageReferences.KeyPackageId id = keyPackageIdentifier(fields.requiredAny("receiptOf (a KeyPkgIdentifier)"), name);
        sirEntityName(fields.required(ASN1Sequence.class, "receivedBy (a SIREntityName SEQUENCE)"));
        fields.end(name);
        return new ReturnReceipt(name, id, Outcome.ACCEPTED, name);
    }

    /**
     * KeyPackageError ::= SEQUENCE { version KeyPkgVersion DEFAULT v2, errorOf [0] KeyPkgIdentifier OPTIONAL,
     * errorBy SIREntityName, errorCode ErrorCodeChoice }. errorOf is a tagged CHOICE, hence explicitly tagged.
     */
    private static ReturnReceipt keyPackageError(ReceiptFields fields, String name) {
        keyPackageVersion(fields);
        ASN1TaggedObject errorOf = fields.optionalTagged(0);
        sirEntityName(fields.required(ASN1Sequence.class, "errorBy (a SIREntityName SEQUENCE)"));
        ASN1Encodable code = fields.requiredAny("errorCode (an ENUMERATED or an OBJECT IDENTIFIER)");
        fields.end(name);
        String detail;
        if (code instanceof ASN1Enumerated enumerated) {
            detail = ReturnErrorCodes.KEY_PACKAGE.describe(enumerated.getValue());
        } else if (code instanceof ASN1ObjectIdentifier oid) {
            detail = oid.getId();
        } else {
            throw new IllegalArgumentException("expected errorCode (an ENUMERATED or an OBJECT IDENTIFIER)");
        }
        if (errorOf == null) {
            throw EstProtocolException.badRequest("the KeyPackageError (" + detail + ") does not say which key package it is "
                    + "about (errorOf is absent), so it cannot be recorded against one");
        }
        if (!errorOf.isExplicit()) {
            throw new IllegalArgumentException("expected errorOf [0] to wrap a KeyPkgIdentifier (a tagged CHOICE is explicit)");
        }
        PackageReferences.KeyPackageId id = keyPackageIdentifier(errorOf.getExplicitBaseObject(), name);
        return new ReturnReceipt(name, id, Outcome.FAILED, name + " " + detail);
    }

    private static void keyPackageVersion(ReceiptFields fields) {
        ASN1Integer version = fields.optional(ASN1Integer.class);
        if (version != null && (version.getValue().signum() <= 0 || version.getValue().bitLength() > 16)) {
            throw new IllegalArgumentException("expected a version (KeyPkgVersion) of 1 to 65535");
        }
    }

    /** KeyPkgIdentifier ::= CHOICE { pkgID KeyPkgID (OCTET STRING), attribute SingleAttribute }. */
    private static PackageReferences.KeyPackageId keyPackageIdentifier(ASN1Encodable identifier, String name) {
        if (identifier instanceof ASN1OctetString pkgId) {
            return PackageReferences.KeyPackageId.of(pkgId.getOctets());
        }
        if (identifier instanceof ASN1Sequence) {
            throw EstProtocolException.badRequest("the " + name + " names the key package by an attribute; the packages "
                    + "est4j sends carry a pkgID (id-aa-KP-keyPkgIdAndReceiptReq), which it must name");
        }
        throw new IllegalArgumentException("expected a KeyPkgIdentifier (a pkgID OCTET STRING or a SingleAttribute)");
    }

    /** SIREntityName ::= SEQUENCE { sirenType OBJECT IDENTIFIER, sirenValue OCTET STRING }. */
    private static void sirEntityName(ASN1Sequence name) {
        ReceiptFields fields = new ReceiptFields(name, "SIREntityName");
        fields.required(ASN1ObjectIdentifier.class, "sirenType (an OBJECT IDENTIFIER)");
        fields.required(ASN1OctetString.class, "sirenValue (an OCTET STRING)");
        fields.end("SIREntityName");
    }

    /**
     * FirmwarePackageLoadReceipt ::= SEQUENCE { version FWReceiptVersion DEFAULT v1, hwType OBJECT IDENTIFIER,
     * hwSerialNum OCTET STRING, fwPkgName PreferredOrLegacyPackageIdentifier, trustAnchorKeyID OCTET STRING
     * OPTIONAL, decryptKeyID [1] OCTET STRING OPTIONAL }.
     */
    private static ReturnReceipt firmwareLoadReceipt(ReceiptFields fields, String name) {
        fields.optional(ASN1Integer.class);
        fields.required(ASN1ObjectIdentifier.class, "hwType (an OBJECT IDENTIFIER)");
        fields.required(ASN1OctetString.class, "hwSerialNum (an OCTET STRING)");
        PackageReferences.FirmwareName fwPkgName = PackageReferences.firmwareName(
                fields.requiredAny("fwPkgName (a PreferredOrLegacyPackageIdentifier)"));
        fields.optional(ASN1OctetString.class);
        fields.optionalTagged(1);
        fields.end(name);
        return new ReturnReceipt(name, fwPkgName, Outcome.ACCEPTED, name);
    }

    /**
     * FirmwarePackageLoadError ::= SEQUENCE { version FWErrorVersion DEFAULT v1, hwType OBJECT IDENTIFIER,
     * hwSerialNum OCTET STRING, errorCode FirmwarePackageLoadErrorCode, vendorErrorCode VendorLoadErrorCode
     * OPTIONAL, fwPkgName PreferredOrLegacyPackageIdentifier OPTIONAL, config [1] SEQUENCE OF CurrentFWConfig OPTIONAL }.
     */
    private static ReturnReceipt firmwareLoadError(ReceiptFields fields, String name) {
        fields.optional(ASN1Integer.class);
        fields.required(ASN1ObjectIdentifier.class, "hwType (an OBJECT IDENTIFIER)");
        fields.required(ASN1OctetString.class, "hwSerialNum (an OCTET STRING)");
        ASN1Enumerated errorCode = fields.required(ASN1Enumerated.class, "errorCode (an ENUMERATED)");
        ASN1Integer vendorErrorCode = fields.optional(ASN1Integer.class);
        ASN1Encodable fwPkgName = fields.optional(ASN1Sequence.class);
        if (fwPkgName == null) {
            fwPkgName = fields.optional(ASN1OctetString.class);
        }
        fields.optionalTagged(1);
        fields.end(name);
        String detail = name + " " + ReturnErrorCodes.FIRMWARE.describe(errorCode.getValue())
                + (vendorErrorCode == null ? "" : ", vendor error code " + vendorErrorCode.getValue());
        if (fwPkgName == null) {
            throw EstProtocolException.badRequest("the FirmwarePackageLoadError (" + detail + ") does not say which firmware "
                    + "package it is about (fwPkgName is absent), so it cannot be recorded against one");
        }
        return new ReturnReceipt(name, PackageReferences.firmwareName(fwPkgName), Outcome.FAILED, detail);
    }

    /**
     * The TAMP replies that refer to the message they answer with a TAMPMsgRef after an optional version [0]:
     * TAMPStatusResponse (query), TAMPUpdateConfirm (update), TAMPApexUpdateConfirm (apexReplace),
     * TAMPCommunityUpdateConfirm (update), SequenceNumberAdjustConfirm (adjust). A reply whose status codes
     * are not all {@code success} reports a failure.
     */
    private static ReturnReceipt tampReply(ASN1ObjectIdentifier type, ReceiptFields fields, String name) {
        tampVersion(fields);
        List<BigInteger> statuses = new ArrayList<>();
        PackageReferences.TampMessageRef ref;
        if (type.equals(PackageOids.TAMP_STATUS_RESPONSE)) {
            // { version [0] DEFAULT v2, query TAMPMsgRef, response StatusResponse ([0] terse | [1] verbose), usesApex BOOLEAN DEFAULT TRUE }
            ref = msgRef(PackageOids.TAMP_STATUS_QUERY, fields, "query");
            choice(fields.required(ASN1TaggedObject.class, "response (a StatusResponse, tagged [0] or [1])"), "response");
            fields.optional(ASN1Boolean.class);
        } else if (type.equals(PackageOids.TAMP_UPDATE_CONFIRM)) {
            // { version, update TAMPMsgRef, confirm UpdateConfirm ([0] IMPLICIT StatusCodeList | [1] IMPLICIT VerboseUpdateConfirm) }
            ref = msgRef(PackageOids.TAMP_UPDATE, fields, "update");
            ASN1TaggedObject confirm = choice(fields.required(ASN1TaggedObject.class, "confirm (an UpdateConfirm, tagged [0] or [1])"), "confirm");
            ASN1Sequence list = confirm.getTagNo() == 0 ? ASN1Sequence.getInstance(confirm, false)
                    : ASN1Sequence.getInstance(new ReceiptFields(ASN1Sequence.getInstance(confirm, false), "VerboseUpdateConfirm")
                            .required(ASN1Sequence.class, "status (a StatusCodeList)"));
            if (list.size() == 0) {
                throw new IllegalArgumentException("expected at least one status code");
            }
            for (ASN1Encodable status : list) {
                statuses.add(ASN1Enumerated.getInstance(status).getValue());
            }
        } else if (type.equals(PackageOids.TAMP_SEQ_NUM_ADJUST_CONFIRM)) {
            // { version, adjust TAMPMsgRef, status StatusCode }
            ref = msgRef(PackageOids.TAMP_SEQ_NUM_ADJUST, fields, "adjust");
            statuses.add(fields.required(ASN1Enumerated.class, "status (a StatusCode ENUMERATED)").getValue());
        } else {
            // TAMPCommunityUpdateConfirm { version, update TAMPMsgRef, commConfirm ([0] IMPLICIT StatusCode | [1] IMPLICIT SEQUENCE { status StatusCode, ... }) }
            // TAMPApexUpdateConfirm { version, apexReplace TAMPMsgRef, apexConfirm (same shape) }
            boolean community = type.equals(PackageOids.TAMP_COMMUNITY_UPDATE_CONFIRM);
            ref = msgRef(community ? PackageOids.TAMP_COMMUNITY_UPDATE : PackageOids.TAMP_APEX_UPDATE, fields,
                    community ? "update" : "apexReplace");
            String field = community ? "commConfirm" : "apexConfirm";
            ASN1TaggedObject confirm = choice(fields.required(ASN1TaggedObject.class, field + " (tagged [0] or [1])"), field);
            statuses.add(confirm.getTagNo() == 0 ? ASN1Enumerated.getInstance(confirm, false).getValue()
                    : new ReceiptFields(ASN1Sequence.getInstance(confirm, false), field)
                            .required(ASN1Enumerated.class, "status (a StatusCode ENUMERATED)").getValue());
        }
        fields.end(name);
        boolean success = statuses.stream().allMatch(SUCCESS::equals);
        String detail = success ? name : name + " status " + statuses.stream().map(ReturnErrorCodes.TAMP::describe)
                .collect(Collectors.joining(", "));
        return new ReturnReceipt(name, ref, success ? Outcome.ACCEPTED : Outcome.FAILED, detail);
    }

    /** TAMPError ::= SEQUENCE { version [0] DEFAULT v2, msgType OBJECT IDENTIFIER, status StatusCode, msgRef TAMPMsgRef OPTIONAL }. */
    private static ReturnReceipt tampError(ReceiptFields fields, String name) {
        tampVersion(fields);
        ASN1ObjectIdentifier msgType = fields.required(ASN1ObjectIdentifier.class, "msgType (an OBJECT IDENTIFIER)");
        ASN1Enumerated status = fields.required(ASN1Enumerated.class, "status (a StatusCode ENUMERATED)");
        ASN1Sequence msgRef = fields.optional(ASN1Sequence.class);
        fields.end(name);
        String detail = name + " " + ReturnErrorCodes.TAMP.describe(status.getValue()) + " for "
                + PackageReferences.TAMP_MESSAGES.getOrDefault(msgType, msgType.getId());
        if (msgRef == null) {
            throw EstProtocolException.badRequest("the TAMPError (" + detail + ") does not say which message it is about "
                    + "(msgRef is absent), so it cannot be recorded against one");
        }
        return new ReturnReceipt(name, PackageReferences.tampMessageRef(msgType, msgRef), Outcome.FAILED, detail);
    }

    private static void tampVersion(ReceiptFields fields) {
        ASN1TaggedObject version = fields.optionalTagged(0);
        if (version != null) {
            ASN1Integer.getInstance(version, false); // TAMPVersion, implicitly tagged
        }
    }

    private static PackageReferences.TampMessageRef msgRef(ASN1ObjectIdentifier messageType, ReceiptFields fields, String field) {
        return PackageReferences.tampMessageRef(messageType, fields.requiredAny(field + " (a TAMPMsgRef)"));
    }

    private static ASN1TaggedObject choice(ASN1TaggedObject tagged, String field) {
        if (tagged.getTagClass() != org.bouncycastle.asn1.BERTags.CONTEXT_SPECIFIC || tagged.getTagNo() > 1) {
            throw new IllegalArgumentException("expected " + field + " tagged [0] or [1]");
        }
        return tagged;
    }
}

package org.est4j.jaxrs.packages;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.SignerInformation;
import org.est4j.jaxrs.codec.PackageOids;
import org.est4j.spi.DistributedPackage;

/**
 * What names a package in a message posted to {@code /return}, and the same reference read from the packages a
 * {@link org.est4j.spi.PackageService} handed out, so the two can be compared by value:
 * <ul>
 * <li>symmetric keys (RFC 7191): the {@code pkgID} OCTET STRING, which est4j sets to the UTF-8 bytes of
 *     {@link DistributedPackage#id()} when it signs the package ({@code id-aa-KP-keyPkgIdAndReceiptReq});</li>
 * <li>firmware (RFC 4108): the {@code PreferredOrLegacyPackageIdentifier} the firmware's signer put in the
 *     {@code name} of the {@code id-aa-firmwarePackageID} signed attribute;</li>
 * <li>TAMP (RFC 5934): the {@code TAMPMsgRef} (target and sequence number) of the query or update, with the
 *     type of the message it belongs to, so that a confirm of an update cannot acknowledge a status query.</li>
 * </ul>
 * Why references and not ids: only for symmetric keys does est4j put the package id into what the client
 * signs; firmware and TAMP packages are sent as their signers made them.
 */
public final class PackageReferences {

    /** The TAMP messages est4j distributes, and the RFC 5934 name of each. */
    static final Map<ASN1ObjectIdentifier, String> TAMP_MESSAGES = Map.of(
            PackageOids.TAMP_STATUS_QUERY, "TAMPStatusQuery", PackageOids.TAMP_UPDATE, "TAMPUpdate",
            PackageOids.TAMP_APEX_UPDATE, "TAMPApexUpdate", PackageOids.TAMP_COMMUNITY_UPDATE, "TAMPCommunityUpdate",
            PackageOids.TAMP_SEQ_NUM_ADJUST, "SequenceNumberAdjust");

    private PackageReferences() {
    }

    /** A reference to one package, equal to another naming the same package. */
    public sealed interface Reference permits KeyPackageId, FirmwareName, TampMessageRef {
        /** For replies and logs; may hold client text, so quote it. */
        String describe();
    }

    /**
     * An RFC 7191 {@code KeyPkgID}.
     *
     * @param hex the OCTET STRING's value in lower-case hexadecimal
     */
    public record KeyPackageId(String hex) implements Reference {
        public static KeyPackageId of(byte[] pkgId) {
            return new KeyPackageId(HexFormat.of().formatHex(pkgId));
        }

        /** The reference for the package est4j distributed under {@code packageId}. */
        public static KeyPackageId forPackage(String packageId) {
            return of(packageId.getBytes(StandardCharsets.UTF_8));
        }

        public byte[] bytes() {
            return HexFormat.of().parseHex(hex);
        }

        /** The package id this pkgID names, if it is UTF-8 text (as every pkgID est4j sets is). */
        public Optional<String> asPackageId() {
            try {
                return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes())).toString());
            } catch (CharacterCodingException e) {
                return Optional.empty();
            }
        }

        @Override
        public String describe() {
            return "pkgID " + asPackageId().map(id -> "'" + id + "'").orElse("0x" + hex);
        }
    }

    /**
     * An RFC 4108 {@code PreferredOrLegacyPackageIdentifier}.
     *
     * @param derHex its DER encoding in hexadecimal (a CHOICE: compared as a whole)
     */
    public record FirmwareName(String derHex) implements Reference {
        @Override
        public String describe() {
            ASN1Encodable name = ReceiptFields.single(HexFormat.of().parseHex(derHex), "name");
            if (name instanceof ASN1Sequence preferred) {
                return "firmware package " + preferred.getObjectAt(0) + " version " + preferred.getObjectAt(1);
            }
            byte[] legacy = ((ASN1OctetString) name).getOctets();
            return "legacy firmware package 0x" + HexFormat.of().formatHex(legacy);
        }
    }

    /**
     * An RFC 5934 {@code TAMPMsgRef} and the message it refers to.
     *
     * @param messageType the content type of the query or update (id-ct-TAMP-statusQuery, ...)
     * @param targetHex   the DER of the {@code TargetIdentifier} in hexadecimal
     * @param seqNum      the sequence number
     */
    public record TampMessageRef(String messageType, String targetHex, BigInteger seqNum) implements Reference {
        @Override
        public String describe() {
            return TAMP_MESSAGES.getOrDefault(new ASN1ObjectIdentifier(messageType), messageType) + " seqNum " + seqNum;
        }
    }

    /**
     * The reference a return message for {@code distributed} carries; empty for a package whose content does
     * not hold one (end-entity certificates, which are not acknowledged, or content that is not what its kind
     * promises).
     */
    public static Optional<Reference> of(DistributedPackage distributed) {
        try {
            return switch (distributed.kind()) {
                case SYMMETRIC_KEYS -> Optional.of(KeyPackageId.forPackage(distributed.id()));
                case FIRMWARE -> Optional.of(firmwareName(signedData(distributed.content())));
                case TAMP -> Optional.of(tampReference(signedData(distributed.content())));
                case EE_CERTIFICATES -> Optional.empty();
            };
        } catch (RuntimeException e) {
            // not what its kind promises (BouncyCastle reports wrong types with several RuntimeExceptions):
            // a package the client cannot have acknowledged either
            return Optional.empty();
        }
    }

    /** The first of {@code given} that {@code reference} names. */
    public static Optional<DistributedPackage> find(Reference reference, List<DistributedPackage> given) {
        return given.stream().filter(p -> of(p).filter(reference::equals).isPresent()).findFirst();
    }

    /** Reads a {@code PreferredOrLegacyPackageIdentifier}: SEQUENCE { fwPkgID OID, verNum INTEGER (0..MAX) } or OCTET STRING. */
    static FirmwareName firmwareName(ASN1Encodable name) {
        if (name instanceof ASN1Sequence preferred) {
            ReceiptFields fields = new ReceiptFields(preferred, "PreferredPackageIdentifier");
            fields.required(ASN1ObjectIdentifier.class, "fwPkgID (an OBJECT IDENTIFIER)");
            ASN1Integer version = fields.required(ASN1Integer.class, "verNum (an INTEGER)");
            fields.end("PreferredPackageIdentifier");
            if (version.getValue().signum() < 0) {
                throw new IllegalArgumentException("expected a verNum of 0 or more");
            }
        } else if (!(name instanceof ASN1OctetString)) {
            throw new IllegalArgumentException("expected a PreferredOrLegacyPackageIdentifier (a SEQUENCE or an OCTET STRING)");
        }
        return new FirmwareName(HexFormat.of().formatHex(der(name)));
    }

    /** Reads a {@code TAMPMsgRef}: SEQUENCE { target TargetIdentifier ([1] to [5]), seqNum INTEGER (0..MAX) }. */
    static TampMessageRef tampMessageRef(ASN1ObjectIdentifier messageType, ASN1Encodable msgRef) {
        ReceiptFields fields = new ReceiptFields(msgRef, "TAMPMsgRef");
        ASN1TaggedObject target = fields.required(ASN1TaggedObject.class, "target (a TargetIdentifier, tagged [1] to [5])");
        if (target.getTagClass() != BERTags.CONTEXT_SPECIFIC || target.getTagNo() < 1 || target.getTagNo() > 5) {
            throw new IllegalArgumentException("expected a TargetIdentifier tagged [1] to [5]");
        }
        ASN1Integer seqNum = fields.required(ASN1Integer.class, "seqNum (an INTEGER)");
        fields.end("TAMPMsgRef");
        if (seqNum.getValue().signum() < 0) {
            throw new IllegalArgumentException("expected a seqNum of 0 or more");
        }
        return new TampMessageRef(messageType.getId(), HexFormat.of().formatHex(der(target)), seqNum.getValue());
    }

    /** The {@code name} of the firmwarePackageID signed attribute of the firmware package's signer. */
    private static FirmwareName firmwareName(CMSSignedData signed) {
        for (SignerInformation signer : signed.getSignerInfos().getSigners()) {
            AttributeTable attributes = signer.getSignedAttributes();
            Attribute id = attributes == null ? null : attributes.get(PackageOids.FIRMWARE_PACKAGE_ID);
            if (id != null && id.getAttrValues().size() == 1) {
                ReceiptFields fields = new ReceiptFields(id.getAttrValues().getObjectAt(0), "FirmwarePackageIdentifier");
                return firmwareName(fields.requiredAny("name"));
            }
        }
        throw new IllegalArgumentException("expected a firmwarePackageID signed attribute");
    }

    /** The msgRef of the TAMP message a distributed TAMP package carries. */
    private static TampMessageRef tampReference(CMSSignedData signed) {
        ASN1ObjectIdentifier type = signed.getSignedContentType();
        if (!TAMP_MESSAGES.containsKey(type)) {
            throw new IllegalArgumentException("expected a TAMP message");
        }
        ReceiptFields fields = ReceiptFields.of(content(signed), TAMP_MESSAGES.get(type));
        // version [0] and terse [1] (DEFAULTs) precede the msgRef (the query of a TAMPStatusQuery) in all of them
        fields.optionalTagged(0);
        fields.optionalTagged(1);
        return tampMessageRef(type, fields.requiredAny("msgRef"));
    }

    /** The SignedData a firmware or TAMP package is. */
    private static CMSSignedData signedData(byte[] content) {
        try {
            ContentInfo info = ContentInfo.getInstance(ReceiptFields.single(content, "ContentInfo"));
            if (!CMSObjectIdentifiers.signedData.equals(info.getContentType())) {
                throw new IllegalArgumentException("expected a SignedData");
            }
            CMSSignedData signed = new CMSSignedData(info);
            signed.getSignerInfos();
            return signed;
        } catch (CMSException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("expected a SignedData", e);
        }
    }

    private static byte[] content(CMSSignedData signed) {
        CMSTypedData content = signed.getSignedContent();
        if (content == null || !(content.getContent() instanceof byte[] octets)) {
            throw new IllegalArgumentException("expected encapsulated content");
        }
        return octets;
    }

    private static byte[] der(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalArgumentException("expected DER-encodable content", e);
        }
    }
}

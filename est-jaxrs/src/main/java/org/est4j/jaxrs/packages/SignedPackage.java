package org.est4j.jaxrs.packages;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerIdentifier;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.ASN1OctetString;
import org.est4j.jaxrs.codec.PackageOids;

/**
 * What the package availability list says about an operator's signed package (firmware, TAMP): the type of what
 * its SignedData carries and who signed it. Read from the DER {@code ContentInfo} the package service holds; a
 * package that is not a SignedData is still served as it is, it only cannot be described.
 */
record SignedPackage(ASN1ObjectIdentifier contentType, Optional<PalEntry.Info> signer) {

    /**
     * TAMP message content types to their PAL type and the PAL type of the reply the client returns (RFC 5934
     * sections 2-5; RFC 8295 section 2.1.1). An apex trust anchor update is a trust anchor update.
     */
    static final Map<ASN1ObjectIdentifier, String[]> TAMP_TYPES = Map.of(
            PackageOids.TAMP_STATUS_QUERY, new String[] {PalEntry.TAMP_STATUS_QUERY, PalEntry.TAMP_STATUS_RESPONSE},
            PackageOids.TAMP_UPDATE, new String[] {PalEntry.TRUST_ANCHOR_UPDATE, PalEntry.TRUST_ANCHOR_UPDATE_CONFIRM},
            PackageOids.TAMP_APEX_UPDATE, new String[] {PalEntry.TRUST_ANCHOR_UPDATE, PalEntry.TRUST_ANCHOR_UPDATE_CONFIRM},
            PackageOids.TAMP_COMMUNITY_UPDATE, new String[] {PalEntry.COMMUNITY_UPDATE, PalEntry.COMMUNITY_UPDATE_CONFIRM},
            PackageOids.TAMP_SEQ_NUM_ADJUST, new String[] {PalEntry.SEQUENCE_NUMBER_ADJUST, PalEntry.SEQUENCE_NUMBER_ADJUST_CONFIRM});

    /** The signed content's type and first signer, or empty when {@code der} is not a DER ContentInfo of SignedData. */
    static Optional<SignedPackage> read(byte[] der) {
        try {
            ASN1Primitive primitive = ASN1Primitive.fromByteArray(der);
            if (!(primitive instanceof ASN1Sequence)) {
                return Optional.empty();
            }
            ContentInfo info = ContentInfo.getInstance(primitive);
            if (!CMSObjectIdentifiers.signedData.equals(info.getContentType()) || info.getContent() == null) {
                return Optional.empty();
            }
            SignedData signed = SignedData.getInstance(info.getContent());
            Optional<PalEntry.Info> signer = Optional.empty();
            if (signed.getSignerInfos().size() > 0) {
                signer = signerOf(SignerInfo.getInstance(signed.getSignerInfos().getObjectAt(0)).getSID());
            }
            return Optional.of(new SignedPackage(signed.getEncapContentInfo().getContentType(), signer));
        } catch (IOException | RuntimeException e) {
            // BouncyCastle reports malformed structures with IllegalArgumentException and friends
            return Optional.empty();
        }
    }

    private static Optional<PalEntry.Info> signerOf(SignerIdentifier sid) {
        ASN1Encodable id = sid.getId();
        if (id instanceof org.bouncycastle.asn1.ASN1TaggedObject tagged) {
            return Optional.of(PalEntry.Ski.of(ASN1OctetString.getInstance(tagged, false).getOctets()));
        }
        IssuerAndSerialNumber iasn = IssuerAndSerialNumber.getInstance(id);
        try {
            return Optional.of(new PalEntry.Iasn(PackageDistribution.rfc4514(new X500Principal(iasn.getName().getEncoded("DER"))),
                    iasn.getSerialNumber().getValue()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

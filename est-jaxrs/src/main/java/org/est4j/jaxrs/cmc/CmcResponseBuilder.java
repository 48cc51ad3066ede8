package org.est4j.jaxrs.cmc;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cmc.BodyPartID;
import org.bouncycastle.asn1.cmc.CMCFailInfo;
import org.bouncycastle.asn1.cmc.CMCObjectIdentifiers;
import org.bouncycastle.asn1.cmc.CMCStatus;
import org.bouncycastle.asn1.cmc.CMCStatusInfoV2Builder;
import org.bouncycastle.asn1.cmc.OtherMsg;
import org.bouncycastle.asn1.cmc.PKIResponse;
import org.bouncycastle.asn1.cmc.PendInfo;
import org.bouncycastle.asn1.cmc.TaggedAttribute;
import org.bouncycastle.asn1.cmc.TaggedContentInfo;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;

import org.est4j.jaxrs.codec.ResponseSigner;

/**
 * Collects the controls and certificates of a Full PKI Response (RFC 5272 section 3.2.2) and signs it:
 * a SignedData with eContentType id-cct-PKIResponse, the PKIResponse's controlSequence holding one
 * CMCStatusInfoV2 per outcome, and the certificates field holding the signer's chain and every issued
 * certificate with its chain.
 */
final class CmcResponseBuilder {

    /** RFC 5272 section 3.2.2: bodyPartID 0 designates the PKIData itself, for message-level outcomes. */
    static final long WHOLE_MESSAGE = 0;

    private final List<TaggedAttribute> controls = new ArrayList<>();
    private final Set<X509Certificate> certificates = new LinkedHashSet<>();

    void success(long bodyPart) {
        add(CMCObjectIdentifiers.id_cmc_statusInfoV2,
                new CMCStatusInfoV2Builder(CMCStatus.success, new BodyPartID(bodyPart)).build());
    }

    void failure(CmcFailure failure, long... bodyParts) {
        failure(failure.failInfo(), failure.statusString(), bodyParts);
    }

    void failure(CMCFailInfo failInfo, String statusString, long... bodyParts) {
        BodyPartID[] ids = new BodyPartID[bodyParts.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = new BodyPartID(bodyParts[i]);
        }
        add(CMCObjectIdentifiers.id_cmc_statusInfoV2, new CMCStatusInfoV2Builder(CMCStatus.failed, ids)
                .setStatusString(statusString).setOtherInfo(failInfo).build());
    }

    void pending(PendInfo pendInfo, String statusString, long bodyPart) {
        add(CMCObjectIdentifiers.id_cmc_statusInfoV2, new CMCStatusInfoV2Builder(CMCStatus.pending, new BodyPartID(bodyPart))
                .setStatusString(statusString).setOtherInfo(pendInfo).build());
    }

    /** Any other control of the response (transactionId, nonces), with one value. */
    void control(ASN1ObjectIdentifier type, ASN1Encodable value) {
        add(type, value);
    }

    void certificates(X509Certificate issued, List<X509Certificate> chain) {
        certificates.add(issued);
        certificates.addAll(chain);
    }

    private void add(ASN1ObjectIdentifier type, ASN1Encodable value) {
        // Each control of the response is a body part of its own, numbered in order.
        controls.add(new TaggedAttribute(new BodyPartID(controls.size() + 1L), type, new DERSet(value)));
    }

    /** The DER of the signed response ContentInfo. */
    byte[] sign(ResponseSigner signer) {
        try {
            PKIResponse response = new PKIResponse(controls.toArray(TaggedAttribute[]::new),
                    new TaggedContentInfo[0], new OtherMsg[0]);
            return signer.sign(CMCObjectIdentifiers.id_cct_PKIResponse, response.getEncoded(ASN1Encoding.DER), List.copyOf(certificates));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the CMC response", e);
        }
    }
}

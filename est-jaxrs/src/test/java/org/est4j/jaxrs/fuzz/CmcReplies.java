package org.est4j.jaxrs.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cmc.BodyPartID;
import org.bouncycastle.asn1.cmc.CMCFailInfo;
import org.bouncycastle.asn1.cmc.CMCObjectIdentifiers;
import org.bouncycastle.asn1.cmc.CMCStatusInfoV2;
import org.bouncycastle.asn1.cmc.PKIResponse;
import org.bouncycastle.asn1.cmc.TaggedAttribute;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;

import org.est4j.jaxrs.codec.BouncyCastle;

/** Reads a Full PKI Response as a CMC client would, failing the fuzz target when it is not a well-formed, signed one. */
final class CmcReplies {

    /** One CMCStatusInfoV2: its body parts, and the failInfo when it is a failure with one. */
    record Status(List<Long> bodyParts, CMCFailInfo failInfo) {
    }

    private CmcReplies() {
    }

    /** The statuses of {@code der}, after checking that it is a PKIResponse signed by {@code signer} with a fresh senderNonce. */
    static List<Status> read(byte[] der, X509Certificate signer) {
        CMSSignedData signed;
        PKIResponse response;
        try {
            signed = new CMSSignedData(der);
            assertEquals(CMCObjectIdentifiers.id_cct_PKIResponse, signed.getSignedContentType(), "eContentType of the response");
            Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
            assertEquals(1, signers.size(), "signers of the response");
            assertTrue(signers.iterator().next().verify(new JcaSimpleSignerInfoVerifierBuilder()
                    .setProvider(BouncyCastle.PROVIDER).build(signer)), "the response signature verifies");
            response = PKIResponse.getInstance(signed.getSignedContent().getContent());
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("the reply is not a well-formed signed PKIResponse", e);
        }
        List<Status> statuses = new ArrayList<>();
        int senderNonces = 0;
        for (int i = 0; i < response.getControlSequence().size(); i++) {
            TaggedAttribute control = TaggedAttribute.getInstance(response.getControlSequence().getObjectAt(i));
            assertEquals(1, control.getAttrValues().size(), "values of a response control");
            ASN1Encodable value = control.getAttrValues().getObjectAt(0);
            ASN1ObjectIdentifier type = control.getAttrType();
            if (type.equals(CMCObjectIdentifiers.id_cmc_statusInfoV2)) {
                statuses.add(status(CMCStatusInfoV2.getInstance(value)));
            } else if (type.equals(CMCObjectIdentifiers.id_cmc_senderNonce)) {
                senderNonces++;
                assertEquals(16, ASN1OctetString.getInstance(value).getOctets().length, "the server's senderNonce");
            } else if (!type.equals(CMCObjectIdentifiers.id_cmc_transactionId) && !type.equals(CMCObjectIdentifiers.id_cmc_recipientNonce)) {
                fail("unexpected control in the response: " + type);
            }
        }
        assertEquals(1, senderNonces, "senderNonce controls in the response");
        return statuses;
    }

    private static Status status(CMCStatusInfoV2 info) {
        List<Long> bodyParts = new ArrayList<>();
        for (BodyPartID id : info.getBodyList()) {
            bodyParts.add(id.getID());
        }
        assertFalse(bodyParts.isEmpty(), "a status names the body parts it is about");
        CMCFailInfo failInfo = null;
        if (info.hasOtherInfo() && info.getOtherStatusInfo().isFailInfo()) {
            failInfo = CMCFailInfo.getInstance(info.getOtherStatusInfo().toASN1Primitive());
        }
        return new Status(bodyParts, failInfo);
    }
}

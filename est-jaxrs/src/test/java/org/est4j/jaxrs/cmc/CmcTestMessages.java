package org.est4j.jaxrs.cmc;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cmc.BodyPartID;
import org.bouncycastle.asn1.cmc.CMCFailInfo;
import org.bouncycastle.asn1.cmc.CMCObjectIdentifiers;
import org.bouncycastle.asn1.cmc.CMCStatusInfoV2;
import org.bouncycastle.asn1.cmc.OtherMsg;
import org.bouncycastle.asn1.cmc.PKIData;
import org.bouncycastle.asn1.cmc.PKIResponse;
import org.bouncycastle.asn1.cmc.PendInfo;
import org.bouncycastle.asn1.cmc.TaggedAttribute;
import org.bouncycastle.asn1.cmc.TaggedCertificationRequest;
import org.bouncycastle.asn1.cmc.TaggedContentInfo;
import org.bouncycastle.asn1.cmc.TaggedRequest;
import org.bouncycastle.asn1.crmf.CertReqMsg;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.crmf.jcajce.JcaCertificateRequestMessageBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import org.est4j.jaxrs.codec.BouncyCastle;

/** Builds Full PKI Requests and reads Full PKI Responses for the unit tests, as a CMC client would. */
final class CmcTestMessages {

    /** How a CRMF request proves possession of its key. */
    enum Pop { SIGNATURE, SIGNATURE_BY_OTHER_KEY, RA_VERIFIED, NONE }

    private CmcTestMessages() {
    }

    static TaggedRequest pkcs10(long bodyPartId, byte[] csrDer) {
        return new TaggedRequest(new TaggedCertificationRequest(new BodyPartID(bodyPartId),
                org.bouncycastle.asn1.cmc.CertificationRequest.getInstance(csrDer)));
    }

    static TaggedRequest crmf(long certReqId, KeyPair key, String subject, Pop pop, GeneralName... sans) {
        try {
            JcaCertificateRequestMessageBuilder b = new JcaCertificateRequestMessageBuilder(BigInteger.valueOf(certReqId));
            b.setSubject(new X500Principal(subject)).setPublicKey(key.getPublic());
            if (sans.length > 0) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            }
            switch (pop) {
                case SIGNATURE -> b.setProofOfPossessionSigningKeySigner(signer(key.getPrivate()));
                case SIGNATURE_BY_OTHER_KEY -> b.setProofOfPossessionSigningKeySigner(
                        signer(org.est4j.jaxrs.TestPki.ecKey().getPrivate()));
                case RA_VERIFIED -> b.setProofOfPossessionRaVerified();
                case NONE -> { }
            }
            return new TaggedRequest(b.build().toASN1Structure());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static TaggedAttribute control(long bodyPartId, ASN1ObjectIdentifier type, ASN1Encodable value) {
        return new TaggedAttribute(new BodyPartID(bodyPartId), type, new DERSet(value));
    }

    static PKIData pkiData(List<TaggedAttribute> controls, TaggedRequest... requests) {
        return new PKIData(controls.toArray(TaggedAttribute[]::new), requests, new TaggedContentInfo[0], new OtherMsg[0]);
    }

    /** A SignedData of {@code data}, signed by {@code key} and identified by {@code certificate}, which it carries. */
    static byte[] signed(PKIData data, X509Certificate certificate, PrivateKey key) {
        try {
            CMSSignedDataGenerator g = new CMSSignedDataGenerator();
            g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(digests()).build(signer(key), certificate));
            g.addCertificates(new JcaCertStore(List.of(certificate)));
            return g.generate(new CMSProcessableByteArray(CMCObjectIdentifiers.id_cct_PKIData, data.getEncoded()), true)
                    .getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 5272 section 3.2.1.3.1: signed with the key being certified, sid = its subjectKeyIdentifier, no certificates. */
    static byte[] selfSigned(PKIData data, KeyPair requestKey) {
        try {
            byte[] spki = org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(requestKey.getPublic().getEncoded())
                    .getPublicKeyData().getBytes();
            byte[] ski = MessageDigest.getInstance("SHA-1").digest(spki);
            CMSSignedDataGenerator g = new CMSSignedDataGenerator();
            g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(digests()).build(signer(requestKey.getPrivate()), ski));
            return g.generate(new CMSProcessableByteArray(CMCObjectIdentifiers.id_cct_PKIData, data.getEncoded()), true)
                    .getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ContentSigner signer(PrivateKey key) throws Exception {
        return new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BouncyCastle.PROVIDER).build(key);
    }

    private static org.bouncycastle.operator.DigestCalculatorProvider digests() throws Exception {
        return new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build();
    }

    /** One CMCStatusInfoV2 of a response, decoded. */
    record Status(List<Long> bodyList, int status, CMCFailInfo failInfo, String statusString, PendInfo pendInfo) {
        boolean isSuccess() {
            return status == 0;
        }

        boolean isFailed() {
            return status == 2;
        }

        boolean isPending() {
            return status == 3;
        }
    }

    /** A Full PKI Response whose signature verified with the expected signer. */
    record Response(List<Status> statuses, List<X509Certificate> certificates, byte[] transactionId,
                    byte[] senderNonce, byte[] recipientNonce) {

        Status only() {
            if (statuses.size() != 1) {
                throw new AssertionError("expected one status, got " + statuses);
            }
            return statuses.get(0);
        }

        Status statusFor(long bodyPartId) {
            return statuses.stream().filter(s -> s.bodyList().contains(bodyPartId)).findFirst()
                    .orElseThrow(() -> new AssertionError("no status for bodyPartID " + bodyPartId + " in " + statuses));
        }
    }

    /** Parses and verifies a response; fails the test when it is not a PKIResponse signed by {@code signer}. */
    static Response parse(byte[] der, X509Certificate signer) {
        try {
            CMSSignedData signed = new CMSSignedData(der);
            if (!CMCObjectIdentifiers.id_cct_PKIResponse.equals(signed.getSignedContentType())) {
                throw new AssertionError("eContentType is " + signed.getSignedContentType());
            }
            Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
            if (signers.size() != 1) {
                throw new AssertionError(signers.size() + " signers");
            }
            if (!signers.iterator().next().verify(new JcaSimpleSignerInfoVerifierBuilder()
                    .setProvider(BouncyCastle.PROVIDER).build(signer))) {
                throw new AssertionError("the response signature does not verify");
            }
            PKIResponse response = PKIResponse.getInstance(signed.getSignedContent().getContent());
            List<Status> statuses = new ArrayList<>();
            byte[] transactionId = null;
            byte[] senderNonce = null;
            byte[] recipientNonce = null;
            for (int i = 0; i < response.getControlSequence().size(); i++) {
                TaggedAttribute control = TaggedAttribute.getInstance(response.getControlSequence().getObjectAt(i));
                ASN1Encodable value = control.getAttrValues().getObjectAt(0);
                ASN1ObjectIdentifier type = control.getAttrType();
                if (type.equals(CMCObjectIdentifiers.id_cmc_statusInfoV2)) {
                    statuses.add(status(CMCStatusInfoV2.getInstance(value)));
                } else if (type.equals(CMCObjectIdentifiers.id_cmc_transactionId)) {
                    transactionId = ASN1Integer.getInstance(value).getValue().toByteArray();
                } else if (type.equals(CMCObjectIdentifiers.id_cmc_senderNonce)) {
                    senderNonce = ASN1OctetString.getInstance(value).getOctets();
                } else if (type.equals(CMCObjectIdentifiers.id_cmc_recipientNonce)) {
                    recipientNonce = ASN1OctetString.getInstance(value).getOctets();
                } else {
                    throw new AssertionError("unexpected control " + type);
                }
            }
            List<X509Certificate> certificates = new ArrayList<>();
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER);
            for (X509CertificateHolder holder : signed.getCertificates().getMatches(null)) {
                certificates.add(converter.getCertificate(holder));
            }
            return new Response(statuses, certificates, transactionId, senderNonce, recipientNonce);
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError("not a well-formed signed PKIResponse", e);
        }
    }

    private static Status status(CMCStatusInfoV2 info) {
        List<Long> bodyList = new ArrayList<>();
        for (BodyPartID id : info.getBodyList()) {
            bodyList.add(id.getID());
        }
        int status = ASN1Integer.getInstance(info.getCMCStatus().toASN1Primitive()).intValueExact();
        CMCFailInfo failInfo = null;
        PendInfo pendInfo = null;
        if (info.hasOtherInfo()) {
            // OtherStatusInfo has no accessors for its choice: read its encoding.
            ASN1Primitive other = info.getOtherStatusInfo().toASN1Primitive();
            if (info.getOtherStatusInfo().isFailInfo()) {
                failInfo = CMCFailInfo.getInstance(other);
            } else if (info.getOtherStatusInfo().isPendingInfo()) {
                pendInfo = PendInfo.getInstance(other);
            }
        }
        String text = info.getStatusStringUTF8() == null ? null : info.getStatusStringUTF8().getString();
        return new Status(bodyList, status, failInfo, text, pendInfo);
    }

    /** The DER of a CertReqMsg, as the CA sees it in {@code CertificationRequest.der()}. */
    static byte[] der(TaggedRequest request) {
        try {
            return request.getTagNo() == TaggedRequest.CRM
                    ? CertReqMsg.getInstance(request.getValue()).getEncoded()
                    : TaggedCertificationRequest.getInstance(request.getValue()).getCertificationRequest().getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

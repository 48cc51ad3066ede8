package org.est4j.jaxrs.cmc;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cmc.BodyPartID;
import org.bouncycastle.asn1.cmc.CMCFailInfo;
import org.bouncycastle.asn1.cmc.CMCObjectIdentifiers;
import org.bouncycastle.asn1.cmc.TaggedCertificationRequest;
import org.bouncycastle.asn1.cmc.TaggedRequest;
import org.bouncycastle.asn1.crmf.AttributeTypeAndValue;
import org.bouncycastle.asn1.crmf.CertReqMsg;
import org.bouncycastle.asn1.crmf.CertTemplate;
import org.bouncycastle.asn1.crmf.Controls;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.crmf.CRMFException;
import org.bouncycastle.cert.crmf.CertificateRequestMessage;
import org.bouncycastle.operator.OperatorCreationException;
import org.est4j.jaxrs.codec.SignatureProvider;

import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.codec.CsrDecoder;
import org.est4j.jaxrs.codec.RequestFields;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.CertificationRequest;

/**
 * Turns one TaggedRequest of a PKIData into the SPI's {@link CertificationRequest}, after checking its
 * proof of possession: the PKCS#10 self-signature for {@code tcr}, the CRMF POP (RFC 4211 section 4)
 * for {@code crm}. Every defect is a {@link CmcFailure} for that request alone.
 */
final class CmcRequestDecoder {

    static final String SUPPORTED_POP = "est4j accepts the signature POP (signingKey) and, from a client "
            + "authenticated with an id-kp-cmcRA certificate, raVerified";

    private static final String ID_KP_CMC_RA = CMCObjectIdentifiers.id_kp_cmcRA.getId();

    /** Same choice as CsrDecoder: JDK key objects where the JDK has the algorithm, so CAs see familiar types. */
    private static final String TEMPLATE = "the CRMF template's";

    private CmcRequestDecoder() {
    }

    /** The bodyPartID the request names: the certReqId of a CertReqMsg, the bodyPartID of the other two. */
    static long bodyPartId(TaggedRequest request) {
        return switch (request.getTagNo()) {
            case TaggedRequest.TCR -> TaggedCertificationRequest.getInstance(request.getValue()).getBodyPartID().getID();
            case TaggedRequest.CRM -> BodyPartID.getInstance(
                    CertReqMsg.getInstance(request.getValue()).getCertReq().getCertReqId()).getID();
            default -> BodyPartID.getInstance(ASN1Sequence.getInstance(request.getValue()).getObjectAt(0)).getID();
        };
    }

    /**
     * @param request the parsed request
     * @param der     its DER as the client sent it (PKCS#10 CertificationRequest or CertReqMsg)
     * @param client  the HTTP client, whose TLS certificate decides whether raVerified is acceptable
     */
    static CertificationRequest decode(TaggedRequest request, byte[] der, AuthenticatedClient client) throws CmcFailure {
        return switch (request.getTagNo()) {
            case TaggedRequest.TCR -> pkcs10(der);
            case TaggedRequest.CRM -> crmf(der, client);
            default -> throw CmcFailure.badRequest("other request messages (orm) are not supported");
        };
    }

    private static CertificationRequest pkcs10(byte[] der) throws CmcFailure {
        try {
            return CsrDecoder.decode(der).request();
        } catch (EstProtocolException e) {
            throw new CmcFailure(pkcs10FailInfo(e.getMessage()), e.getMessage());
        }
    }

    /**
     * CsrDecoder reports every defect as a 400 with a reason; CMC distinguishes a failed proof of
     * possession and an unsupported algorithm, so the reason decides.
     */
    private static CMCFailInfo pkcs10FailInfo(String reason) {
        if (reason.contains("signature")) {
            return reason.contains("not supported") ? CMCFailInfo.badAlg : CMCFailInfo.popFailed;
        }
        return reason.contains("proof of possession") ? CMCFailInfo.popFailed : CMCFailInfo.badRequest;
    }

    private static CertificationRequest crmf(byte[] der, AuthenticatedClient client) throws CmcFailure {
        CertificateRequestMessage message;
        CertTemplate template;
        try {
            message = new CertificateRequestMessage(CertReqMsg.getInstance(der));
            template = message.getCertTemplate();
        } catch (RuntimeException e) {
            throw CmcFailure.badRequest("the CRMF CertReqMsg is malformed (RFC 4211)");
        }
        SubjectPublicKeyInfo keyInfo = template.getPublicKey();
        if (keyInfo == null) {
            throw CmcFailure.badRequest("the CRMF certificate template carries no public key: est4j certifies only keys the client sends");
        }
        rejectControls(message);
        verifyPop(message, keyInfo, client);
        RequestFields.RequestedExtensions extensions = field(() -> RequestFields.extensions(template.getExtensions(), TEMPLATE),
                CMCFailInfo.badRequest);
        return new CertificationRequest(CertificationRequest.Format.CRMF, der,
                field(() -> RequestFields.subject(template.getSubject(), TEMPLATE), CMCFailInfo.badRequest),
                field(() -> RequestFields.publicKey(keyInfo, TEMPLATE), CMCFailInfo.badAlg), extensions.subjectAltNames(),
                extensions.all(), Optional.empty());
    }

    /**
     * CRMF controls (RFC 4211 section 6: regToken, authenticator, pkiPublicationInfo, pkiArchiveOptions,
     * oldCertID, protocolEncrKey) ask the server to do something; issuing while ignoring one would give
     * the client something other than what it asked for.
     */
    private static void rejectControls(CertificateRequestMessage message) throws CmcFailure {
        Controls controls = message.toASN1Structure().getCertReq().getControls();
        if (controls == null || controls.toAttributeTypeAndValueArray().length == 0) {
            return;
        }
        StringJoiner oids = new StringJoiner(", ");
        for (AttributeTypeAndValue control : controls.toAttributeTypeAndValueArray()) {
            oids.add(control.getType().getId());
        }
        throw CmcFailure.unsupportedExt("the CRMF request carries controls est4j does not support: " + oids);
    }

    private static void verifyPop(CertificateRequestMessage message, SubjectPublicKeyInfo keyInfo,
                                  AuthenticatedClient client) throws CmcFailure {
        if (!message.hasProofOfPossession()) {
            throw CmcFailure.popFailed("the CRMF request has no proof of possession; " + SUPPORTED_POP);
        }
        switch (message.getProofOfPossessionType()) {
            case CertificateRequestMessage.popSigningKey -> {
                if (message.hasSigningKeyProofOfPossessionWithPKMAC()) {
                    throw CmcFailure.popFailed("a signature POP authenticated with a password-based MAC is not supported; "
                            + SUPPORTED_POP);
                }
                boolean valid;
                try {
                    valid = message.isValidSigningKeyPOP(SignatureProvider.verifier(keyInfo));
                } catch (OperatorCreationException e) {
                    throw new CmcFailure(CMCFailInfo.badAlg, "the CRMF request's public key or POP signature algorithm is not supported");
                } catch (CRMFException | RuntimeException e) {
                    throw CmcFailure.popFailed("the CRMF proof-of-possession signature could not be checked: it is malformed");
                }
                if (!valid) {
                    throw CmcFailure.popFailed("the CRMF proof-of-possession signature does not verify with the template's public key");
                }
            }
            case CertificateRequestMessage.popRaVerified -> {
                if (!isRegistrationAuthority(client)) {
                    throw CmcFailure.popFailed("raVerified proof of possession is accepted only from a client authenticated "
                            + "with an id-kp-cmcRA certificate; sign the request with the key instead (signingKey POP)");
                }
            }
            default -> throw CmcFailure.popFailed("key encipherment and key agreement proofs of possession are not supported; "
                    + SUPPORTED_POP);
        }
    }

    /** Whether the client's validated TLS certificate names it a CMC registration authority (RFC 6402 section 2.10). */
    private static boolean isRegistrationAuthority(AuthenticatedClient client) {
        Optional<X509Certificate> certificate = client.certificate();
        if (certificate.isEmpty()) {
            return false;
        }
        try {
            List<String> ekus = certificate.get().getExtendedKeyUsage();
            return ekus != null && ekus.contains(ID_KP_CMC_RA);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    /** The CRMF template's fields, through the converters PKCS#10 uses; a defect is badRequest, an unknown key badAlg. */
    private static <T> T field(java.util.function.Supplier<T> conversion, CMCFailInfo failInfo) throws CmcFailure {
        try {
            return conversion.get();
        } catch (EstProtocolException e) {
            throw new CmcFailure(failInfo, e.getMessage());
        }
    }
}

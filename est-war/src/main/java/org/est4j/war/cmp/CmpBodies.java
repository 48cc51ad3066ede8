package org.est4j.war.cmp;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.cmp.CertConfirmContent;
import org.bouncycastle.asn1.cmp.CertStatus;
import org.bouncycastle.asn1.cmp.GenMsgContent;
import org.bouncycastle.asn1.cmp.InfoTypeAndValue;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.cmp.PollReqContent;
import org.bouncycastle.asn1.cmp.RevDetails;
import org.bouncycastle.asn1.cmp.RevReqContent;
import org.bouncycastle.asn1.crmf.CertReqMessages;
import org.bouncycastle.asn1.crmf.CertReqMsg;
import org.bouncycastle.asn1.crmf.CertTemplateBuilder;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.CMPException;
import org.bouncycastle.cert.cmp.CertificateConfirmationContentBuilder;
import org.bouncycastle.cert.crmf.CRMFException;
import org.bouncycastle.cert.crmf.CertificateRequestMessageBuilder;
import org.bouncycastle.cert.crmf.OldCertIDControl;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import org.est4j.jaxrs.codec.BouncyCastle;
import org.est4j.spi.CertificateExtension;
import org.est4j.spi.CertificationRequest;
import org.est4j.spi.CsrRejectedException;
import org.est4j.spi.RevocationRequest;

/**
 * The bodies of the CMP requests est4j sends (RFC 9483 sections 4.1-4.3), each from what the EST client sent, built
 * with BouncyCastle's CMP and CRMF classes.
 */
final class CmpBodies {

    private CmpBodies() {
    }

    /**
     * The client's request as it came: a PKCS#10 request as {@code p10cr} (RFC 9483 section 4.1.4), a CRMF CertReqMsg
     * from {@code /fullcmc} as {@code cr} (section 4.1.2). Its proof of possession is the client's own signature, unless
     * a CRMF request's certReqId is not 0: then it is {@code raVerified}.
     */
    static PKIBody certificationRequest(CertificationRequest csr) throws CsrRejectedException {
        try {
            if (csr.format() == CertificationRequest.Format.CRMF) {
                CertReqMsg message = CertReqMsg.getInstance(csr.der());
                org.bouncycastle.asn1.crmf.CertRequest request = message.getCertReq();
                if (request.getCertReqId().hasValue(0)) {
                    return new PKIBody(PKIBody.TYPE_CERT_REQ, new CertReqMessages(message));
                }
                // RFC 9483 section 4.1.1 wants certReqId 0, and the client's POP signs its own id: the same request with
                // id 0 and raVerified, since est4j verified that signature
                message = new CertReqMsg(new org.bouncycastle.asn1.crmf.CertRequest(0, request.getCertTemplate(),
                        request.getControls()), new org.bouncycastle.asn1.crmf.ProofOfPossession(), message.getRegInfo());
                return new PKIBody(PKIBody.TYPE_CERT_REQ, new CertReqMessages(message));
            }
            return new PKIBody(PKIBody.TYPE_P10_CERT_REQ, org.bouncycastle.asn1.pkcs.CertificationRequest.getInstance(csr.der()));
        } catch (IllegalArgumentException e) {
            throw new CsrRejectedException("the certification request cannot be forwarded as it is", e);
        }
    }

    /**
     * A key update request (RFC 9483 section 4.1.3) for a rekey: the new key, subject and requested extensions of the
     * client's request, the old certificate's id, and {@code raVerified} proof of possession, since est4j verified the
     * client's signature on its request (RFC 9483 section 5.2.2) and cannot sign with the client's key.
     */
    static PKIBody keyUpdate(CertificationRequest csr, X509Certificate current) throws CsrRejectedException {
        try {
            CertificateRequestMessageBuilder builder = new CertificateRequestMessageBuilder(BigInteger.ZERO)
                    .setPublicKey(SubjectPublicKeyInfo.getInstance(csr.publicKey().getEncoded()))
                    .setSubject(X500Name.getInstance(csr.subject().getEncoded()))
                    .addControl(new OldCertIDControl(X500Name.getInstance(current.getIssuerX500Principal().getEncoded()),
                            current.getSerialNumber()));
            for (CertificateExtension e : csr.requestedExtensions()) {
                builder.addExtension(new org.bouncycastle.asn1.ASN1ObjectIdentifier(e.oid()), e.critical(), e.value());
            }
            builder.setProofOfPossessionRaVerified();
            return new PKIBody(PKIBody.TYPE_KEY_UPDATE_REQ, new CertReqMessages(builder.build().toASN1Structure()));
        } catch (CRMFException | IllegalArgumentException e) {
            throw new CsrRejectedException("the re-enrollment request cannot be expressed as a CMP key update request", e);
        }
    }

    /** A pollReq for {@code certReqId} (RFC 9483 section 4.4). */
    static PKIBody pollRequest(BigInteger certReqId) {
        return new PKIBody(PKIBody.TYPE_POLL_REQ, new PollReqContent(certReqId));
    }

    /** A genm asking for one {@code infoType} (RFC 9483 section 4.3), without a value. */
    static PKIBody generalMessage(org.bouncycastle.asn1.ASN1ObjectIdentifier infoType) {
        return new PKIBody(PKIBody.TYPE_GEN_MSG, new GenMsgContent(new InfoTypeAndValue(infoType)));
    }

    /**
     * certConf for {@code certificate} (RFC 9483 section 4.1.1): accepted, or, when {@code rejection} is given, rejected
     * with that reason and failInfo badCertTemplate.
     */
    static PKIBody certConf(X509CertificateHolder certificate, BigInteger certReqId, String rejection) throws CMPException {
        CertConfirmContent accepted;
        try {
            accepted = new CertificateConfirmationContentBuilder().addAcceptedCertificate(certificate, certReqId)
                    .build(new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build()).toASN1Structure();
        } catch (OperatorCreationException e) {
            throw new CMPException("no digest for the certificate hash", e);
        }
        if (rejection == null) {
            return new PKIBody(PKIBody.TYPE_CERT_CONFIRM, accepted);
        }
        CertStatus status = accepted.toCertStatusArray()[0];
        CertStatus refused = new CertStatus(status.getCertHash().getOctets(), status.getCertReqId().getValue(),
                new PKIStatusInfo(PKIStatus.rejection, new PKIFreeText(rejection), new PKIFailureInfo(PKIFailureInfo.badCertTemplate)),
                status.getHashAlg());
        return new PKIBody(PKIBody.TYPE_CERT_CONFIRM,
                CertConfirmContent.getInstance(new org.bouncycastle.asn1.DERSequence(refused)));
    }

    /** A revocation request (RFC 9483 section 4.2): issuer and serial, the reason and invalidity date as entry extensions. */
    static PKIBody revocation(RevocationRequest request) throws IOException {
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.reasonCode, false, CRLReason.lookup(request.reason()));
        if (request.invalidityDate().isPresent()) {
            Instant when = request.invalidityDate().get();
            extensions.addExtension(Extension.invalidityDate, false, new ASN1GeneralizedTime(Date.from(when)));
        }
        Extensions entry = extensions.generate();
        RevDetails details = new RevDetails(new CertTemplateBuilder()
                .setIssuer(X500Name.getInstance(request.issuer().getEncoded()))
                .setSerialNumber(new ASN1Integer(request.serialNumber())).build(), entry);
        return new PKIBody(PKIBody.TYPE_REVOCATION_REQ, new RevReqContent(details));
    }
}

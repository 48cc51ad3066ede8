package org.est4j.it;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.security.interfaces.EdECKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cmc.BodyPartID;
import org.bouncycastle.asn1.cmc.CMCFailInfo;
import org.bouncycastle.asn1.cmc.CMCObjectIdentifiers;
import org.bouncycastle.asn1.cmc.CMCStatusInfoV2;
import org.bouncycastle.asn1.cmc.OtherMsg;
import org.bouncycastle.asn1.cmc.PKIData;
import org.bouncycastle.asn1.cmc.PKIResponse;
import org.bouncycastle.asn1.cmc.RevokeRequest;
import org.bouncycastle.asn1.cmc.TaggedAttribute;
import org.bouncycastle.asn1.cmc.TaggedCertificationRequest;
import org.bouncycastle.asn1.cmc.TaggedContentInfo;
import org.bouncycastle.asn1.cmc.TaggedRequest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.crmf.jcajce.JcaCertificateRequestMessageBuilder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.BigIntegers;

/**
 * A small full-CMC client (RFC 5272) for the {@code /fullcmc} integration tests: builds signed Full
 * PKI Requests and reads Full PKI Responses. BouncyCastle only, with a provider instance handed to the
 * builders (the JVM-wide provider list is left alone).
 *
 * <p>Body part numbering of the requests: controls first ({@code transactionId} 1, {@code senderNonce} 2),
 * then the certification request ({@link #REQUEST_BODY_PART_ID}); a revocation message holds only its
 * {@code revokeRequest} control ({@link #REVOKE_BODY_PART_ID}).
 */
public final class CmcMessages {

    /** The bodyPartID (or CRMF certReqId) of the certification request in the messages built here. */
    public static final long REQUEST_BODY_PART_ID = 3;
    /** The bodyPartID of the revokeRequest control in {@link #revokeRequest}. */
    public static final long REVOKE_BODY_PART_ID = 1;

    private static final Provider BC = new BouncyCastleProvider();

    private static final String[] STATUS_NAMES = {
        "success", "reserved", "failed", "pending", "noSupport", "confirmRequired", "popRequired", "partial"};
    private static final String[] FAIL_INFO_NAMES = {
        "badAlg", "badMessageCheck", "badRequest", "badTime", "badCertId", "unsupportedExt", "mustArchiveKeys",
        "badIdentity", "popRequired", "popFailed", "noKeyReuse", "internalCAError", "tryLater", "authDataFail"};

    private CmcMessages() {
    }

    /**
     * A PKIData with one PKCS#10 request, signed.
     *
     * @param key           the key pair to certify; it signs the PKCS#10 request
     * @param subjectDn     the requested subject, e.g. {@code CN=device-1}
     * @param signerCert    the certificate that signs the CMC message (carried in the SignedData), or
     *                      {@code null} to sign with {@code key} itself, identified by its subjectKeyIdentifier
     *                      (RFC 5272 section 3.2.1.3.1)
     * @param signerKey     the private key of {@code signerCert}; ignored when {@code signerCert} is null
     * @param transactionId the transactionId as the unsigned big-endian magnitude of its INTEGER, or null for none
     * @param senderNonce   the senderNonce octets, or null for none
     */
    public static byte[] pkcs10Request(KeyPair key, String subjectDn, X509Certificate signerCert, PrivateKey signerKey,
                                       byte[] transactionId, byte[] senderNonce) {
        try {
            byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Name(subjectDn), key.getPublic())
                    .build(contentSigner(key.getPrivate())).getEncoded();
            TaggedRequest request = new TaggedRequest(new TaggedCertificationRequest(new BodyPartID(REQUEST_BODY_PART_ID),
                    org.bouncycastle.asn1.cmc.CertificationRequest.getInstance(csr)));
            PKIData data = pkiData(transactionControls(transactionId, senderNonce), request);
            return signerCert == null ? signWithRequestKey(data, key) : sign(data, signerCert, signerKey);
        } catch (IOException | GeneralSecurityException | OperatorCreationException | CMSException e) {
            throw new IllegalStateException("cannot build the PKCS#10 full CMC request", e);
        }
    }

    /**
     * A PKIData with one CRMF request (RFC 4211) whose proof of possession is a signature with
     * {@code key}, signed by {@code signerCert}.
     *
     * @param transactionId the transactionId as the unsigned big-endian magnitude of its INTEGER, or null for none
     */
    public static byte[] crmfRequest(KeyPair key, String subjectDn, X509Certificate signerCert, PrivateKey signerKey,
                                     byte[] transactionId) {
        try {
            TaggedRequest request = new TaggedRequest(new JcaCertificateRequestMessageBuilder(BigInteger.valueOf(REQUEST_BODY_PART_ID))
                    .setSubject(new X500Principal(subjectDn))
                    .setPublicKey(key.getPublic())
                    .setProofOfPossessionSigningKeySigner(contentSigner(key.getPrivate()))
                    .build().toASN1Structure());
            return sign(pkiData(transactionControls(transactionId, null), request), signerCert, signerKey);
        } catch (IOException | GeneralSecurityException | OperatorCreationException | CMSException
                 | org.bouncycastle.cert.crmf.CRMFException e) {
            throw new IllegalStateException("cannot build the CRMF full CMC request", e);
        }
    }

    /**
     * A PKIData with one revokeRequest control (RFC 5272 section 6.11), no invalidity date, passphrase
     * or comment, signed by {@code signerCert}.
     *
     * @param reason a CRLReason code of RFC 5280 (0 unspecified, 1 keyCompromise, ...)
     */
    public static byte[] revokeRequest(X500Principal issuer, BigInteger serial, int reason, X509Certificate signerCert,
                                       PrivateKey signerKey) {
        try {
            RevokeRequest revoke = new RevokeRequest(X500Name.getInstance(issuer.getEncoded()), new ASN1Integer(serial),
                    CRLReason.lookup(reason), null, null, null);
            TaggedAttribute control = new TaggedAttribute(new BodyPartID(REVOKE_BODY_PART_ID),
                    CMCObjectIdentifiers.id_cmc_revokeRequest, new DERSet(revoke));
            return sign(pkiData(List.of(control)), signerCert, signerKey);
        } catch (GeneralSecurityException | OperatorCreationException | CMSException | IOException e) {
            throw new IllegalStateException("cannot build the revocation request", e);
        }
    }

    /** One CMCStatusInfoV2 of a response. */
    public record Status(List<Long> bodyList, String status, String failInfo, String statusString) {
        public boolean isSuccess() {
            return "success".equals(status);
        }
    }

    /**
     * A decoded Full PKI Response.
     *
     * @param signatureValid whether the SignerInfo verified (with the expected signer when one was given,
     *                       otherwise with the certificate it names in the SignedData)
     * @param statuses       every CMCStatusInfoV2, in order
     * @param certificates   every certificate of the SignedData: signer chain and issued certificates
     * @param transactionId  the echoed transactionId as the unsigned magnitude of its INTEGER (leading zero
     *                       bytes of what was sent are not kept: compare with {@link #sameTransactionId}), or null
     * @param recipientNonce the recipientNonce octets, or null
     */
    public record Response(boolean signatureValid, List<Status> statuses, List<X509Certificate> certificates,
                           byte[] transactionId, byte[] recipientNonce) {

        /** Whether the response echoes the transactionId built from {@code sent}. */
        public boolean sameTransactionId(byte[] sent) {
            return transactionId != null && new BigInteger(1, transactionId).equals(new BigInteger(1, sent));
        }

        /** The status whose bodyList names {@code bodyPartId}, or null. */
        public Status statusFor(long bodyPartId) {
            return statuses.stream().filter(s -> s.bodyList().contains(bodyPartId)).findFirst().orElse(null);
        }

        /** The certificate in the response for this public key (an issued one), or null. */
        public X509Certificate certificateFor(java.security.PublicKey key) {
            return certificates.stream().filter(c -> c.getPublicKey().equals(key)).findFirst().orElse(null);
        }
    }

    /**
     * Reads a Full PKI Response.
     *
     * @param der            the response body, decoded from base64
     * @param expectedSigner the certificate the response must be signed with, or null to accept the one it names
     * @throws IllegalArgumentException when {@code der} is not a SignedData of a PKIResponse
     */
    public static Response parseResponse(byte[] der, X509Certificate expectedSigner) {
        CMSSignedData signed;
        PKIResponse response;
        try {
            signed = new CMSSignedData(der);
            if (!CMCObjectIdentifiers.id_cct_PKIResponse.equals(signed.getSignedContentType())) {
                throw new IllegalArgumentException("the SignedData carries " + signed.getSignedContentType() + ", not a PKIResponse");
            }
            response = PKIResponse.getInstance(signed.getSignedContent().getContent());
        } catch (CMSException | RuntimeException e) {
            throw new IllegalArgumentException("not a SignedData of a PKIResponse", e);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter().setProvider(BC);
            for (X509CertificateHolder holder : signed.getCertificates().getMatches(null)) {
                certificates.add(converter.getCertificate(holder));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the response carries a malformed certificate", e);
        }

        List<Status> statuses = new ArrayList<>();
        byte[] transactionId = null;
        byte[] recipientNonce = null;
        for (ASN1Encodable element : response.getControlSequence()) {
            TaggedAttribute control = TaggedAttribute.getInstance(element);
            ASN1ObjectIdentifier type = control.getAttrType();
            ASN1Encodable value = control.getAttrValues().getObjectAt(0);
            if (type.equals(CMCObjectIdentifiers.id_cmc_statusInfoV2)) {
                statuses.add(status(CMCStatusInfoV2.getInstance(value)));
            } else if (type.equals(CMCObjectIdentifiers.id_cmc_transactionId)) {
                transactionId = BigIntegers.asUnsignedByteArray(ASN1Integer.getInstance(value).getValue());
            } else if (type.equals(CMCObjectIdentifiers.id_cmc_recipientNonce)) {
                recipientNonce = ASN1OctetString.getInstance(value).getOctets();
            }
        }
        return new Response(verifies(signed, expectedSigner), statuses, certificates, transactionId, recipientNonce);
    }

    private static boolean verifies(CMSSignedData signed, X509Certificate expectedSigner) {
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.isEmpty()) {
            return false;
        }
        try {
            for (SignerInformation signer : signers) {
                JcaSimpleSignerInfoVerifierBuilder builder = new JcaSimpleSignerInfoVerifierBuilder().setProvider(BC);
                boolean valid;
                if (expectedSigner != null) {
                    valid = signer.getSID().match(new X509CertificateHolder(expectedSigner.getEncoded()))
                            && signer.verify(builder.build(expectedSigner));
                } else {
                    Collection<X509CertificateHolder> named = certificatesMatching(signed, signer);
                    valid = !named.isEmpty() && signer.verify(builder.build(named.iterator().next()));
                }
                if (!valid) {
                    return false;
                }
            }
            return true;
        } catch (CMSException | OperatorCreationException | GeneralSecurityException | IOException | RuntimeException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked") // SignerId is a raw Selector in BouncyCastle's API
    private static Collection<X509CertificateHolder> certificatesMatching(CMSSignedData signed, SignerInformation signer) {
        return signed.getCertificates().getMatches(signer.getSID());
    }

    private static Status status(CMCStatusInfoV2 info) {
        List<Long> bodyList = new ArrayList<>();
        for (BodyPartID id : info.getBodyList()) {
            bodyList.add(id.getID());
        }
        int code = ASN1Integer.getInstance(info.getCMCStatus().toASN1Primitive()).intValueExact();
        String failInfo = null;
        if (info.hasOtherInfo() && info.getOtherStatusInfo().isFailInfo()) {
            // OtherStatusInfo has no accessor for its failInfo: read the INTEGER it encodes to.
            ASN1Primitive other = info.getOtherStatusInfo().toASN1Primitive();
            failInfo = name(FAIL_INFO_NAMES, ASN1Integer.getInstance(CMCFailInfo.getInstance(other).toASN1Primitive()).intValueExact());
        }
        String text = info.getStatusStringUTF8() == null ? null : info.getStatusStringUTF8().getString();
        return new Status(List.copyOf(bodyList), name(STATUS_NAMES, code), failInfo, text);
    }

    private static String name(String[] names, int code) {
        return code >= 0 && code < names.length ? names[code] : String.valueOf(code);
    }

    private static List<TaggedAttribute> transactionControls(byte[] transactionId, byte[] senderNonce) {
        List<TaggedAttribute> controls = new ArrayList<>();
        if (transactionId != null) {
            controls.add(new TaggedAttribute(new BodyPartID(1), CMCObjectIdentifiers.id_cmc_transactionId,
                    new DERSet(new ASN1Integer(new BigInteger(1, transactionId)))));
        }
        if (senderNonce != null) {
            controls.add(new TaggedAttribute(new BodyPartID(2), CMCObjectIdentifiers.id_cmc_senderNonce,
                    new DERSet(new DEROctetString(senderNonce))));
        }
        return controls;
    }

    private static PKIData pkiData(List<TaggedAttribute> controls, TaggedRequest... requests) {
        return new PKIData(controls.toArray(TaggedAttribute[]::new), requests, new TaggedContentInfo[0], new OtherMsg[0]);
    }

    private static byte[] sign(PKIData data, X509Certificate signerCert, PrivateKey signerKey)
            throws GeneralSecurityException, OperatorCreationException, CMSException, IOException {
        SignerInfoGenerator signerInfo = new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(BC).build())
                .build(contentSigner(signerKey), signerCert);
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(signerInfo);
        generator.addCertificates(new JcaCertStore(List.of(signerCert)));
        return encapsulate(generator, data);
    }

    /** Signed with the key being certified: the sid is the SHA-1 of its subjectPublicKey (RFC 5280 method 1), no certificates. */
    private static byte[] signWithRequestKey(PKIData data, KeyPair key)
            throws GeneralSecurityException, OperatorCreationException, CMSException, IOException {
        byte[] keyId = MessageDigest.getInstance("SHA-1").digest(
                SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()).getPublicKeyData().getBytes());
        SignerInfoGenerator signerInfo = new JcaSignerInfoGeneratorBuilder(
                new JcaDigestCalculatorProviderBuilder().setProvider(BC).build())
                .build(contentSigner(key.getPrivate()), keyId);
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(signerInfo);
        return encapsulate(generator, data);
    }

    private static byte[] encapsulate(CMSSignedDataGenerator generator, PKIData data) throws CMSException, IOException {
        return generator.generate(new CMSProcessableByteArray(CMCObjectIdentifiers.id_cct_PKIData,
                data.getEncoded(ASN1Encoding.DER)), true).getEncoded(ASN1Encoding.DER);
    }

    private static ContentSigner contentSigner(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder(signatureAlgorithm(key)).setProvider(BC).build(key);
    }

    private static String signatureAlgorithm(PrivateKey key) {
        if (key instanceof EdECKey edec) {
            return edec.getParams().getName();
        }
        return switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448 as BouncyCastle names them
        };
    }
}

package org.est4j.jaxrs.cmc;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.cmc.CMCFailInfo;
import org.bouncycastle.asn1.cmc.CMCObjectIdentifiers;
import org.bouncycastle.asn1.cmc.PKIData;
import org.bouncycastle.asn1.cmc.TaggedRequest;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.codec.BouncyCastle;

/**
 * A Full PKI Request as it arrived: a CMS SignedData whose encapsulated content is a PKIData
 * (RFC 5272 section 3.2). Parsing failures are HTTP 400s, since there is no CMC message to answer;
 * a signature that does not verify is a CMC failure ({@code badMessageCheck}), answered in a PKIResponse.
 */
final class SignedPkiData {

    private final CMSSignedData signedData;
    private final PKIData pkiData;
    /** The PKIData as read from the wire: the source of each request's DER exactly as the client sent it. */
    private final ASN1Sequence rawPkiData;

    private SignedPkiData(CMSSignedData signedData, PKIData pkiData, ASN1Sequence rawPkiData) {
        this.signedData = signedData;
        this.pkiData = pkiData;
        this.rawPkiData = rawPkiData;
    }

    /** Parses {@code der}; throws a 400 {@link EstProtocolException} saying what is wrong with it. */
    static SignedPkiData parse(byte[] der) {
        ContentInfo contentInfo;
        try {
            contentInfo = ContentInfo.getInstance(single(der));
        } catch (IllegalArgumentException e) {
            throw EstProtocolException.badRequest("the request is not a CMS ContentInfo (RFC 5652)");
        }
        if (!CMSObjectIdentifiers.signedData.equals(contentInfo.getContentType())) {
            throw EstProtocolException.badRequest("the request is a CMS " + contentInfo.getContentType().getId()
                    + " content, but a Full PKI Request is a SignedData (RFC 5272 section 3.2)");
        }
        CMSSignedData signedData;
        try {
            signedData = new CMSSignedData(contentInfo);
            signedData.getSignerInfos(); // parsed lazily by BouncyCastle: a malformed SignerInfo is a malformed message
        } catch (CMSException | RuntimeException e) {
            throw EstProtocolException.badRequest("the request's SignedData is malformed");
        }
        ASN1ObjectIdentifier type = signedData.getSignedContentType();
        if (!CMCObjectIdentifiers.id_cct_PKIData.equals(type)) {
            throw EstProtocolException.badRequest("the SignedData encapsulates " + (type == null ? "nothing" : type.getId())
                    + ", not id-cct-PKIData (1.3.6.1.5.5.7.12.2)");
        }
        CMSTypedData content = signedData.getSignedContent();
        if (content == null || !(content.getContent() instanceof byte[] octets)) {
            throw EstProtocolException.badRequest("the SignedData does not carry its PKIData (detached content is not supported)");
        }
        try {
            ASN1Sequence raw = ASN1Sequence.getInstance(single(octets));
            return new SignedPkiData(signedData, PKIData.getInstance(raw), raw);
        } catch (RuntimeException e) {
            // BouncyCastle reports a wrong tag or type with IllegalArgumentException, ClassCastException or
            // IllegalStateException ("unexpected implicit primitive encoding"): all of them a malformed PKIData
            throw EstProtocolException.badRequest("the SignedData's content is not a well-formed PKIData (RFC 5272 section 3.2.1)");
        }
    }

    /** Exactly one DER/BER object, nothing after it. */
    private static ASN1Primitive single(byte[] der) {
        try (ASN1InputStream in = new ASN1InputStream(der)) {
            ASN1Primitive object = in.readObject();
            if (object == null || in.readObject() != null) {
                throw EstProtocolException.badRequest("the request is not a single DER-encoded CMS ContentInfo");
            }
            return object;
        } catch (IOException | RuntimeException e) {
            if (e instanceof EstProtocolException epe) {
                throw epe;
            }
            throw EstProtocolException.badRequest("the request is not a DER-encoded CMS ContentInfo");
        }
    }

    PKIData pkiData() {
        return pkiData;
    }

    /**
     * The DER of request {@code index} of the reqSequence as the client encoded it: the PKCS#10
     * CertificationRequest of a {@code tcr}, the CertReqMsg of a {@code crm}, the whole SEQUENCE of an
     * {@code orm}. Re-encoding BouncyCastle's parsed objects could reorder SET elements.
     */
    byte[] requestDer(int index) {
        ASN1TaggedObject tagged = ASN1TaggedObject.getInstance(
                ASN1Sequence.getInstance(rawPkiData.getObjectAt(1)).getObjectAt(index));
        ASN1Sequence body = ASN1Sequence.getInstance(tagged, false);
        ASN1Encodable request = tagged.getTagNo() == TaggedRequest.TCR ? body.getObjectAt(1) : body;
        try {
            return request.toASN1Primitive().getEncoded(ASN1Encoding.DL);
        } catch (IOException e) {
            throw new IllegalStateException("re-encoding a parsed request failed", e);
        }
    }

    /**
     * Checks every SignerInfo. The signer's key comes from a certificate in the SignedData that the
     * SignerIdentifier matches or, for a request signed with the key being certified (RFC 5272 section
     * 3.2.1.3.1), from a PKCS#10 request whose key the subjectKeyIdentifier names.
     *
     * <p>The signer's certificate is not path-validated: est4j authenticates EST clients by TLS or
     * HTTP (RFC 7030 section 3.3), and the signature proves the PKIData is intact and from that key.
     *
     * @throws CmcFailure {@code badMessageCheck} with the reason
     */
    void verifySignature() throws CmcFailure {
        Collection<SignerInformation> signers = signedData.getSignerInfos().getSigners();
        if (signers.isEmpty()) {
            throw badMessageCheck("the PKIData is not signed: the SignedData has no SignerInfo");
        }
        for (SignerInformation signer : signers) {
            boolean valid;
            try {
                valid = signer.verify(verifierFor(signer.getSID()));
            } catch (CMSSignerDigestMismatchException e) {
                valid = false; // BouncyCastle reports altered content this way rather than with false
            } catch (CMSException | RuntimeException e) {
                throw badMessageCheck("the signature on the PKIData could not be checked: " + e.getMessage());
            }
            if (!valid) {
                throw badMessageCheck("the signature on the PKIData does not verify: the message was altered or signed with another key");
            }
        }
    }

    private SignerInformationVerifier verifierFor(SignerId sid) throws CmcFailure {
        JcaSimpleSignerInfoVerifierBuilder builder = new JcaSimpleSignerInfoVerifierBuilder().setProvider(BouncyCastle.PROVIDER);
        try {
            Collection<X509CertificateHolder> matches = certificatesMatching(sid);
            if (!matches.isEmpty()) {
                return builder.build(matches.iterator().next());
            }
            if (sid.getSubjectKeyIdentifier() != null) {
                SubjectPublicKeyInfo key = requestKeyIdentifiedBy(sid.getSubjectKeyIdentifier());
                if (key != null) {
                    PublicKey publicKey = BouncyCastleProvider.getPublicKey(key);
                    if (publicKey == null) {
                        throw badMessageCheck("the signer's public key type is not supported");
                    }
                    return builder.build(publicKey);
                }
            }
        } catch (OperatorCreationException | java.security.cert.CertificateException | IOException e) {
            throw badMessageCheck("the signer's key or signature algorithm is not supported");
        }
        throw badMessageCheck("no signer key: the SignerInfo names neither a certificate in the SignedData nor, "
                + "by subjectKeyIdentifier, the key of a PKCS#10 request in the PKIData");
    }

    @SuppressWarnings("unchecked") // SignerId is a raw Selector in BouncyCastle's API
    private Collection<X509CertificateHolder> certificatesMatching(SignerId sid) {
        return signedData.getCertificates().getMatches(sid);
    }

    /**
     * The public key of the PKCS#10 request that {@code keyId} identifies: the SHA-1 of its
     * subjectPublicKey BIT STRING (RFC 5280 section 4.2.1.2, method 1) or the value of a
     * subjectKeyIdentifier extension the request asks for.
     */
    private SubjectPublicKeyInfo requestKeyIdentifiedBy(byte[] keyId) {
        for (SubjectPublicKeyInfo candidate : pkcs10Keys()) {
            if (Arrays.equals(keyId, sha1(candidate.getPublicKeyData().getBytes()))) {
                return candidate;
            }
        }
        for (int i = 0; i < pkiData.getReqSequence().length; i++) {
            if (pkiData.getReqSequence()[i].getTagNo() != TaggedRequest.TCR) {
                continue;
            }
            try {
                PKCS10CertificationRequest csr = new PKCS10CertificationRequest(requestDer(i));
                Extensions requested = csr.getRequestedExtensions();
                Extension ski = requested == null ? null : requested.getExtension(Extension.subjectKeyIdentifier);
                if (ski != null && Arrays.equals(keyId, SubjectKeyIdentifier.getInstance(ski.getParsedValue()).getKeyIdentifier())) {
                    return csr.getSubjectPublicKeyInfo();
                }
            } catch (IOException | RuntimeException e) {
                // a malformed request names no key; it fails on its own when it is processed
            }
        }
        return null;
    }

    private List<SubjectPublicKeyInfo> pkcs10Keys() {
        List<SubjectPublicKeyInfo> keys = new ArrayList<>();
        for (TaggedRequest request : pkiData.getReqSequence()) {
            if (request.getTagNo() == TaggedRequest.TCR) {
                org.bouncycastle.asn1.cmc.CertificationRequest csr =
                        org.bouncycastle.asn1.cmc.TaggedCertificationRequest.getInstance(request.getValue()).getCertificationRequest();
                keys.add(new SubjectPublicKeyInfo(csr.getSubjectPublicKeyAlgorithm(), csr.getSubjectPublicKey().getBytes()));
            }
        }
        return keys;
    }

    private static byte[] sha1(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static CmcFailure badMessageCheck(String reason) {
        return new CmcFailure(CMCFailInfo.badMessageCheck, reason);
    }
}

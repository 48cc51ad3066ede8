package org.est4j.jaxrs.packages;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.codec.BouncyCastle;

/**
 * The CMS envelope of a message posted to {@code /return}: a ContentInfo of SignedData with one signer, the
 * client, whose encapsulated content is the receipt, response or error (RFC 8295 sections 5 to 7 and the RFCs
 * they refer to: 7191, 4108 and 5934 all have the device sign what it reports).
 */
final class SignedReturnMessage {

    private final CMSSignedData signedData;
    private final SignerInformation signer;
    private final byte[] content;

    private SignedReturnMessage(CMSSignedData signedData, SignerInformation signer, byte[] content) {
        this.signedData = signedData;
        this.signer = signer;
        this.content = content;
    }

    /** Parses {@code der}; a 400 saying what is wrong if it is not a signed CMS message with its content. */
    static SignedReturnMessage parse(byte[] der) {
        ContentInfo contentInfo;
        try {
            contentInfo = ContentInfo.getInstance(ReceiptFields.single(der, "CMS ContentInfo"));
        } catch (RuntimeException e) {
            throw EstProtocolException.badRequest("a receipt must be a signed CMS message: the body is not a DER CMS ContentInfo");
        }
        if (!CMSObjectIdentifiers.signedData.equals(contentInfo.getContentType())) {
            throw EstProtocolException.badRequest("a receipt must be a signed CMS message: the body is a CMS "
                    + contentInfo.getContentType().getId() + " content, not a SignedData (1.2.840.113549.1.7.2)");
        }
        CMSSignedData signedData;
        Collection<SignerInformation> signers;
        try {
            signedData = new CMSSignedData(contentInfo);
            signers = signedData.getSignerInfos().getSigners(); // parsed lazily: a malformed SignerInfo is a malformed message
        } catch (CMSException | RuntimeException e) {
            throw EstProtocolException.badRequest("a receipt must be a signed CMS message: the SignedData is malformed");
        }
        if (signers.isEmpty()) {
            throw EstProtocolException.badRequest("a receipt must be a signed CMS message: the SignedData has no SignerInfo");
        }
        if (signers.size() > 1) {
            throw EstProtocolException.badRequest("the SignedData has " + signers.size()
                    + " SignerInfos; a receipt is signed once, by the client");
        }
        CMSTypedData encapsulated = signedData.getSignedContent();
        if (encapsulated == null || !(encapsulated.getContent() instanceof byte[] octets)) {
            throw EstProtocolException.badRequest("the SignedData does not carry its content (detached signatures are not accepted)");
        }
        return new SignedReturnMessage(signedData, signers.iterator().next(), octets);
    }

    /** The eContentType: which kind of receipt, response or error this is. */
    ASN1ObjectIdentifier contentType() {
        return signedData.getSignedContentType();
    }

    /** The eContent octets. */
    byte[] content() {
        return content.clone();
    }

    /**
     * Checks that the message is intact (400 otherwise) and signed by {@code client}, the authenticated client's
     * TLS certificate (403 otherwise). The signer's certificate is the one in the SignedData that the SignerInfo
     * names, or the client's own when the SignedData leaves it out (RFC 5652 makes certificates optional, and
     * the server has it from the TLS handshake).
     */
    void verifySignedBy(X509Certificate client) {
        X509CertificateHolder clientHolder;
        try {
            clientHolder = new X509CertificateHolder(client.getEncoded());
        } catch (CertificateEncodingException | java.io.IOException e) {
            throw new IllegalStateException("the validated client certificate does not encode", e);
        }
        X509CertificateHolder signerCertificate = signerCertificate(clientHolder);
        boolean valid;
        try {
            valid = signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BouncyCastle.PROVIDER).build(signerCertificate));
        } catch (CMSSignerDigestMismatchException e) {
            valid = false; // BouncyCastle reports altered content this way rather than with false
        } catch (CMSVerifierCertificateNotValidException e) {
            throw EstProtocolException.badRequest("the receipt's signingTime is outside the validity of the signer's certificate");
        } catch (OperatorCreationException | java.security.cert.CertificateException e) {
            throw EstProtocolException.badRequest("the receipt's signature or key algorithm is not supported");
        } catch (CMSException | RuntimeException e) {
            throw EstProtocolException.badRequest("the receipt's signature could not be checked: the SignerInfo is malformed");
        }
        if (!valid) {
            throw EstProtocolException.badRequest("the receipt's signature does not verify: the message was altered");
        }
        if (!Arrays.equals(encoded(signerCertificate), encoded(clientHolder))) {
            throw EstProtocolException.forbidden("the receipt is signed by a certificate other than the client's TLS certificate");
        }
    }

    @SuppressWarnings("unchecked") // SignerId is a raw Selector in BouncyCastle's API
    private X509CertificateHolder signerCertificate(X509CertificateHolder client) {
        Collection<X509CertificateHolder> included;
        try {
            included = signedData.getCertificates().getMatches(signer.getSID());
        } catch (RuntimeException e) {
            throw EstProtocolException.badRequest("the SignedData's certificates are malformed");
        }
        if (!included.isEmpty()) {
            return included.iterator().next();
        }
        if (signer.getSID().match(client)) {
            return client;
        }
        throw EstProtocolException.forbidden("the receipt's SignerInfo names neither a certificate in the SignedData nor "
                + "the client's TLS certificate: it is not signed by the client");
    }

    private static byte[] encoded(X509CertificateHolder certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a parsed certificate does not encode", e);
        }
    }
}

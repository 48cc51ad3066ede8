package org.est4j.jaxrs.codec;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.PublicKey;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.encoders.Hex;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.spi.CertificationRequest;
import org.est4j.spi.SubjectAltName;

/**
 * Decodes a PKCS#10 request (RFC 2986) from DER and checks its signature with its own public key,
 * which is EST's proof of possession of the private key (RFC 7030 section 3.4).
 *
 * <p>Every defect is a 400 whose reason tells the client what is wrong with its request.
 */
public final class CsrDecoder {

    private CsrDecoder() {
    }

    /** Parses, verifies and converts {@code der}. */
    public static DecodedCsr decode(byte[] der) {
        return decode(der, true);
    }

    /**
     * Parses and converts a request whose signature does not matter: for {@code /serverkeygen} the
     * request is only a template, and RFC 7030 section 4.4.1 has the server ignore its key and signature.
     */
    public static DecodedCsr decodeTemplate(byte[] der) {
        return decode(der, false);
    }

    private static DecodedCsr decode(byte[] der, boolean proofOfPossession) {
        PKCS10CertificationRequest csr = parse(der);
        if (proofOfPossession) {
            verifySignature(csr);
        }
        PublicKey publicKey = RequestFields.publicKey(csr.getSubjectPublicKeyInfo(), "the request's");
        RequestFields.RequestedExtensions extensions = RequestFields.extensions(requestedExtensions(csr), "the request's");
        CertificationRequest request = new CertificationRequest(der, RequestFields.subject(csr.getSubject(), "the request's"), publicKey,
                extensions.subjectAltNames(), extensions.all(), challengePassword(csr));
        return new DecodedCsr(request, csr);
    }

    private static PKCS10CertificationRequest parse(byte[] der) {
        try (ASN1InputStream in = new ASN1InputStream(der)) {
            ASN1Primitive outer = in.readObject();
            if (outer == null || in.available() > 0) {
                throw EstProtocolException.badRequest("the request is not a single DER-encoded PKCS#10 CertificationRequest");
            }
            // RFC 2986 requires DER. A request in BER (indefinite lengths, unsorted SETs, ...) is refused rather than
            // re-encoded: its signature covers the bytes the client sent, and a CA should certify exactly those.
            if (!java.util.Arrays.equals(outer.getEncoded(ASN1Encoding.DER), der)) {
                throw EstProtocolException.badRequest("the request is not DER-encoded (RFC 2986 requires DER; this is BER or a"
                        + " non-canonical encoding)");
            }
            // one parse: the structure read above is the request (the signature check DER-encodes its info itself)
            org.bouncycastle.asn1.pkcs.CertificationRequest request = org.bouncycastle.asn1.pkcs.CertificationRequest.getInstance(outer);
            java.math.BigInteger version = request.getCertificationRequestInfo().getVersion().getValue();
            if (version.signum() != 0) {
                throw EstProtocolException.badRequest("the request's version is " + version.toString().substring(0, Math.min(12,
                        version.toString().length())) + "; the only PKCS#10 version is v1, encoded 0 (RFC 2986 section 4.1)");
            }
            return new PKCS10CertificationRequest(request);
        } catch (IOException | RuntimeException e) {
            if (e instanceof EstProtocolException epe) {
                throw epe;
            }
            throw EstProtocolException.badRequest("the request is not a DER-encoded PKCS#10 CertificationRequest");
        }
    }

    private static void verifySignature(PKCS10CertificationRequest csr) {
        boolean valid;
        try {
            valid = csr.isSignatureValid(SignatureProvider.verifier(csr.getSubjectPublicKeyInfo()));
        } catch (OperatorCreationException e) {
            throw EstProtocolException.badRequest("the request's signature algorithm or public key type is not supported");
        } catch (PKCSException | RuntimeException e) {
            throw EstProtocolException.badRequest("the request's signature could not be checked: it is malformed");
        }
        if (!valid) {
            throw EstProtocolException.badRequest(
                    "the request's signature does not verify with its public key (no proof of possession)");
        }
    }

    private static Extensions requestedExtensions(PKCS10CertificationRequest csr) {
        Attribute[] attributes = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
        if (attributes.length == 0) {
            return null;
        }
        if (attributes.length > 1 || attributes[0].getAttrValues().size() != 1) {
            throw EstProtocolException.badRequest("the request carries more than one extensionRequest attribute");
        }
        try {
            return Extensions.getInstance(attributes[0].getAttrValues().getObjectAt(0));
        } catch (RuntimeException e) {
            throw EstProtocolException.badRequest("the request's extensionRequest attribute is malformed");
        }
    }

    private static Optional<String> challengePassword(PKCS10CertificationRequest csr) {
        Attribute[] attributes = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_challengePassword);
        if (attributes.length == 0) {
            return Optional.empty();
        }
        if (attributes.length > 1 || attributes[0].getAttrValues().size() != 1) {
            throw EstProtocolException.badRequest("the request carries more than one challengePassword attribute");
        }
        ASN1Encodable value = attributes[0].getAttrValues().getObjectAt(0);
        if (value instanceof ASN1String s) {
            return Optional.of(s.getString());
        }
        throw EstProtocolException.badRequest("the request's challengePassword attribute is not a string");
    }

    /** Converts one GeneralName to the representation {@code X509Certificate.getSubjectAlternativeNames()} uses. */
    public static SubjectAltName toSpi(GeneralName name) {
        SubjectAltName.Type type = SubjectAltName.Type.values()[name.getTagNo()];
        ASN1Encodable value = name.getName();
        try {
            return switch (name.getTagNo()) {
                case GeneralName.rfc822Name, GeneralName.dNSName, GeneralName.uniformResourceIdentifier ->
                        new SubjectAltName(type, ((ASN1String) value).getString());
                case GeneralName.iPAddress -> new SubjectAltName(type, ipAddress(ASN1OctetString.getInstance(value).getOctets()));
                case GeneralName.directoryName ->
                        new SubjectAltName(type, new X500Principal(X500Name.getInstance(value).getEncoded(ASN1Encoding.DER)).getName());
                case GeneralName.registeredID -> new SubjectAltName(type, ASN1ObjectIdentifier.getInstance(value).getId());
                default -> new SubjectAltName(type, Hex.toHexString(name.getEncoded(ASN1Encoding.DER)));
            };
        } catch (IOException | RuntimeException e) {
            throw EstProtocolException.badRequest("the request's subjectAltName contains a malformed name");
        }
    }

    private static String ipAddress(byte[] octets) throws UnknownHostException {
        if (octets.length != 4 && octets.length != 16) {
            throw new IllegalArgumentException("IP address of " + octets.length + " octets");
        }
        return InetAddress.getByAddress(octets).getHostAddress();
    }
}

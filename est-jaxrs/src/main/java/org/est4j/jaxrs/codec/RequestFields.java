package org.est4j.jaxrs.codec;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import org.est4j.jaxrs.EstProtocolException;
import org.est4j.spi.CertificateExtension;
import org.est4j.spi.SubjectAltName;

/**
 * The fields every certification request format carries (PKCS#10, CRMF), converted to the SPI's JDK types.
 * Each defect is a 400 whose reason names the field; {@code what} says whose field it is ("the request's",
 * "the CRMF template's").
 */
public final class RequestFields {

    private static final Map<ASN1ObjectIdentifier, String> JDK_KEY_ALGORITHMS = Map.of(
            PKCSObjectIdentifiers.rsaEncryption, "RSA",
            PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS",
            X9ObjectIdentifiers.id_ecPublicKey, "EC",
            EdECObjectIdentifiers.id_Ed25519, "Ed25519",
            EdECObjectIdentifiers.id_Ed448, "Ed448");

    private RequestFields() {
    }

    /** A request's extensions: every one as the SPI carries it, and the subjectAltName entries parsed. */
    public record RequestedExtensions(List<CertificateExtension> all, List<SubjectAltName> subjectAltNames) {
        public static final RequestedExtensions NONE = new RequestedExtensions(List.of(), List.of());
    }

    /** Converts the requested extensions (null: none). */
    public static RequestedExtensions extensions(Extensions extensions, String what) {
        if (extensions == null) {
            return RequestedExtensions.NONE;
        }
        List<CertificateExtension> all = new ArrayList<>();
        for (ASN1ObjectIdentifier oid : extensions.getExtensionOIDs()) {
            Extension ext = extensions.getExtension(oid);
            all.add(new CertificateExtension(oid.getId(), ext.isCritical(), ext.getExtnValue().getOctets()));
        }
        Extension san = extensions.getExtension(Extension.subjectAlternativeName);
        return new RequestedExtensions(all, san == null ? List.of() : subjectAltNames(san, what));
    }

    /** The subject; an absent one is the empty name. */
    public static X500Principal subject(X500Name name, String what) {
        if (name == null) {
            return new X500Principal("");
        }
        try {
            return new X500Principal(name.getEncoded(ASN1Encoding.DER));
        } catch (IOException | IllegalArgumentException e) {
            throw EstProtocolException.badRequest(what + " subject name is malformed");
        }
    }

    /** The entries of a subjectAltName extension, in order. */
    public static List<SubjectAltName> subjectAltNames(Extension san, String what) {
        GeneralName[] names;
        try {
            names = GeneralNames.getInstance(san.getParsedValue()).getNames();
        } catch (RuntimeException e) {
            throw EstProtocolException.badRequest(what + " subjectAltName extension is malformed");
        }
        if (names.length == 0) {
            throw EstProtocolException.badRequest(what + " subjectAltName extension is empty (RFC 5280 section 4.2.1.6)");
        }
        List<SubjectAltName> out = new ArrayList<>(names.length);
        for (GeneralName name : names) {
            out.add(CsrDecoder.toSpi(name));
        }
        return out;
    }

    /** The JCA key algorithm name ({@code EC}, {@code RSA}, {@code Ed25519}, ...) of a key type OID; null if the JDK has none. */
    static String jcaKeyAlgorithm(ASN1ObjectIdentifier keyType) {
        return JDK_KEY_ALGORITHMS.get(keyType);
    }

    /**
     * The public key, as a JDK key object where the JDK knows the algorithm (so CA implementations see familiar
     * types; JDK 17's SunEC cannot build one from BouncyCastle's verifier builder), else BouncyCastle's.
     */
    public static PublicKey publicKey(SubjectPublicKeyInfo keyInfo, String what) {
        ASN1ObjectIdentifier alg = keyInfo.getAlgorithm().getAlgorithm();
        try {
            X509EncodedKeySpec spec = new X509EncodedKeySpec(keyInfo.getEncoded(ASN1Encoding.DER));
            String jdkName = JDK_KEY_ALGORITHMS.get(alg);
            return jdkName != null ? KeyFactory.getInstance(jdkName).generatePublic(spec)
                    : KeyFactory.getInstance(alg.getId(), BouncyCastle.PROVIDER).generatePublic(spec);
        } catch (IOException | GeneralSecurityException e) {
            throw EstProtocolException.badRequest(what + " public key (" + alg.getId() + ") is not supported");
        }
    }
}

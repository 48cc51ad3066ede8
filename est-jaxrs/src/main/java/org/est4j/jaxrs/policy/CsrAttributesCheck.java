package org.est4j.jaxrs.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.codec.DecodedCsr;
import org.est4j.spi.CsrAttributes;

/**
 * Enforces what {@code /csrattrs} asked for (RFC 7030 section 4.5), when a label is configured to:
 * a request that lacks an item is refused with 400 naming every missing item, so the client can fix
 * it in one round.
 *
 * <p>How each item of {@code CsrAttrs} is read, following RFC 7030 section 4.5.2's example:
 * <ul>
 *   <li>a signature algorithm OID: the request must be signed with it;</li>
 *   <li>a public-key algorithm OID ({@code ecPublicKey}, {@code rsaEncryption}...): the key must be of
 *       that type, and an attribute form ({@code ecPublicKey = secp384r1}) also fixes the curve;</li>
 *   <li>{@code extensionRequest} with values: each value is an extension the request must ask for;</li>
 *   <li>any other OID or attribute type: the request must carry that attribute, or an extension of
 *       that OID;</li>
 *   <li>an RFC 9908 template: its key type, subject fields and extensions.</li>
 * </ul>
 */
public final class CsrAttributesCheck {

    private static final ASN1ObjectIdentifier EXTENSION_REQUEST = PKCSObjectIdentifiers.pkcs_9_at_extensionRequest;
    private static final Set<String> KEY_ALGORITHMS = Set.of("1.2.840.10045.2.1", "1.2.840.113549.1.1.1",
            "1.2.840.113549.1.1.10", "1.3.101.112", "1.3.101.113");
    private static final Set<String> SIGNATURE_ALGORITHMS = Set.of(
            "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4",
            "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13", "1.2.840.113549.1.1.10",
            "1.3.101.112", "1.3.101.113");

    private CsrAttributesCheck() {
    }

    /** @throws EstProtocolException 400 listing what is missing */
    public static void check(CsrAttributes asked, DecodedCsr decoded) {
        PKCS10CertificationRequest csr = decoded.asn1();
        List<String> missing = new ArrayList<>();
        for (CsrAttributes.Item item : asked.items()) {
            if (item instanceof CsrAttributes.Oid oid) {
                checkOid(oid.oid(), csr, decoded, missing);
            } else if (item instanceof CsrAttributes.Attribute attribute) {
                checkAttribute(attribute, csr, decoded, missing);
            } else if (item instanceof CsrAttributes.Template template) {
                checkTemplate(template, csr, decoded, missing);
            }
        }
        if (!missing.isEmpty()) {
            throw EstProtocolException.badRequest("the request lacks what /csrattrs asks for: " + String.join("; ", missing));
        }
    }

    private static void checkOid(String oid, PKCS10CertificationRequest csr, DecodedCsr decoded, List<String> missing) {
        if (SIGNATURE_ALGORITHMS.contains(oid) && !KEY_ALGORITHMS.contains(oid)) {
            String actual = csr.getSignatureAlgorithm().getAlgorithm().getId();
            if (!actual.equals(oid)) {
                missing.add("signature algorithm " + oid + " (the request is signed with " + actual + ")");
            }
        } else if (KEY_ALGORITHMS.contains(oid)) {
            String actual = keyAlgorithm(csr).getAlgorithm().getId();
            if (!actual.equals(oid)) {
                missing.add("a public key of type " + oid + " (the request's key is " + actual + ")");
            }
        } else if (csr.getAttributes(new ASN1ObjectIdentifier(oid)).length == 0
                && decoded.request().requestedExtension(oid).isEmpty()) {
            missing.add("attribute or extension " + oid);
        }
    }

    private static void checkAttribute(CsrAttributes.Attribute attribute, PKCS10CertificationRequest csr, DecodedCsr decoded,
                                       List<String> missing) {
        String type = attribute.type();
        if (type.equals(EXTENSION_REQUEST.getId())) {
            for (String extension : attribute.valueOids()) {
                if (decoded.request().requestedExtension(extension).isEmpty()) {
                    missing.add("extension " + extension + " in extensionRequest");
                }
            }
        } else if (KEY_ALGORITHMS.contains(type)) {
            AlgorithmIdentifier key = keyAlgorithm(csr);
            if (!key.getAlgorithm().getId().equals(type)) {
                missing.add("a public key of type " + type + " (the request's key is " + key.getAlgorithm().getId() + ")");
            } else if (key.getParameters() instanceof ASN1ObjectIdentifier curve && !attribute.valueOids().contains(curve.getId())) {
                missing.add("a key on curve " + String.join(" or ", attribute.valueOids()) + " (the request's key is on " + curve.getId() + ")");
            }
        } else if (csr.getAttributes(new ASN1ObjectIdentifier(type)).length == 0) {
            missing.add("attribute " + type);
        }
    }

    /**
     * RFC 9908 template: the key type (and curve) must match, every subject field must be present (with
     * the template's value where it gives one), and every extension must be requested.
     */
    private static void checkTemplate(CsrAttributes.Template template, PKCS10CertificationRequest csr, DecodedCsr decoded,
                                      List<String> missing) {
        template.key().ifPresent(k -> {
            AlgorithmIdentifier key = keyAlgorithm(csr);
            if (!key.getAlgorithm().getId().equals(k.algorithm())) {
                missing.add("a public key of type " + k.algorithm() + " (the request's key is " + key.getAlgorithm().getId() + ")");
            } else if (k.parameters().isPresent() && !(key.getParameters() instanceof ASN1ObjectIdentifier p
                    && p.getId().equals(k.parameters().get()))) {
                missing.add("a key with parameters " + k.parameters().get());
            }
        });
        X500Name subject = csr.getSubject();
        for (CsrAttributes.SubjectField field : template.subject()) {
            RDN[] rdns = subject.getRDNs(new ASN1ObjectIdentifier(field.type()));
            if (rdns.length == 0) {
                missing.add("subject field " + field.type());
            } else if (field.value().isPresent() && java.util.Arrays.stream(rdns).noneMatch(
                    r -> r.getFirst() != null && IETFUtils.valueToString(r.getFirst().getValue()).equals(field.value().get()))) {
                missing.add("subject field " + field.type() + " = " + field.value().get());
            }
        }
        for (CsrAttributes.ExtensionTemplate extension : template.extensions()) {
            if (decoded.request().requestedExtension(extension.oid()).isEmpty()) {
                missing.add("extension " + extension.oid() + " in extensionRequest");
            }
        }
    }

    private static AlgorithmIdentifier keyAlgorithm(PKCS10CertificationRequest csr) {
        SubjectPublicKeyInfo info = csr.getSubjectPublicKeyInfo();
        return info.getAlgorithm();
    }
}

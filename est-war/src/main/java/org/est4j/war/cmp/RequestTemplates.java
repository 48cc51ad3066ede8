package org.est4j.war.cmp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.cmp.CertReqTemplateContent;
import org.bouncycastle.asn1.crmf.CertTemplate;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;

import org.est4j.spi.CsrAttributes;

/**
 * The upstream's certificate request template (RFC 9483 section 4.3.3, {@code id-it-certReqTemplate}) as an EST
 * {@code /csrattrs} template (RFC 9908's {@link CsrAttributes.Template}): its subject fields, key type and extensions.
 */
final class RequestTemplates {

    private RequestTemplates() {
    }

    /** {@code value} as {@code /csrattrs}; empty when it holds no template or one est4j cannot read. */
    static Optional<CsrAttributes> toCsrAttributes(ASN1Encodable value) {
        CertTemplate template;
        try {
            template = CertReqTemplateContent.getInstance(value).getCertTemplate();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Optional.empty();
        }
        List<CsrAttributes.SubjectField> subject = new ArrayList<>();
        if (template.getSubject() != null) {
            for (RDN rdn : template.getSubject().getRDNs()) {
                for (AttributeTypeAndValue tv : rdn.getTypesAndValues()) {
                    String text = tv.getValue() instanceof ASN1String s ? s.getString() : "";
                    subject.add(new CsrAttributes.SubjectField(tv.getType().getId(),
                            text.isEmpty() ? Optional.empty() : Optional.of(text)));
                }
            }
        }
        Optional<CsrAttributes.KeyTemplate> key = Optional.empty();
        if (template.getPublicKey() != null) {
            ASN1ObjectIdentifier alg = template.getPublicKey().getAlgorithm().getAlgorithm();
            ASN1Encodable params = template.getPublicKey().getAlgorithm().getParameters();
            key = Optional.of(new CsrAttributes.KeyTemplate(alg.getId(), params instanceof ASN1ObjectIdentifier p
                    ? Optional.of(p.getId()) : Optional.empty()));
        }
        List<CsrAttributes.ExtensionTemplate> extensions = new ArrayList<>();
        Extensions requested = template.getExtensions();
        if (requested != null) {
            for (ASN1ObjectIdentifier oid : requested.getExtensionOIDs()) {
                Extension e = requested.getExtension(oid);
                byte[] v;
                try {
                    v = e.getExtnValue().getOctets();
                } catch (RuntimeException ex) {
                    v = new byte[0];
                }
                extensions.add(new CsrAttributes.ExtensionTemplate(oid.getId(), e.isCritical(),
                        v.length == 0 ? Optional.empty() : Optional.of(v)));
            }
        }
        if (subject.isEmpty() && key.isEmpty() && extensions.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CsrAttributes(List.of(new CsrAttributes.Template(subject, key, extensions))));
    }
}

package org.est4j.war.cmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.cmp.CertReqTemplateContent;
import org.bouncycastle.asn1.crmf.CertTemplateBuilder;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.junit.jupiter.api.Test;

import org.est4j.spi.CsrAttributes;

class RequestTemplatesTest {

    @Test
    void theUpstreamsTemplateBecomesAnRfc9908Template() {
        CertReqTemplateContent content = new CertReqTemplateContent(new CertTemplateBuilder()
                .setSubject(new X500Name("O=Example,CN="))
                .setPublicKey(new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                        SECObjectIdentifiers.secp384r1), new byte[0]))
                .setExtensions(new Extensions(new Extension(Extension.subjectAlternativeName, false, new byte[0])))
                .build(), null);
        CsrAttributes attributes = RequestTemplates.toCsrAttributes(content).orElseThrow();
        CsrAttributes.Template template = (CsrAttributes.Template) attributes.items().get(0);
        assertEquals(List.of(new CsrAttributes.SubjectField("2.5.4.10", Optional.of("Example")),
                new CsrAttributes.SubjectField("2.5.4.3", Optional.empty())), template.subject());
        assertEquals(Optional.of(new CsrAttributes.KeyTemplate("1.2.840.10045.2.1", Optional.of("1.3.132.0.34"))), template.key());
        assertEquals("2.5.29.17", template.extensions().get(0).oid());
        assertTrue(template.extensions().get(0).value().isEmpty(), "an empty value: the client fills it in");
    }

    @Test
    void somethingElseIsNoTemplate() {
        assertTrue(RequestTemplates.toCsrAttributes(new DERSequence()).isEmpty());
    }
}

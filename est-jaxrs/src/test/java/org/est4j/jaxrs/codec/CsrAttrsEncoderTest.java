package org.est4j.jaxrs.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import java.util.List;

import org.est4j.spi.CsrAttributes;
import org.junit.jupiter.api.Test;

class CsrAttrsEncoderTest {

    /** RFC 7030 section 4.5.2: the example CSR Attributes response, byte for byte. */
    @Test
    void encodesTheRfc7030Example() {
        byte[] rfc = Base64.getDecoder().decode(
                "MEEGCSqGSIb3DQEJBzASBgcqhkjOPQIBMQcGBSuBBAAiMBYGCSqGSIb3DQEJDjEJBgcrBgEBAQEWBggqhkjOPQQDAw==");
        CsrAttributes example = new CsrAttributes(List.of(
                new CsrAttributes.Oid("1.2.840.113549.1.9.7"),                                    // challengePassword
                new CsrAttributes.Attribute("1.2.840.10045.2.1", List.of("1.3.132.0.34")),        // ecPublicKey: secp384r1
                new CsrAttributes.Attribute("1.2.840.113549.1.9.14", List.of("1.3.6.1.1.1.1.22")), // extensionRequest: macAddress
                new CsrAttributes.Oid("1.2.840.10045.4.3.3")));                                   // ecdsa-with-SHA384
        assertArrayEquals(rfc, CsrAttrsEncoder.encode(example));
    }

    @Test
    void refusesWhatIsNoOid() {
        assertThrows(IllegalArgumentException.class, () -> new CsrAttributes.Oid("challengePassword"));
        assertThrows(IllegalArgumentException.class, () -> new CsrAttributes.Attribute("1.2.3", List.of()));
    }

    /** RFC 9908 section 3.4: the template attribute (OID .61) with subject, [0] key and [1] extensionReqTemplate (.62). */
    @Test
    void encodesAnRfc9908TemplateThatBouncyCastleReadsBack() {
        CsrAttributes.Template template = new CsrAttributes.Template(
                List.of(new CsrAttributes.SubjectField("2.5.4.3", java.util.Optional.empty()),
                        new CsrAttributes.SubjectField("2.5.4.10", java.util.Optional.of("Example Corp"))),
                java.util.Optional.of(new CsrAttributes.KeyTemplate("1.2.840.10045.2.1", java.util.Optional.of("1.2.840.10045.3.1.7"))),
                List.of(new CsrAttributes.ExtensionTemplate("2.5.29.17", false, java.util.Optional.empty()),
                        new CsrAttributes.ExtensionTemplate("2.5.29.15", true, java.util.Optional.of(new byte[] {3, 2, 7, (byte) 0x80}))));
        byte[] der = CsrAttrsEncoder.encode(new CsrAttributes(List.of(new CsrAttributes.Oid("1.2.840.113549.1.9.7"), template)));

        org.bouncycastle.asn1.est.CsrAttrs attrs = org.bouncycastle.asn1.est.CsrAttrs.getInstance(der);
        org.bouncycastle.asn1.pkcs.Attribute attribute = attrs.getAttrOrOIDs()[1].getAttribute();
        assertEquals("1.2.840.113549.1.9.16.2.61", attribute.getAttrType().getId());
        org.bouncycastle.asn1.ASN1Sequence cri = org.bouncycastle.asn1.ASN1Sequence.getInstance(attribute.getAttrValues().getObjectAt(0));
        assertEquals(4, cri.size(), "version, subject, [0] key, [1] attributes");
        assertEquals(0, org.bouncycastle.asn1.ASN1Integer.getInstance(cri.getObjectAt(0)).intValueExact());
        org.bouncycastle.asn1.ASN1Sequence subject = org.bouncycastle.asn1.ASN1Sequence.getInstance(cri.getObjectAt(1));
        org.bouncycastle.asn1.ASN1Sequence cn = org.bouncycastle.asn1.ASN1Sequence.getInstance(
                org.bouncycastle.asn1.ASN1Set.getInstance(subject.getObjectAt(0)).getObjectAt(0));
        assertEquals(1, cn.size(), "a field to fill in has no value");
        org.bouncycastle.asn1.ASN1TaggedObject key = org.bouncycastle.asn1.ASN1TaggedObject.getInstance(cri.getObjectAt(2));
        assertEquals(0, key.getTagNo());
        org.bouncycastle.asn1.x509.AlgorithmIdentifier alg = org.bouncycastle.asn1.x509.AlgorithmIdentifier.getInstance(
                org.bouncycastle.asn1.ASN1Sequence.getInstance(key, false).getObjectAt(0));
        assertEquals("1.2.840.10045.3.1.7", alg.getParameters().toString());
        org.bouncycastle.asn1.ASN1Set attributes = org.bouncycastle.asn1.ASN1Set.getInstance(
                org.bouncycastle.asn1.ASN1TaggedObject.getInstance(cri.getObjectAt(3)), false);
        org.bouncycastle.asn1.pkcs.Attribute extReq = org.bouncycastle.asn1.pkcs.Attribute.getInstance(attributes.getObjectAt(0));
        assertEquals("1.2.840.113549.1.9.16.2.62", extReq.getAttrType().getId());
        org.bouncycastle.asn1.ASN1Sequence extensions = org.bouncycastle.asn1.ASN1Sequence.getInstance(extReq.getAttrValues().getObjectAt(0));
        assertEquals(2, extensions.size());
        assertEquals(1, org.bouncycastle.asn1.ASN1Sequence.getInstance(extensions.getObjectAt(0)).size(), "critical FALSE is omitted, no value");
        assertEquals(3, org.bouncycastle.asn1.ASN1Sequence.getInstance(extensions.getObjectAt(1)).size());
    }
}

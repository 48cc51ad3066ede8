package org.est4j.jaxrs.codec;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.est.AttrOrOID;
import org.bouncycastle.asn1.est.CsrAttrs;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

import org.est4j.spi.CsrAttributes;

/** The DER {@code CsrAttrs} of a {@code /csrattrs} response (RFC 7030 section 4.5.2), built with BouncyCastle. */
public final class CsrAttrsEncoder {

    /** {@code id-aa-certificationRequestInfoTemplate} (RFC 9908 section 3.4 and its IANA section; some sources say .63). */
    public static final ASN1ObjectIdentifier CERTIFICATION_REQUEST_INFO_TEMPLATE = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.61");
    /** {@code id-aa-extensionReqTemplate} (RFC 9908). */
    public static final ASN1ObjectIdentifier EXTENSION_REQ_TEMPLATE = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.62");

    private CsrAttrsEncoder() {
    }

    /**
     * {@code CertificationRequestInfoTemplate ::= SEQUENCE { version INTEGER (0), subject NameTemplate OPTIONAL,
     * subjectPKInfo [0] IMPLICIT SubjectPublicKeyInfoTemplate OPTIONAL, attributes [1] IMPLICIT Attributes }};
     * {@code attributes} is always present, empty when there are no extensions to suggest.
     */
    private static ASN1Encodable template(CsrAttributes.Template t) {
        ASN1EncodableVector fields = new ASN1EncodableVector();
        fields.add(new ASN1Integer(0));
        if (!t.subject().isEmpty()) {
            ASN1EncodableVector rdns = new ASN1EncodableVector();
            for (CsrAttributes.SubjectField f : t.subject()) {
                // SingleAttributeTemplate ::= SEQUENCE { type, value OPTIONAL }, one per RDN (a SET of one)
                ASN1EncodableVector single = new ASN1EncodableVector();
                single.add(new ASN1ObjectIdentifier(f.type()));
                f.value().ifPresent(v -> single.add(new DERUTF8String(v)));
                rdns.add(new DERSet(new DERSequence(single)));
            }
            fields.add(new DERSequence(rdns));
        }
        t.key().ifPresent(k -> {
            AlgorithmIdentifier algorithm = k.parameters().isPresent()
                    ? new AlgorithmIdentifier(new ASN1ObjectIdentifier(k.algorithm()), new ASN1ObjectIdentifier(k.parameters().get()))
                    : new AlgorithmIdentifier(new ASN1ObjectIdentifier(k.algorithm()));
            // [0] IMPLICIT SubjectPublicKeyInfoTemplate: the tag replaces the SEQUENCE tag; no subjectPublicKey
            fields.add(new DERTaggedObject(false, 0, new DERSequence(algorithm)));
        });
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        if (!t.extensions().isEmpty()) {
            ASN1EncodableVector extensions = new ASN1EncodableVector();
            for (CsrAttributes.ExtensionTemplate e : t.extensions()) {
                ASN1EncodableVector ext = new ASN1EncodableVector();
                ext.add(new ASN1ObjectIdentifier(e.oid()));
                if (e.critical()) {
                    ext.add(ASN1Boolean.TRUE); // DEFAULT FALSE: omitted when false (DER)
                }
                e.value().ifPresent(v -> ext.add(new DEROctetString(v)));
                extensions.add(new DERSequence(ext));
            }
            attributes.add(new Attribute(EXTENSION_REQ_TEMPLATE, new DERSet(new DERSequence(extensions))));
        }
        fields.add(new DERTaggedObject(false, 1, new DERSet(attributes)));
        return new DERSequence(fields);
    }

    public static byte[] encode(CsrAttributes attributes) {
        AttrOrOID[] items = new AttrOrOID[attributes.items().size()];
        int i = 0;
        for (CsrAttributes.Item item : attributes.items()) {
            if (item instanceof CsrAttributes.Oid oid) {
                items[i++] = new AttrOrOID(new ASN1ObjectIdentifier(oid.oid()));
            } else if (item instanceof CsrAttributes.Template t) {
                items[i++] = new AttrOrOID(new Attribute(CERTIFICATION_REQUEST_INFO_TEMPLATE, new DERSet(template(t))));
            } else {
                CsrAttributes.Attribute a = (CsrAttributes.Attribute) item;
                ASN1Encodable[] values = a.valueOids().stream().map(ASN1ObjectIdentifier::new).toArray(ASN1Encodable[]::new);
                items[i++] = new AttrOrOID(new Attribute(new ASN1ObjectIdentifier(a.type()), new DERSet(values)));
            }
        }
        try {
            return new CsrAttrs(items).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

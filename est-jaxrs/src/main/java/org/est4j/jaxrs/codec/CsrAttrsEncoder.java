package org.est4j.jaxrs.codec;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.est.AttrOrOID;
import org.bouncycastle.asn1.est.CsrAttrs;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.est4j.spi.CsrAttributes;

/** The DER {@code CsrAttrs} of a {@code /csrattrs} response (RFC 7030 section 4.5.2), built with BouncyCastle. */
public final class CsrAttrsEncoder {

    private CsrAttrsEncoder() {
    }

    public static byte[] encode(CsrAttributes attributes) {
        AttrOrOID[] items = new AttrOrOID[attributes.items().size()];
        int i = 0;
        for (CsrAttributes.Item item : attributes.items()) {
            if (item instanceof CsrAttributes.Oid oid) {
                items[i++] = new AttrOrOID(new ASN1ObjectIdentifier(oid.oid()));
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

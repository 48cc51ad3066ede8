package org.est4j.jaxrs.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;

/**
 * Builds the "certs-only" CMC Simple PKI Response (RFC 5272 section 4.1): a CMS SignedData with no
 * signers and no content, carrying certificates. EST uses it for {@code /cacerts} and for enrollment
 * responses (RFC 7030 sections 4.1.3 and 4.2.3).
 */
public final class CertsOnlyEncoder {

    private CertsOnlyEncoder() {
    }

    /** The DER encoding of a certs-only SignedData holding {@code certificates}. */
    public static byte[] encode(List<X509Certificate> certificates) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCertificates(new JcaCertStore(certificates));
            CMSSignedData signedData = generator.generate(new CMSAbsentContent());
            return signedData.getEncoded(ASN1Encoding.DER);
        } catch (CertificateEncodingException | CMSException e) {
            throw new IllegalStateException("the CA returned a certificate that cannot be encoded", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.est4j.jaxrs.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.BERSet;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificateList;

/**
 * Builds the "certs-only" CMC Simple PKI Response (RFC 5272 section 4.1): a CMS SignedData with no
 * signers and no content, carrying certificates. EST uses it for {@code /cacerts} and for enrollment
 * responses (RFC 7030 sections 4.1.3 and 4.2.3).
 */
public final class CertsOnlyEncoder {

    private CertsOnlyEncoder() {
    }

    /**
     * The encoding of a certs-only SignedData holding {@code certificates}, in their order.
     *
     * <p>Built from BouncyCastle's ASN.1 types rather than {@code CMSSignedDataGenerator}: with no signer
     * there is nothing to generate, and this runs once per enrollment (the generator's certificate store
     * conversions were a visible share of the enrollment profile).
     */
    public static byte[] encode(List<X509Certificate> certificates) {
        return encode(certificates, List.of());
    }

    /**
     * The DER encoding of a certs-only SignedData holding {@code certificates} and {@code crls} (RFC 5751
     * section 3.6 lets certs-only carry either; RFC 8295 section 4 sends CRLs and ARLs this way).
     */
    public static byte[] encode(List<X509Certificate> certificates, List<X509CRL> crls) {
        try {
            ASN1EncodableVector certs = new ASN1EncodableVector(certificates.size());
            for (X509Certificate c : certificates) {
                certs.add(Certificate.getInstance(c.getEncoded()));
            }
            ASN1EncodableVector lists = new ASN1EncodableVector(crls.size());
            for (X509CRL crl : crls) {
                lists.add(CertificateList.getInstance(crl.getEncoded()));
            }
            // sets in the caller's order, not DER-sorted ones: the SPI's CaCertificates promises its order (the root first,
            // rollover link certificates last), and a client may take the first certificate as the root. SignedData keeps
            // a BER set's order (a DER-tagged one would be re-sorted); the message is then written with definite lengths.
            SignedData signedData = new SignedData(new DERSet(), new ContentInfo(CMSObjectIdentifiers.data, null),
                    certificates.isEmpty() ? null : new BERSet(certs), crls.isEmpty() ? null : new BERSet(lists), new DERSet());
            return new ContentInfo(CMSObjectIdentifiers.signedData, signedData).getEncoded(ASN1Encoding.DL);
        } catch (CRLException e) {
            throw new IllegalStateException("the CA returned a CRL that cannot be encoded", e);
        } catch (CertificateEncodingException | IllegalArgumentException e) {
            throw new IllegalStateException("the CA returned a certificate that cannot be encoded", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

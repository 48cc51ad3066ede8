package org.est4j.jaxrs.policy;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.encoders.Hex;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.codec.DecodedCsr;
import org.est4j.spi.RenewalKind;

/**
 * The identity rules of re-enrollment (RFC 7030 section 4.2.2): the request's Subject and
 * SubjectAltName must be identical to those of the certificate being renewed, which is the
 * client's TLS certificate; a request with the same public key is a renewal, with another a rekey.
 *
 * <p>Subjects are compared as X.500 names (RFC 5280 section 7.1 matching, so a PrintableString and
 * a UTF8String of the same value match); SubjectAltNames as sets of names, since their order carries
 * no meaning. The ChangeSubjectName attribute (RFC 6402 section 2.8) is refused explicitly: this
 * server does not let a client rename itself through re-enrollment.
 */
public final class ReenrollPolicy {

    /** id-cmc-changeSubjectName (RFC 6402 section 2.8). */
    static final ASN1ObjectIdentifier CHANGE_SUBJECT_NAME = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.7.36");

    private ReenrollPolicy() {
    }

    /**
     * Checks {@code csr} against {@code current} and tells renewal from rekey.
     *
     * @throws EstProtocolException 403 naming the rule that was broken
     */
    public static RenewalKind check(DecodedCsr csr, X509Certificate current) {
        if (csr.asn1().getAttributes(CHANGE_SUBJECT_NAME).length > 0) {
            throw EstProtocolException.forbidden(
                    "the ChangeSubjectName attribute is not supported: re-enrollment keeps the subject and subjectAltName");
        }
        Certificate cert;
        try {
            cert = Certificate.getInstance(current.getEncoded());
        } catch (Exception e) {
            throw EstProtocolException.forbidden("the client certificate being renewed cannot be read");
        }
        if (!X500Name.getInstance(cert.getSubject()).equals(csr.asn1().getSubject())) {
            throw EstProtocolException.forbidden("the request's subject differs from the subject of the certificate being "
                    + "renewed (RFC 7030 section 4.2.2 requires them to be identical)");
        }
        Set<String> certSans = names(cert.getTBSCertificate().getExtensions());
        Set<String> csrSans = names(csr.asn1().getRequestedExtensions());
        if (!certSans.equals(csrSans)) {
            throw EstProtocolException.forbidden("the request's subjectAltName differs from that of the certificate being "
                    + "renewed (RFC 7030 section 4.2.2 requires them to be identical)");
        }
        return csr.request().hasSamePublicKeyAs(current.getPublicKey()) ? RenewalKind.RENEW : RenewalKind.REKEY;
    }

    /** The subjectAltName entries as DER hex strings (empty when there is no extension). */
    private static Set<String> names(Extensions extensions) {
        if (extensions == null) {
            return Set.of();
        }
        Extension san = extensions.getExtension(Extension.subjectAlternativeName);
        if (san == null) {
            return Set.of();
        }
        try {
            GeneralName[] names = GeneralNames.getInstance(san.getParsedValue()).getNames();
            Set<String> out = new HashSet<>();
            for (GeneralName name : names) {
                out.add(Hex.toHexString(name.getEncoded(ASN1Encoding.DER)));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw EstProtocolException.badRequest("a subjectAltName extension is malformed");
        }
    }
}

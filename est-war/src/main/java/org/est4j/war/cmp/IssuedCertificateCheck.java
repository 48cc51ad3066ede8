package org.est4j.war.cmp;

import java.security.cert.X509Certificate;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

import org.est4j.spi.CertificationRequest;

/**
 * Whether a certificate the upstream returned is the one that was asked for: it certifies exactly the requested public
 * key and names exactly the requested subject (RFC 9483 section 4.1.1 leaves the CA free to change a request; est4j does
 * not pass a certificate for another key or name to its client).
 */
final class IssuedCertificateCheck {

    private IssuedCertificateCheck() {
    }

    /** Why {@code certificate} does not answer {@code request}; empty when it does. */
    static Optional<String> mismatch(X509Certificate certificate, CertificationRequest request) {
        SubjectPublicKeyInfo issued = SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
        SubjectPublicKeyInfo asked = SubjectPublicKeyInfo.getInstance(request.publicKey().getEncoded());
        if (!issued.equals(asked)) {
            return Optional.of("the upstream CA returned a certificate for another public key than the one requested");
        }
        X500Name issuedSubject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        X500Name askedSubject = X500Name.getInstance(request.subject().getEncoded());
        if (!issuedSubject.equals(askedSubject)) {
            return Optional.of("the upstream CA returned a certificate for another subject than the one requested ("
                    + org.est4j.jaxrs.ClientText.quote(certificate.getSubjectX500Principal().getName(), 128) + ")");
        }
        return Optional.empty();
    }
}

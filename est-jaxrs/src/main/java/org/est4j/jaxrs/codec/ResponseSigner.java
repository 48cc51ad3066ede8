package org.est4j.jaxrs.codec;

import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * The key and certificate chain with which the EST server signs CMS content of its own: full CMC
 * responses (RFC 5272 section 3.2.2) and encrypted server-generated keys (RFC 7030 section 4.4.2).
 * Usually the EST server's TLS certificate, which then carries {@code id-kp-cmcRA}.
 *
 * @param key   the signing key
 * @param chain the signer's certificate first, then its issuers (sent in the SignedData)
 */
public record ResponseSigner(PrivateKey key, List<X509Certificate> chain) {

    public ResponseSigner {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the signer needs its certificate");
        }
        signatureAlgorithm(key); // fail at configuration time, not on the first request
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** A SignedData (as a ContentInfo, DER) encapsulating {@code content} of {@code contentType}, with {@code extraCerts}. */
    public byte[] sign(ASN1ObjectIdentifier contentType, byte[] content, List<X509Certificate> extraCerts) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build())
                    .build(SignatureProvider.signer(signatureAlgorithm(), key),
                            certificate()));
            java.util.LinkedHashSet<X509Certificate> certs = new java.util.LinkedHashSet<>(chain);
            certs.addAll(extraCerts);
            generator.addCertificates(new JcaCertStore(List.copyOf(certs)));
            CMSSignedData signed = generator.generate(new CMSProcessableByteArray(contentType, content), true);
            return signed.toASN1Structure().getEncoded("DER");
        } catch (OperatorCreationException | CertificateEncodingException | CMSException | java.io.IOException e) {
            throw new IllegalStateException("cannot sign with the configured response signer: " + e.getMessage(), e);
        }
    }

    /** The JCA signature algorithm for the key: SHA-256 with ECDSA or RSA, or the EdDSA curve's own. */
    public String signatureAlgorithm() {
        return signatureAlgorithm(key);
    }

    private static String signatureAlgorithm(PrivateKey key) {
        if (key instanceof java.security.interfaces.EdECKey edec) {
            // JDK EdDSA keys all say "EdDSA"; the curve is in the parameters.
            return edec.getParams().getName();
        }
        return switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "Ed448" -> key.getAlgorithm();
            default -> throw new IllegalArgumentException("a response signer key must be EC, RSA, Ed25519 or Ed448, not "
                    + key.getAlgorithm());
        };
    }

    @Override
    public String toString() {
        return "ResponseSigner[" + certificate().getSubjectX500Principal().getName() + "]";
    }
}

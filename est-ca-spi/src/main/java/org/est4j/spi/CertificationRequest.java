package org.est4j.spi;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

/**
 * A certification request that est4j has parsed and whose proof of possession it has verified: a
 * PKCS#10 request (RFC 2986) signed with its own key, or, inside {@code /fullcmc}, a CRMF request
 * (RFC 4211) with a verified POP (see {@link #format()}).
 *
 * <p>Java has no public PKCS#10 type, so this value carries the DER bytes (for a CA that wants to
 * forward the request as it came) and the fields most CAs decide on, already parsed.
 */
public final class CertificationRequest {

    private final byte[] der;
    private final X500Principal subject;
    private final PublicKey publicKey;
    private final List<SubjectAltName> subjectAltNames;
    private final List<CertificateExtension> requestedExtensions;
    private final Optional<String> challengePassword;
    private final Format format;

    /** How the client expressed its request. */
    public enum Format {
        /** A PKCS#10 CertificationRequest (RFC 2986): {@code /simpleenroll}, {@code /simplereenroll}, {@code /fullcmc}. */
        PKCS10,
        /** A CRMF CertReqMsg (RFC 4211) inside a {@code /fullcmc} request; its proof of possession is verified. */
        CRMF
    }

    /**
     * @param der                 the DER encoding of the whole CertificationRequest
     * @param subject             the requested subject (possibly empty)
     * @param publicKey           the public key to certify
     * @param subjectAltNames     the entries of a requested subjectAltName extension, in order
     * @param requestedExtensions every extension in the {@code extensionRequest} attribute,
     *                            subjectAltName included
     * @param challengePassword   the {@code challengePassword} attribute (RFC 2985 section 5.4.1),
     *                            which EST also uses for channel binding (RFC 7030 section 3.5)
     */
    public CertificationRequest(byte[] der, X500Principal subject, PublicKey publicKey,
                                List<SubjectAltName> subjectAltNames,
                                List<CertificateExtension> requestedExtensions,
                                Optional<String> challengePassword) {
        this(Format.PKCS10, der, subject, publicKey, subjectAltNames, requestedExtensions, challengePassword);
    }

    /**
     * A request in either format; for {@link Format#CRMF}, {@code der} is the CertReqMsg and
     * {@code challengePassword} is empty.
     */
    public CertificationRequest(Format format, byte[] der, X500Principal subject, PublicKey publicKey,
                                List<SubjectAltName> subjectAltNames,
                                List<CertificateExtension> requestedExtensions,
                                Optional<String> challengePassword) {
        this.format = Objects.requireNonNull(format, "format");
        this.der = der.clone();
        this.subject = Objects.requireNonNull(subject, "subject");
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.subjectAltNames = List.copyOf(subjectAltNames);
        this.requestedExtensions = List.copyOf(requestedExtensions);
        this.challengePassword = Objects.requireNonNull(challengePassword, "challengePassword");
    }

    /**
     * The same request for another public key: what server-side key generation certifies. The DER
     * stays the client's original request.
     */
    public CertificationRequest withPublicKey(PublicKey key) {
        return new CertificationRequest(format, der, subject, key, subjectAltNames, requestedExtensions, challengePassword);
    }

    /** Whether this came as PKCS#10 or as CRMF. */
    public Format format() {
        return format;
    }

    /** The request exactly as the client sent it (DER), a fresh copy on each call. */
    public byte[] der() {
        return der.clone();
    }

    public X500Principal subject() {
        return subject;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public List<SubjectAltName> subjectAltNames() {
        return subjectAltNames;
    }

    public List<CertificateExtension> requestedExtensions() {
        return requestedExtensions;
    }

    /** The requested extension with this OID, if the client asked for it. */
    public Optional<CertificateExtension> requestedExtension(String oid) {
        return requestedExtensions.stream().filter(e -> e.oid().equals(oid)).findFirst();
    }

    public Optional<String> challengePassword() {
        return challengePassword;
    }

    /** Whether both requests carry the same public key (compared by its encoding). */
    public boolean hasSamePublicKeyAs(PublicKey other) {
        return Arrays.equals(publicKey.getEncoded(), other.getEncoded());
    }

    @Override
    public String toString() {
        // Never the challenge password: it may be a one-time secret.
        return "CertificationRequest[subject=" + subject.getName() + ", key=" + publicKey.getAlgorithm()
                + ", sans=" + subjectAltNames.size() + ", extensions=" + requestedExtensions.size() + "]";
    }
}

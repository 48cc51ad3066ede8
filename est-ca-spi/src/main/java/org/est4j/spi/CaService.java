package org.est4j.spi;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.util.List;
import java.util.Optional;

/**
 * A certification authority as est4j sees it: implement this once for your CA.
 *
 * <p><b>How est4j finds it.</b> est4j injects a {@code CaService} with CDI. The WAR ships a built-in
 * local CA as the default bean; to replace it, put a jar with your implementation into
 * {@code WEB-INF/lib} (with a {@code META-INF/beans.xml}) and annotate the class
 * {@code @ApplicationScoped @Alternative @Priority(100)}. A globally enabled alternative wins over the
 * default without any further configuration.
 *
 * <p><b>What est4j has already done</b> when one of these methods is called:
 * <ul>
 *   <li>the client is authenticated ({@link AuthenticatedClient}); a TLS client certificate has
 *       passed PKIX path validation against the configured trust anchors;</li>
 *   <li>the PKCS#10 request is well formed and its signature verifies with its own public key
 *       (proof of possession);</li>
 *   <li>for re-enrollment, the request's subject and subjectAltName equal those of the TLS client
 *       certificate being renewed (RFC 7030 section 4.2.2).</li>
 * </ul>
 * What remains is your policy: whether this client may have this certificate, with which profile.
 *
 * <p><b>Labels.</b> RFC 7030 section 3.2.2 lets one server front several CAs, selected by an
 * optional path segment ({@code /.well-known/est/<label>/simpleenroll}). Each request carries the
 * label; throw {@link UnknownLabelException} for a label you do not serve (HTTP 404).
 *
 * <p><b>Errors.</b> Throw the subclass of {@link CaException} that says what went wrong; its message
 * is sent to the EST client as the plain-text reason, so keep CA internals out of it. Anything else
 * that escapes becomes a generic HTTP 500 and is logged with a request id.
 *
 * <p><b>Threads.</b> Methods are called concurrently from the container's request threads.
 *
 * <p>Operations that later versions of est4j add are {@code default} methods answering
 * {@link CaOperationNotSupportedException}, so an implementation written today keeps compiling.
 */
public interface CaService {

    /**
     * {@code GET /cacerts} (RFC 7030 section 4.1): the certificates an EST client should trust as its
     * CA for this label: the current root, any intermediates, and during a root key rollover the
     * {@code OldWithNew} / {@code NewWithOld} link certificates.
     *
     * <p>Called without client authentication (the RFC says the server should not require it), so
     * {@link CaCertificatesRequest#client()} is usually anonymous. Called often: return a value you
     * have cached.
     */
    CaCertificates caCertificates(CaCertificatesRequest request) throws CaException;

    /**
     * {@code POST /simpleenroll} (RFC 7030 section 4.2.1): issue a certificate for the request's
     * public key, or say that the request is pending manual approval.
     *
     * @return {@link Issued} with the new certificate, or {@link Pending} to make the client retry
     *         later (HTTP 202 with {@code Retry-After})
     */
    EnrollmentResult enroll(EnrollmentRequest request) throws CaException;

    /**
     * {@code POST /simplereenroll} (RFC 7030 section 4.2.2): renew or rekey the certificate the client
     * authenticated with. {@link ReenrollmentRequest#kind()} tells a renewal (same public key) from a
     * rekey (new key); {@link ReenrollmentRequest#currentCertificate()} is the certificate being
     * replaced.
     *
     * <p>The default treats re-enrollment as a fresh enrollment of the same identity. Override it to
     * apply a renewal policy (for example, to revoke or supersede the old certificate).
     */
    default EnrollmentResult reenroll(ReenrollmentRequest request) throws CaException {
        return enroll(request.asEnrollment());
    }

    /**
     * {@code GET /csrattrs} (RFC 7030 section 4.5): what the client should put in its request, possibly
     * depending on who asks. The default asks for nothing, which est4j answers with HTTP 204 as the RFC
     * allows.
     */
    default Optional<CsrAttributes> csrAttributes(CsrAttributesRequest request) throws CaException {
        return Optional.empty();
    }

    /**
     * {@code POST /serverkeygen} (RFC 7030 section 4.4): create a key pair for the client and certify
     * it. est4j calls this only on labels where server-side key generation is switched on (it is off
     * by default, as the RFC advises), and encrypts the private key for the client when it asked.
     *
     * <p>The default generates {@link ServerKeyGenRequest#keySpec()} in this JVM and certifies the new
     * public key through {@link #enroll}, with the client's request as the template. Override it when
     * keys must come from elsewhere, for example an HSM that exports them wrapped.
     */
    default ServerKeyGenResult serverKeyGen(ServerKeyGenRequest request) throws CaException {
        KeyPair pair;
        try {
            pair = request.keySpec().generate();
        } catch (GeneralSecurityException e) {
            throw new CaException("cannot generate a " + request.keySpec() + " key pair", e);
        }
        EnrollmentResult result = enroll(new EnrollmentRequest(request.label(),
                request.csr().withPublicKey(pair.getPublic()), request.client()));
        if (result instanceof Issued issued) {
            return new GeneratedKey(pair.getPrivate(), issued);
        }
        return (Pending) result; // the key is dropped: a new one is generated when the retry is issued
    }

    /**
     * Whether a certificate a client authenticates with is revoked. est4j asks on every request that presents
     * a TLS client certificate which passed its PKIX validation (a registration authority's included), before
     * the certificate counts as an identity; a {@link CertificateStatus.State#REVOKED} answer refuses it (HTTP
     * 401 "certificate revoked"), whatever the operation. Answer from memory or a cache: this is on every
     * request's path.
     *
     * <p>The default answers {@link CertificateStatus#unknown()}: est4j then relies on its own revocation
     * checking (CRLs, OCSP), if configured.
     */
    default CertificateStatus certificateStatus(CertificateStatusRequest request) throws CaException {
        return CertificateStatus.unknown();
    }

    /**
     * The CMC {@code revokeRequest} control of a {@code /fullcmc} request (RFC 5272 section 6.11):
     * revoke a certificate, after deciding whether this client may. The default refuses with
     * {@link CaOperationNotSupportedException}, which the client receives as the CMC failure
     * {@code unsupportedExt}.
     */
    default void revoke(RevocationRequest request) throws CaException {
        throw new CaOperationNotSupportedException("revocation");
    }

    /**
     * {@code GET /crls} (RFC 8295 section 4): the current CRLs and ARLs a client of this label needs to check
     * the certificates of its peers, as your CA signed them. est4j sends them as they are, in a certs-only
     * SignedData, and lists each in the client's package availability list ({@code /pal}); an ARL is a CRL
     * whose issuing distribution point says {@code onlyContainsCACerts}.
     *
     * <p>Called without client authentication (CRLs are signed by the CA, RFC 8295 section 4), and often:
     * return what you have cached and reissue before {@code nextUpdate} yourself. The default has none, which
     * est4j answers with HTTP 204.
     */
    default List<X509CRL> crls(CrlRequest request) throws CaException {
        return List.of();
    }
}

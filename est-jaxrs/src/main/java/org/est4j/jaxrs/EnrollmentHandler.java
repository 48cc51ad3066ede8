package org.est4j.jaxrs;

import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.est4j.jaxrs.auth.EstAuthenticator;
import org.est4j.jaxrs.codec.Base64Transfer;
import org.est4j.jaxrs.codec.BoundedBody;
import org.est4j.jaxrs.codec.CertsOnlyEncoder;
import org.est4j.jaxrs.codec.CsrAttrsEncoder;
import org.est4j.jaxrs.codec.CsrDecoder;
import org.est4j.jaxrs.codec.DecodedCsr;
import org.est4j.jaxrs.policy.ReenrollPolicy;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.CaCertificates;
import org.est4j.spi.CaCertificatesRequest;
import org.est4j.spi.CaException;
import org.est4j.spi.CaService;
import org.est4j.spi.CsrAttributes;
import org.est4j.spi.CsrAttributesRequest;
import org.est4j.spi.EnrollmentRequest;
import org.est4j.spi.EnrollmentResult;
import org.est4j.spi.Issued;
import org.est4j.spi.Pending;
import org.est4j.spi.ReenrollmentRequest;
import org.est4j.spi.RenewalKind;

/**
 * The EST operations of RFC 7030 section 4.1 and 4.2, independent of JAX-RS. Each request flows one
 * way: size and media-type checks, authentication, decoding, proof of possession, re-enrollment
 * identity, the CA, encoding. Nothing from an unauthenticated client reaches the ASN.1 parser.
 */
public final class EnrollmentHandler {

    private static final System.Logger LOG = System.getLogger(EnrollmentHandler.class.getName());

    private final CaService ca;
    private final EstAuthenticator authenticator;
    private final int maxRequestBytes;

    public EnrollmentHandler(CaService ca, EstEndpointConfig config) {
        this.ca = ca;
        this.authenticator = new EstAuthenticator(config.clientCertificates(), config.credentials(), config.basicRealm());
        this.maxRequestBytes = config.maxRequestBytes();
    }

    /** {@code GET /cacerts}: no authentication (RFC 7030 section 4.1.1). */
    public EstReply caCertificates(Optional<String> label, String remoteAddress) throws CaException {
        CaCertificates certificates = ca.caCertificates(
                new CaCertificatesRequest(label, AuthenticatedClient.anonymous(remoteAddress)));
        return EstReply.base64(200, EstMediaTypes.PKCS7_MIME, CertsOnlyEncoder.encode(certificates.certificates()));
    }

    /**
     * {@code GET /csrattrs} (RFC 7030 section 4.5): no authentication is demanded; a validated TLS client
     * certificate is passed on so the CA may answer per client. Nothing to ask for is 204.
     */
    public EstReply csrAttributes(Optional<String> label, HttpRequestInfo http) throws CaException {
        Optional<CsrAttributes> attributes = ca.csrAttributes(new CsrAttributesRequest(label, authenticator.identify(http)));
        if (attributes.isEmpty() || attributes.get().items().isEmpty()) {
            return EstReply.empty(204, Map.of());
        }
        return EstReply.base64(200, EstMediaTypes.CSRATTRS, CsrAttrsEncoder.encode(attributes.get()));
    }

    /** {@code POST /simpleenroll}. */
    public EstReply enroll(Optional<String> label, HttpRequestInfo http, InputStream body) throws CaException {
        AuthenticatedClient client = admit(http);
        DecodedCsr csr = CsrDecoder.decode(Base64Transfer.decode(BoundedBody.read(body, maxRequestBytes)));
        return answer(ca.enroll(new EnrollmentRequest(label, csr.request(), client)), "enroll", client);
    }

    /** {@code POST /simplereenroll}: the certificate being renewed is the client's TLS certificate. */
    public EstReply reenroll(Optional<String> label, HttpRequestInfo http, InputStream body) throws CaException {
        AuthenticatedClient client = admit(http);
        X509Certificate current = client.certificate().orElseThrow(() -> EstProtocolException.forbidden(
                "re-enrollment requires TLS client authentication with the certificate being renewed"));
        DecodedCsr csr = CsrDecoder.decode(Base64Transfer.decode(BoundedBody.read(body, maxRequestBytes)));
        RenewalKind kind = ReenrollPolicy.check(csr, current);
        return answer(ca.reenroll(new ReenrollmentRequest(label, csr.request(), client, current, kind)),
                kind == RenewalKind.RENEW ? "renew" : "rekey", client);
    }

    /** The checks that need no body: declared size (413), media type (415), then authentication (401). */
    private AuthenticatedClient admit(HttpRequestInfo http) {
        BoundedBody.checkDeclaredLength(http.contentLength(), maxRequestBytes);
        if (!EstMediaTypes.isPkcs10(http.contentType())) {
            throw new EstProtocolException(415, "the request must be a PKCS#10 request with Content-Type "
                    + EstMediaTypes.PKCS10 + " (received " + (http.contentType() == null ? "none" : "'" + http.contentType() + "'") + ")");
        }
        return authenticator.authenticate(http);
    }

    private static EstReply answer(EnrollmentResult result, String operation, AuthenticatedClient client) {
        if (result instanceof Issued issued) {
            X509Certificate cert = issued.certificate();
            LOG.log(Level.INFO, "{0}: issued serial {1} to {2} for client {3} ({4})", operation,
                    hex(cert.getSerialNumber()), cert.getSubjectX500Principal().getName(), client.remoteAddress(),
                    client.methods());
            // RFC 7030 section 4.2.3: "containing only the certificate that was issued".
            return EstReply.base64(200, EstMediaTypes.PKCS7_CERTS_ONLY, CertsOnlyEncoder.encode(List.of(cert)));
        }
        Pending pending = (Pending) result;
        long seconds = pending.retryAfterSeconds();
        LOG.log(Level.INFO, "{0}: pending for client {1}, retry after {2} s", operation, client.remoteAddress(), seconds);
        // RFC 7030 section 4.2.3: 202 + Retry-After, and no body: BouncyCastle's client (1.87) closes a 202
        // unread and fails on any body it did not consume.
        return EstReply.empty(202, Map.of("Retry-After", Long.toString(seconds)));
    }

    private static String hex(BigInteger serial) {
        return serial.toString(16);
    }
}

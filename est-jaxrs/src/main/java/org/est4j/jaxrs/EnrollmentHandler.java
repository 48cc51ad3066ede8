package org.est4j.jaxrs;

import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.est4j.jaxrs.auth.BasicCredentials;
import org.est4j.jaxrs.auth.EstAuthenticator;
import org.est4j.jaxrs.cmc.FullCmcProcessor;
import org.est4j.jaxrs.codec.Base64Transfer;
import org.est4j.jaxrs.codec.BoundedBody;
import org.est4j.jaxrs.codec.CertsOnlyEncoder;
import org.est4j.jaxrs.codec.CsrAttrsEncoder;
import org.est4j.jaxrs.codec.CsrDecoder;
import org.est4j.jaxrs.codec.DecodedCsr;
import org.est4j.jaxrs.codec.MultipartMixed;
import org.est4j.jaxrs.codec.ResponseSigner;
import org.est4j.jaxrs.events.Decision;
import org.est4j.jaxrs.events.EstEvents;
import org.est4j.jaxrs.keygen.EncryptedKeyPackage;
import org.est4j.jaxrs.keygen.KeyDelivery;
import org.est4j.jaxrs.keygen.KeyEncryptionKeys;
import org.est4j.jaxrs.keygen.KeyFormat;
import org.est4j.jaxrs.keygen.Pkcs12Package;
import org.est4j.jaxrs.policy.ChannelBindingCheck;
import org.est4j.jaxrs.policy.CsrAttributesCheck;
import org.est4j.jaxrs.policy.LabelPolicies;
import org.est4j.jaxrs.policy.LabelPolicy;
import org.est4j.jaxrs.policy.ReenrollPolicy;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.AuthenticationMethod;
import org.est4j.spi.CaCertificates;
import org.est4j.spi.CaCertificatesRequest;
import org.est4j.spi.CaException;
import org.est4j.spi.CaOperationNotSupportedException;
import org.est4j.spi.CaService;
import org.est4j.spi.CertificationRequest;
import org.est4j.spi.CsrAttributes;
import org.est4j.spi.CsrAttributesRequest;
import org.est4j.spi.EnrollmentRequest;
import org.est4j.spi.EnrollmentResult;
import org.est4j.spi.GeneratedKey;
import org.est4j.spi.Issued;
import org.est4j.spi.Pending;
import org.est4j.spi.ReenrollmentRequest;
import org.est4j.spi.RenewalKind;
import org.est4j.spi.ServerKeyGenRequest;
import org.est4j.spi.ServerKeyGenResult;
import org.est4j.spi.UnverifiedIdentity;

/**
 * The EST operations of RFC 7030 section 4, independent of JAX-RS. Each request flows one
 * way: size and media-type checks, authentication, decoding, proof of possession, re-enrollment
 * identity, the CA, encoding. Nothing from an unauthenticated client reaches the ASN.1 parser.
 */
public final class EnrollmentHandler {


    private final CaService ca;
    private final EstAuthenticator authenticator;
    private final int maxRequestBytes;
    private final LabelPolicies policies;
    private final KeyEncryptionKeys keyEncryptionKeys;
    private final Optional<ResponseSigner> signer;
    private final FullCmcProcessor fullCmc;
    private final EstEvents events;

    public EnrollmentHandler(CaService ca, EstEndpointConfig config) {
        this.ca = ca;
        this.events = config.events();
        this.authenticator = config.authenticator(ca::certificateStatus);
        this.maxRequestBytes = config.maxRequestBytes();
        this.policies = config.policies();
        this.keyEncryptionKeys = config.keyEncryptionKeys();
        this.signer = config.signer();
        this.fullCmc = signer.map(s -> new FullCmcProcessor(ca, s, events)).orElse(null);
    }

    /** {@code GET /cacerts}: no authentication (RFC 7030 section 4.1.1). */
    public EstReply caCertificates(Optional<String> label, String remoteAddress) throws CaException {
        CaCertificates certificates = ca.caCertificates(new CaCertificatesRequest(label, AuthenticatedClient.anonymous(remoteAddress)));
        LabelPolicy.ResponseDialect dialect = policies.of(label).responses();
        // The CA certificates rarely change, and /cacerts is what every client polls: the encoded reply is
        // kept per label for as long as the CA returns the same certificates.
        EncodedCaCertificates cached = caCertificateReplies.get(label);
        if (cached != null && cached.dialect() == dialect && cached.certificates().equals(certificates.certificates())) {
            return cached.reply();
        }
        EstReply reply = EstReply.encoded(dialect, 200, EstMediaTypes.PKCS7_MIME, "PKCS7",
                CertsOnlyEncoder.encode(certificates.certificates()));
        if (caCertificateReplies.size() > 1000) {
            caCertificateReplies.clear(); // a CaService that answers for any label must not grow this without bound
        }
        caCertificateReplies.put(label, new EncodedCaCertificates(List.copyOf(certificates.certificates()), dialect, reply));
        return reply;
    }

    private record EncodedCaCertificates(List<X509Certificate> certificates, LabelPolicy.ResponseDialect dialect, EstReply reply) {
    }

    private final java.util.concurrent.ConcurrentHashMap<Optional<String>, EncodedCaCertificates> caCertificateReplies =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * {@code GET /csrattrs} (RFC 7030 section 4.5): no authentication is demanded; a validated TLS client
     * certificate is passed on so the CA may answer per client. Nothing to ask for is 204.
     */
    public EstReply csrAttributes(Optional<String> label, HttpRequestInfo http) throws CaException {
        Optional<CsrAttributes> attributes;
        attributes = ca.csrAttributes(new CsrAttributesRequest(label, authenticator.identify(label, http)));
        if (attributes.isEmpty() || attributes.get().items().isEmpty()) {
            return EstReply.empty(204, Map.of());
        }
        return EstReply.encoded(policies.of(label).responses(), 200, EstMediaTypes.CSRATTRS, "CSR ATTRIBUTES",
                CsrAttrsEncoder.encode(attributes.get()));
    }

    /** {@code POST /simpleenroll}. */
    public EstReply enroll(Optional<String> label, HttpRequestInfo http, InputStream body) throws CaException {
        return recorded(new Attempt("enroll", label, http), attempt -> enroll(attempt, label, http, body));
    }

    private EstReply enroll(Attempt attempt, Optional<String> label, HttpRequestInfo http, InputStream body) throws CaException {
        LabelPolicy policy = policies.of(label);
        AuthenticatedClient client = admit(label, http, policy);
        attempt.client = client;
        DecodedCsr csr = CsrDecoder.decode(Base64Transfer.decode(BoundedBody.read(body, maxRequestBytes)));
        attempt.csr = csr.request();
        policy.authorization().check(client, csr.request().subject());
        if (!(policy.raAttestsPossession() && client.methods().contains(AuthenticationMethod.REGISTRATION_AUTHORITY))) {
            ChannelBindingCheck.check(policy.channelBinding(), csr.request().challengePassword(), http.channelBinding());
        }
        enforceCsrAttributes(label, policy, client, csr);
        return answer(policy, ca.enroll(new EnrollmentRequest(label, csr.request(), client)), attempt);
    }

    /** {@code POST /simplereenroll}: the certificate being renewed is the client's TLS certificate. */
    public EstReply reenroll(Optional<String> label, HttpRequestInfo http, InputStream body) throws CaException {
        return recorded(new Attempt("reenroll", label, http), attempt -> reenroll(attempt, label, http, body));
    }

    private EstReply reenroll(Attempt attempt, Optional<String> label, HttpRequestInfo http, InputStream body) throws CaException {
        LabelPolicy policy = policies.of(label);
        AuthenticatedClient client = admit(label, http, LabelPolicy.DEFAULTS); // renewal needs a valid certificate: never queued
        attempt.client = client;
        X509Certificate current = client.certificate().orElseThrow(() -> EstProtocolException.forbidden(
                "re-enrollment requires TLS client authentication with the certificate being renewed"));
        DecodedCsr csr = CsrDecoder.decode(Base64Transfer.decode(BoundedBody.read(body, maxRequestBytes)));
        attempt.csr = csr.request();
        RenewalKind kind = ReenrollPolicy.check(csr, current);
        attempt.operation = kind == RenewalKind.RENEW ? "renew" : "rekey";
        attempt.renewal = true;
        policy.authorization().check(client, csr.request().subject());
        ChannelBindingCheck.check(policy.channelBinding(), csr.request().challengePassword(), http.channelBinding());
        enforceCsrAttributes(label, policy, client, csr);
        return answer(policy, ca.reenroll(new ReenrollmentRequest(label, csr.request(), client, current, kind)), attempt);
    }

    /**
     * {@code POST /serverkeygen} (RFC 7030 section 4.4) of a client that sent no {@code Accept}: RFC 7030's
     * {@code multipart/mixed}.
     */
    public EstReply serverKeyGen(Optional<String> label, HttpRequestInfo http, InputStream body) throws CaException {
        return serverKeyGen(label, http, http.accept(), body); // RFC 8295 section 8: Accept chooses the format
    }

    /**
     * {@code POST /serverkeygen} (RFC 7030 section 4.4, RFC 8295 section 8): 501 unless the label offers it. The
     * request is a template (its key and signature are ignored). The reply is chosen by {@code accept} (the request's
     * {@code Accept} field values joined by commas, or null; see {@link KeyFormat}): {@code multipart/mixed} with the
     * private key — plain PKCS#8, or encrypted when the request names a decryption key — and the certificate; or
     * one PKCS#12 file protected by the request's challengePassword; or {@code multipart/mixed} with an RFC 6032
     * encrypted key package. Whatever the format needs from the request is checked before a key is generated.
     */
    public EstReply serverKeyGen(Optional<String> label, HttpRequestInfo http, String accept, InputStream body) throws CaException {
        return recorded(new Attempt("serverkeygen", label, http), attempt -> serverKeyGen(attempt, label, http, accept, body));
    }

    private EstReply serverKeyGen(Attempt attempt, Optional<String> label, HttpRequestInfo http, String accept, InputStream body)
            throws CaException {
        LabelPolicy policy = policies.of(label);
        if (!policy.serverKeyGen()) {
            throw new EstProtocolException(501, "server-side key generation is not enabled for this "
                    + (label.isPresent() ? "label" : "path") + " (RFC 7030 section 4.4; it is off unless configured)", Map.of());
        }
        AuthenticatedClient client = admit(label, http, policy);
        attempt.client = client;
        DecodedCsr csr = CsrDecoder.decodeTemplate(Base64Transfer.decode(BoundedBody.read(body, maxRequestBytes)));
        policy.authorization().check(client, csr.request().subject());
        KeyFormat format = KeyFormat.fromAccept(accept);
        char[] pkcs12Password = format == KeyFormat.PKCS12 ? Pkcs12Package.password(csr.request()) : null;
        KeyDelivery delivery = format == KeyFormat.MULTIPART
                ? KeyDelivery.forRequest(csr.asn1(), client.certificateChain(), keyEncryptionKeys, signer) : null;
        EncryptedKeyPackage keyPackage = format == KeyFormat.ENCRYPTED_KEY_PACKAGE
                ? EncryptedKeyPackage.forRequest(csr.asn1(), client.certificateChain(), keyEncryptionKeys, signer) : null;
        // the PKCS#12 password is the client's secret, not a request attribute for the CA to see or record
        CertificationRequest template = format == KeyFormat.PKCS12 ? Pkcs12Package.withoutPassword(csr.request()) : csr.request();
        attempt.csr = template; // never the one with the PKCS#12 password: that is the client's secret
        ServerKeyGenResult result = ca.serverKeyGen(new ServerKeyGenRequest(label, template, client, policy.serverKeySpec()));
        if (result instanceof Pending pending) {
            return pending(pending, attempt);
        }
        GeneratedKey generated = (GeneratedKey) result;
        X509Certificate issued = generated.issued().certificate();
        issued(attempt, issued);
        if (format == KeyFormat.PKCS12) {
            byte[] pfx;
            try {
                pfx = Pkcs12Package.encode(generated.privateKey(), issued, generated.issued().chain(), pkcs12Password);
            } finally {
                Arrays.fill(pkcs12Password, '\0');
            }
            EstReply encoded = EstReply.encoded(policy.responses(), 200, EstMediaTypes.PKCS12, "PKCS12", pfx);
            Map<String, String> headers = new LinkedHashMap<>(encoded.headers());
            headers.put("Cache-Control", "no-store"); // it holds a private key, as the multipart reply does
            return new EstReply(200, headers, encoded.body());
        }
        String keyType = keyPackage == null ? delivery.contentType() : keyPackage.contentType();
        String keyPemType = keyPackage == null ? delivery.pemType() : keyPackage.pemType();
        byte[] key = keyPackage == null ? delivery.encode(generated.privateKey()) : keyPackage.encode(generated.privateKey(), issued);
        byte[] certificate = CertsOnlyEncoder.encode(List.of(issued));
        boolean pem = policy.responses() == LabelPolicy.ResponseDialect.DRAFT02_PEM;
        return EstReply.multipart(MultipartMixed.of(List.of(
                new MultipartMixed.Part(keyType, !pem,
                        pem ? Base64Transfer.pem(keyPemType, key) : Base64Transfer.encode(key)),
                new MultipartMixed.Part(EstMediaTypes.PKCS7_CERTS_ONLY, !pem,
                        pem ? Base64Transfer.pem("PKCS7", certificate) : Base64Transfer.encode(certificate)))));
    }

    /**
     * {@code POST /fullcmc} (RFC 7030 section 4.3): a signed CMC PKIData in, a signed PKIResponse out.
     * Failures the CMC layer can express (bad signature, failed proof of possession, refused request)
     * come back as CMC status inside a 200; HTTP errors are for what it cannot (not CMC at all, 400).
     * Not offered (501) without a response signer.
     */
    public EstReply fullCmc(Optional<String> label, HttpRequestInfo http, InputStream body) throws CaException {
        if (fullCmc == null) {
            throw new CaOperationNotSupportedException("full CMC (this server has no response signer configured)");
        }
        BoundedBody.checkDeclaredLength(http.contentLength(), maxRequestBytes);
        if (!EstMediaTypes.isPkcs7(http.contentType())) {
            throw unsupportedMediaType("a CMC message", EstMediaTypes.CMC_REQUEST, http);
        }
        AuthenticatedClient client;
        try {
            client = authenticator.authenticate(label, http, policies.of(label), false);
        } catch (RuntimeException | CaException e) {
            refused(new Attempt("fullcmc", label, http), e);
            throw e;
        }
        byte[] response = fullCmc.process(label, Base64Transfer.decode(BoundedBody.read(body, maxRequestBytes)), client);
        return EstReply.encoded(policies.of(label).responses(), 200, EstMediaTypes.CMC_RESPONSE, "PKCS7", response);
    }

    /** The checks that need no body: declared size (413), media type (415), then authentication (401). */
    private AuthenticatedClient admit(Optional<String> label, HttpRequestInfo http, LabelPolicy policy) throws CaException {
        BoundedBody.checkDeclaredLength(http.contentLength(), maxRequestBytes);
        if (!EstMediaTypes.isPkcs10(http.contentType())) {
            throw unsupportedMediaType("a PKCS#10 request", EstMediaTypes.PKCS10, http);
        }
        return authenticator.authenticate(label, http, policy, true);
    }

    /** 415, quoting at most a short prefix of what the client sent. */
    private static EstProtocolException unsupportedMediaType(String what, String expected, HttpRequestInfo http) {
        String received = http.contentType() == null ? "none" : "'" + ClientText.quote(http.contentType(), ClientText.REPLY_LIMIT) + "'";
        return new EstProtocolException(415, "the request must be " + what + " with Content-Type " + expected + " (received " + received + ")");
    }

    private void enforceCsrAttributes(Optional<String> label, LabelPolicy policy, AuthenticatedClient client, DecodedCsr csr)
            throws CaException {
        if (policy.enforceCsrAttributes()) {
            Optional<CsrAttributes> asked = ca.csrAttributes(new CsrAttributesRequest(label, client));
            if (asked.isPresent()) {
                CsrAttributesCheck.check(asked.get(), csr);
            }
        }
    }

    private EstReply answer(LabelPolicy policy, EnrollmentResult result, Attempt attempt) {
        if (result instanceof Issued issued) {
            X509Certificate cert = issued.certificate();
            issued(attempt, cert);
            // RFC 7030 section 4.2.3: "containing only the certificate that was issued".
            return EstReply.encoded(policy.responses(), 200, EstMediaTypes.PKCS7_CERTS_ONLY, "PKCS7",
                    CertsOnlyEncoder.encode(List.of(cert)));
        }
        return pending((Pending) result, attempt);
    }

    private EstReply pending(Pending pending, Attempt attempt) {
        long seconds = pending.retryAfterSeconds();
        if (events != EstEvents.NONE) {
            events.decided(Decision.onRequest(Decision.Outcome.QUEUED, attempt.operation, attempt.label, attempt.client, attempt.csr,
                    null, 202, "waits for an administrator; retry after " + seconds + " s"));
        }
        // RFC 7030 section 4.2.3: 202 + Retry-After, and no body: BouncyCastle's client (1.87) closes a 202
        // unread and fails on any body it did not consume.
        return EstReply.empty(202, Map.of("Retry-After", Long.toString(seconds)));
    }

    private void issued(Attempt attempt, X509Certificate certificate) {
        if (events != EstEvents.NONE) {
            events.decided(Decision.onRequest(attempt.renewal ? Decision.Outcome.RENEWED : Decision.Outcome.ISSUED, attempt.operation,
                    attempt.label, attempt.client, attempt.csr, certificate, 200, null));
        }
    }

    /**
     * A request that ends in an error reply: a refusal in the audit trail, and a back-end error when the CA failed.
     * The first leg of HTTP authentication (a challenge to a client that presented nothing, a stale Digest nonce) is
     * the protocol, not a decision, and is not recorded.
     */
    /** One operation on its {@link Attempt}. */
    @FunctionalInterface
    private interface Operation {
        EstReply run(Attempt attempt) throws CaException;
    }

    /** Runs {@code operation}; a failure is reported as the attempt's refusal, then passed on to become the reply. */
    private EstReply recorded(Attempt attempt, Operation operation) throws CaException {
        try {
            return operation.run(attempt);
        } catch (RuntimeException | CaException e) {
            refused(attempt, e);
            throw e;
        }
    }

    private void refused(Attempt attempt, Exception failure) {
        if (events == EstEvents.NONE) {
            return;
        }
        int status;
        String reason;
        if (failure instanceof EstProtocolException e) {
            if (e.emptyBody()) {
                return;
            }
            status = e.status();
            reason = e.getMessage();
        } else if (failure instanceof CaException e) {
            status = ErrorReplies.status(e);
            reason = status == 500 ? "the CA failed" : e.getMessage();
        } else {
            status = 500;
            reason = "internal error";
        }
        String why = reason == null ? "refused" : reason;
        AuthenticatedClient who = attempt.client != null ? attempt.client : presented(attempt.http, why);
        events.decided(Decision.onRequest(Decision.Outcome.REFUSED, attempt.operation, attempt.label, who, attempt.csr, null, status,
                why));
    }

    /**
     * For a request refused before authentication succeeded: what the client presented (its TLS certificate, its HTTP
     * Basic user name), as an unverified identity, so that the record says who tried; null when it presented neither.
     * The password is decoded with the name and wiped at once.
     */
    private static AuthenticatedClient presented(HttpRequestInfo http, String reason) {
        Optional<String> user = Optional.empty();
        if (BasicCredentials.scheme(http.authorization()).equals("basic")) {
            try {
                Optional<BasicCredentials> credentials = BasicCredentials.parse(http.authorization());
                if (credentials.isPresent()) {
                    credentials.get().wipe();
                    user = Optional.of(credentials.get().username()).filter(u -> !u.isEmpty()); // empty: a one-time password
                }
            } catch (BasicCredentials.MalformedException e) {
                // nothing readable was presented as a name
            }
        }
        if (http.tlsChain().isEmpty() && user.isEmpty()) {
            return null;
        }
        return AuthenticatedClient.unverified(new UnverifiedIdentity(http.tlsChain(), user, reason), http.remoteAddress());
    }


    /** What is known of an enrollment request so far, for its decision's record: filled in as the request is checked. */
    private static final class Attempt {
        String operation;
        final Optional<String> label;
        AuthenticatedClient client;
        CertificationRequest csr;
        boolean renewal;
        final HttpRequestInfo http;

        Attempt(String operation, Optional<String> label, HttpRequestInfo http) {
            this.operation = operation;
            this.label = label;
            this.http = http;
        }
    }
}

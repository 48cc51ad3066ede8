package org.est4j.jaxrs.auth;

import java.lang.System.Logger.Level;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.est4j.jaxrs.ClientText;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.HttpRequestInfo;
import org.est4j.jaxrs.events.EstEvents;
import org.est4j.jaxrs.policy.LabelPolicy;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.AuthenticationMethod;
import org.est4j.spi.CaException;
import org.est4j.spi.CertificateStatus;
import org.est4j.spi.CertificateStatusRequest;
import org.est4j.spi.UnverifiedIdentity;

/**
 * Decides who an EST client is (RFC 7030 section 3.3): by a TLS client certificate that passes
 * est4j's own path validation (a registration authority's included), by HTTP Basic or Digest, by a
 * one-time password, or by a certificate and a password together.
 *
 * <p>Fail closed: a wrong password of a user this server knows refuses the request even when a valid
 * certificate is also present, and a certificate that does not validate never counts, whatever the
 * container decided. One exception keeps widely deployed clients working: some always send
 * {@code Authorization: Basic} (libest-based firmware sends {@code None:None} when no user was set), so
 * an HTTP user name this server does not know is ignored, logged and counted by the failure throttle,
 * when a valid TLS client certificate authenticates the client, unless the path's
 * {@link LabelPolicy#requireTlsAndHttp()} asks for both (RFC 7030 section 3.2.3).
 */
public final class EstAuthenticator {

    /** A one-time password used up; a store that cannot be reached is the server's trouble (503), not the client's. */
    private boolean consume(char[] password) {
        try {
            return oneTimePasswords.consume(password);
        } catch (java.io.UncheckedIOException e) {
            events.backendError(EstEvents.Backend.STORE, "authentication");
            LOG.log(Level.ERROR, "the one-time password store cannot be reached", e);
            throw new EstProtocolException(503, "the one-time password store cannot be reached right now; try again later",
                    java.util.Map.of("Retry-After", "10"));
        }
    }

    private static final System.Logger LOG = System.getLogger(EstAuthenticator.class.getName());

    /** id-kp-cmcRA (RFC 6402). */
    private static final String CMC_RA = "1.3.6.1.5.5.7.3.28";

    private final ClientCertificateValidator certificates;
    private final ClientCertificateValidator registrationAuthorities;
    private final CredentialStore credentials;
    private final String realm;
    private final Optional<DigestAuthentication> digest;
    private final OneTimePasswords oneTimePasswords;
    private final FailureThrottle throttle;
    private final Optional<HttpAuthentication.ContainerRealm> containerRealm;
    private final CertificateStatusSource statuses;
    private final EstEvents events;

    /** Where the CA's word on a certificate comes from ({@link org.est4j.spi.CaService#certificateStatus}). */
    @FunctionalInterface
    public interface CertificateStatusSource {
        /** The CA knows nothing of any certificate. */
        CertificateStatusSource NONE = request -> CertificateStatus.unknown();

        CertificateStatus status(CertificateStatusRequest request) throws CaException;
    }

    public EstAuthenticator(ClientCertificateValidator certificates, CredentialStore credentials, String realm) {
        this(certificates, new ClientCertificateValidator(List.of()), credentials, realm, HttpAuthentication.BASIC_ONLY,
                CertificateStatusSource.NONE);
    }

    /**
     * @param registrationAuthorities anchors of RA certificates (RFC 7030 section 2.2.3); empty: no RAs
     * @param http                    Digest, one-time passwords, throttling, and whether HTTP users are the container's
     * @param statuses                the CA's word on whether a certificate is revoked
     */
    public EstAuthenticator(ClientCertificateValidator certificates, ClientCertificateValidator registrationAuthorities,
                            CredentialStore credentials, String realm, HttpAuthentication http, CertificateStatusSource statuses) {
        this(certificates, registrationAuthorities, credentials, realm, http, statuses, EstEvents.NONE);
    }

    /** @param events told of failed authentications and throttled clients */
    public EstAuthenticator(ClientCertificateValidator certificates, ClientCertificateValidator registrationAuthorities,
                            CredentialStore credentials, String realm, HttpAuthentication http, CertificateStatusSource statuses,
                            EstEvents events) {
        this.events = java.util.Objects.requireNonNull(events, "events");
        this.statuses = statuses;
        this.certificates = certificates;
        this.registrationAuthorities = registrationAuthorities;
        this.credentials = credentials;
        this.realm = realm;
        this.digest = http.digest();
        this.oneTimePasswords = http.oneTimePasswords();
        this.throttle = http.throttle();
        this.containerRealm = http.containerRealm();
    }

    /**
     * Authenticates the client of an enrollment request as the path's {@code policy} says: the HTTP schemes
     * of {@link LabelPolicy#httpAuth()} (the 401 offers them in this order), and whether a certificate and
     * an HTTP credential are both required. With {@code mayQueue} and a policy that queues incomplete
     * authentication, a client whose authentication is
     * incomplete (RFC 7030 section 3.7) is returned as {@link AuthenticatedClient#unverified unverified}
     * instead of refused: it presented a TLS certificate that does not validate, or an HTTP user name this
     * server does not know, and nothing that does authenticate it. A wrong password of a known user and a
     * client that presented nothing are always refused.
     *
     * @throws EstProtocolException 401 with the challenges when no credential proves the client's identity
     *                              (and it is not queued); 429 while repeated failures are being slowed down
     * @throws CaException          when the CA cannot say whether the client's certificate is revoked
     */
    public AuthenticatedClient authenticate(Optional<String> label, HttpRequestInfo request, LabelPolicy policy, boolean mayQueue)
            throws CaException {
        List<LabelPolicy.HttpAuthScheme> schemes = policy.httpAuth();
        boolean queueIncomplete = mayQueue && policy.incompleteAuth() == LabelPolicy.IncompleteAuthentication.QUEUE;
        Set<AuthenticationMethod> methods = EnumSet.noneOf(AuthenticationMethod.class);
        ClientCertificateValidator.Result tls = null;
        if (!request.tlsChain().isEmpty()) {
            tls = certificates.validate(request.tlsChain(), new Date());
            ClientCertificateValidator.Result asRa = registrationAuthority(request.tlsChain());
            if (asRa.valid()) {
                tls = asRa;
                methods.add(AuthenticationMethod.REGISTRATION_AUTHORITY);
            }
            tls = notRevoked(label, tls);
            if (tls.revoked()) {
                events.authenticationFailed("tls", request.remoteAddress());
                // whatever else the request carries: a client presenting a revoked certificate (a stolen device, a
                // retired RA) is refused, not let in by a password beside it
                LOG.log(Level.WARNING, "revoked TLS client certificate from {0}: {1}", request.remoteAddress(),
                        ClientText.quote(request.tlsChain().get(0).getSubjectX500Principal().getName()));
                throw unauthorized("the TLS client certificate is not accepted: " + tls.failure(), schemes);
            }
            if (!tls.valid()) {
                methods.remove(AuthenticationMethod.REGISTRATION_AUTHORITY);
            }
            if (tls.valid()) {
                methods.add(AuthenticationMethod.TLS_CLIENT_CERTIFICATE);
            } else {
                events.authenticationFailed("tls", request.remoteAddress());
                LOG.log(Level.INFO, "TLS client certificate from {0} not accepted: {1}", request.remoteAddress(), tls.failure());
            }
        }
        Optional<String> username = Optional.empty();
        Optional<String> unknownUser = Optional.empty();
        String authorization = request.authorization();
        String scheme = BasicCredentials.scheme(authorization);
        if (scheme.equals("basic")) {
            if (!schemes.contains(LabelPolicy.HttpAuthScheme.BASIC)) {
                throw unauthorized("HTTP Basic is not offered here", schemes);
            }
            BasicCredentials c;
            try {
                c = BasicCredentials.parse(authorization).orElseThrow();
            } catch (BasicCredentials.MalformedException e) {
                events.authenticationFailed("basic", request.remoteAddress());
                throw unauthorized("the Authorization header is not well-formed HTTP Basic (RFC 7617)", schemes);
            }
            try {
                if (methods.contains(AuthenticationMethod.TLS_CLIENT_CERTIFICATE) && !policy.requireTlsAndHttp()
                        && isUnknownUser(c.username())) {
                    // Not even checked: a password of a user that does not exist proves nothing, and refusing
                    // it would lock out clients that always send some Basic header. Still a failed credential.
                    throttle.failed(c.username(), request.remoteAddress());
                    events.authenticationFailed("basic", request.remoteAddress());
                    LOG.log(Level.INFO, "HTTP Basic user ''{0}'' from {1} is unknown: ignored, the TLS client certificate authenticates",
                            ClientText.quote(c.username()), request.remoteAddress());
                    return authenticated(tls, Optional.empty(), methods, request, policy, schemes);
                }
                checkThrottle(c.username(), request);
                if (c.username().isEmpty()) {
                    // RFC 7030 section 3.2.3: the empty user name carries a one-time password
                    if (!consume(c.password())) {
                        throttle.failed("", request.remoteAddress());
                        events.authenticationFailed("otp", request.remoteAddress());
                        LOG.log(Level.WARNING, "one-time password refused from {0}", request.remoteAddress());
                        throw unauthorized("the one-time password is not valid (unknown, or used already)", schemes);
                    }
                    methods.add(AuthenticationMethod.ONE_TIME_PASSWORD);
                } else if (!verify(c, request)) {
                    throttle.failed(c.username(), request.remoteAddress());
                    events.authenticationFailed("basic", request.remoteAddress());
                    LOG.log(Level.WARNING, "HTTP Basic authentication failed for user ''{0}'' from {1}",
                            ClientText.quote(c.username()), request.remoteAddress());
                    if (!queueIncomplete || methods.contains(AuthenticationMethod.TLS_CLIENT_CERTIFICATE)
                            || containerRealm.isPresent() || credentials.knows(c.username())) {
                        throw unauthorized("wrong user name or password", schemes);
                    }
                    unknownUser = Optional.of(c.username());
                } else {
                    throttle.succeeded(c.username(), request.remoteAddress());
                    methods.add(AuthenticationMethod.HTTP_BASIC);
                    username = Optional.of(c.username());
                }
            } finally {
                c.wipe();
            }
        } else if (scheme.equals("digest")) {
            if (!schemes.contains(LabelPolicy.HttpAuthScheme.DIGEST) || digest.isEmpty()) {
                throw unauthorized("HTTP Digest is not offered here", schemes);
            }
            Map<String, String> params = DigestAuthentication.parameters(authorization.strip().substring("Digest".length()));
            String claimed = params == null ? "" : params.getOrDefault("username", "");
            checkThrottle(claimed, request);
            DigestAuthentication.Outcome outcome = digest.get().verify(authorization.strip(), request.method(), request.requestTarget());
            if (outcome.stale()) {
                throw EstProtocolException.challenge("the Digest nonce has expired", challenges(schemes, true));
            }
            if (!outcome.authenticated()) {
                throttle.failed(claimed, request.remoteAddress());
                events.authenticationFailed("digest", request.remoteAddress());
                LOG.log(Level.WARNING, "HTTP Digest authentication failed for user ''{0}'' from {1}: {2}", ClientText.quote(claimed),
                        request.remoteAddress(), outcome.failure());
                throw unauthorized(outcome.failure(), schemes);
            }
            throttle.succeeded(claimed, request.remoteAddress());
            methods.add(AuthenticationMethod.HTTP_DIGEST);
            username = outcome.username();
        } else if (!scheme.isEmpty()) {
            events.authenticationFailed("other", request.remoteAddress());
            throw unauthorized("unsupported HTTP authentication scheme '" + ClientText.quote(scheme, ClientText.REPLY_LIMIT) + "'", schemes);
        }
        if (methods.isEmpty()) {
            if (queueIncomplete && (tls != null || unknownUser.isPresent())) {
                String reason = tls != null ? "TLS client certificate not accepted: " + tls.failure()
                        : "unknown HTTP user";
                LOG.log(Level.INFO, "incomplete authentication from {0} ({1}): passing the request on for manual authorization",
                        request.remoteAddress(), reason);
                return AuthenticatedClient.unverified(new UnverifiedIdentity(request.tlsChain(), unknownUser, reason),
                        request.remoteAddress());
            }
            if (tls == null) {
                // nothing presented: the normal first leg of HTTP authentication
                throw EstProtocolException.challenge("authentication required", challenges(schemes, false));
            }
            throw unauthorized("the TLS client certificate is not accepted: " + tls.failure(), schemes);
        }
        return authenticated(tls, username, methods, request, policy, schemes);
    }

    /** The authenticated client, once the path's demand for a certificate and an HTTP credential together is met. */
    private AuthenticatedClient authenticated(ClientCertificateValidator.Result tls, Optional<String> username,
                                              Set<AuthenticationMethod> methods, HttpRequestInfo request, LabelPolicy policy,
                                              List<LabelPolicy.HttpAuthScheme> schemes) {
        if (policy.requireTlsAndHttp()) {
            boolean certificate = methods.contains(AuthenticationMethod.TLS_CLIENT_CERTIFICATE);
            boolean http = methods.stream().anyMatch(m -> m != AuthenticationMethod.TLS_CLIENT_CERTIFICATE
                    && m != AuthenticationMethod.REGISTRATION_AUTHORITY);
            if (!http) {
                throw unauthorized("HTTP authentication is required here in addition to the TLS client certificate", schemes);
            }
            if (!certificate) {
                throw unauthorized("a TLS client certificate is required here in addition to HTTP authentication", schemes);
            }
        }
        return new AuthenticatedClient(tls != null && tls.valid() ? tls.chain() : List.of(), username, methods,
                request.remoteAddress());
    }

    /**
     * A non-empty user name that est4j's own store does not hold. With a container realm est4j cannot tell,
     * so no name counts as unknown there (a failed login stays a 401).
     */
    private boolean isUnknownUser(String username) {
        return !username.isEmpty() && containerRealm.isEmpty() && !credentials.knows(username);
    }

    /** The password, checked by est4j's store or, in container-realm mode, by the container's realm. */
    private boolean verify(BasicCredentials c, HttpRequestInfo request) {
        if (containerRealm.isPresent()) {
            return request.containerLogin().login(c.username(), c.password(), containerRealm.get().role());
        }
        return credentials.verify(c.username(), c.password());
    }

    /** 429 with Retry-After while this user or address is being slowed down; credentials are not even checked. */
    private void checkThrottle(String username, HttpRequestInfo request) {
        throttle.blocked(username, request.remoteAddress()).ifPresent(wait -> {
            events.throttled(request.remoteAddress());
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new EstProtocolException(429, "too many failed authentications: try again in " + seconds + " s",
                    Map.of("Retry-After", Long.toString(seconds)));
        });
    }

    /** The WWW-Authenticate challenges, one per line (sent as separate header fields). */
    private Map<String, String> challenges(List<LabelPolicy.HttpAuthScheme> schemes, boolean stale) {
        StringBuilder value = new StringBuilder();
        for (LabelPolicy.HttpAuthScheme s : schemes) {
            String challenge = switch (s) {
                case BASIC -> "Basic realm=\"" + realm + "\"";
                case DIGEST -> digest.map(d -> d.challenge(stale)).orElse(null);
            };
            if (challenge != null) {
                value.append(value.length() == 0 ? "" : "\n").append(challenge);
            }
        }
        return Map.of("WWW-Authenticate", value.toString());
    }

    /**
     * Who asks, for operations that need no authentication ({@code /csrattrs}): the client's TLS
     * certificate if it validates, anonymous otherwise. Never challenges.
     */
    public AuthenticatedClient identify(Optional<String> label, HttpRequestInfo request) throws CaException {
        if (!request.tlsChain().isEmpty()) {
            ClientCertificateValidator.Result tls = notRevoked(label, certificates.validate(request.tlsChain(), new Date()));
            if (tls.valid()) {
                return new AuthenticatedClient(tls.chain(), Optional.empty(), Set.of(AuthenticationMethod.TLS_CLIENT_CERTIFICATE),
                        request.remoteAddress());
            }
        }
        return AuthenticatedClient.anonymous(request.remoteAddress());
    }

    /**
     * A validated chain, unless the CA says its certificate is revoked: then invalid, with the reason
     * "certificate revoked", whatever PKIX said.
     */
    private ClientCertificateValidator.Result notRevoked(Optional<String> label, ClientCertificateValidator.Result validated)
            throws CaException {
        if (!validated.valid()) {
            return validated;
        }
        CertificateStatus status = statuses.status(new CertificateStatusRequest(label, validated.chain()));
        if (status.isRevoked()) {
            return new ClientCertificateValidator.Result(List.of(), ClientCertificateValidator.REVOKED);
        }
        return validated;
    }

    /** Valid as an RA: id-kp-cmcRA and a path to an RA trust anchor. */
    private ClientCertificateValidator.Result registrationAuthority(List<java.security.cert.X509Certificate> chain) {
        if (registrationAuthorities.trustAnchors().isEmpty() || !ClientCertificateValidator.hasExtendedKeyUsage(chain.get(0), CMC_RA)) {
            return new ClientCertificateValidator.Result(List.of(), "not a registration authority");
        }
        return registrationAuthorities.validate(chain, new Date());
    }

    private EstProtocolException unauthorized(String reason, List<LabelPolicy.HttpAuthScheme> schemes) {
        return new EstProtocolException(401, reason, challenges(schemes, false));
    }
}

package org.est4j.jaxrs.auth;

import java.lang.System.Logger.Level;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.HttpRequestInfo;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.AuthenticationMethod;
import org.est4j.spi.UnverifiedIdentity;

/**
 * Decides who an EST client is (RFC 7030 section 3.3): by a TLS client certificate that passes
 * est4j's own path validation, by HTTP Basic credentials, or both.
 *
 * <p>Fail closed: wrong HTTP credentials refuse the request even when a valid certificate is also
 * present, and a certificate that does not validate never counts, whatever the container decided.
 * HTTP Digest, container realms and channel binding plug in here later.
 */
public final class EstAuthenticator {

    private static final System.Logger LOG = System.getLogger(EstAuthenticator.class.getName());

    /** id-kp-cmcRA (RFC 6402). */
    private static final String CMC_RA = "1.3.6.1.5.5.7.3.28";

    private final ClientCertificateValidator certificates;
    private final ClientCertificateValidator registrationAuthorities;
    private final CredentialStore credentials;
    private final Map<String, String> challenge;

    public EstAuthenticator(ClientCertificateValidator certificates, CredentialStore credentials, String realm) {
        this(certificates, new ClientCertificateValidator(List.of()), credentials, realm);
    }

    /**
     * @param registrationAuthorities anchors of RA certificates (RFC 7030 section 2.2.3); empty: no RAs
     */
    public EstAuthenticator(ClientCertificateValidator certificates, ClientCertificateValidator registrationAuthorities,
                            CredentialStore credentials, String realm) {
        this.certificates = certificates;
        this.registrationAuthorities = registrationAuthorities;
        this.credentials = credentials;
        this.challenge = Map.of("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
    }

    /**
     * Authenticates the client of an enrollment request.
     *
     * @throws EstProtocolException 401 with a {@code WWW-Authenticate} challenge when no credential
     *                              proves the client's identity
     */
    public AuthenticatedClient authenticate(HttpRequestInfo request) {
        return authenticate(request, false);
    }

    /**
     * Authenticates the client of an enrollment request; with {@code queueIncomplete}, a client whose
     * authentication is incomplete (RFC 7030 section 3.7) is returned as
     * {@link AuthenticatedClient#unverified unverified} instead of refused: it presented a TLS
     * certificate that does not validate, or an HTTP user name this server does not know, and nothing
     * that does authenticate it. A wrong password of a known user and a client that presented nothing
     * are always refused.
     *
     * @throws EstProtocolException 401 with a {@code WWW-Authenticate} challenge when no credential
     *                              proves the client's identity (and it is not queued)
     */
    public AuthenticatedClient authenticate(HttpRequestInfo request, boolean queueIncomplete) {
        Set<AuthenticationMethod> methods = EnumSet.noneOf(AuthenticationMethod.class);
        ClientCertificateValidator.Result tls = null;
        if (!request.tlsChain().isEmpty()) {
            tls = certificates.validate(request.tlsChain(), new Date());
            ClientCertificateValidator.Result asRa = registrationAuthority(request.tlsChain());
            if (asRa.valid()) {
                tls = asRa;
                methods.add(AuthenticationMethod.REGISTRATION_AUTHORITY);
            }
            if (tls.valid()) {
                methods.add(AuthenticationMethod.TLS_CLIENT_CERTIFICATE);
            } else {
                LOG.log(Level.INFO, "TLS client certificate from {0} not accepted: {1}", request.remoteAddress(), tls.failure());
            }
        }
        Optional<String> username = Optional.empty();
        Optional<String> unknownUser = Optional.empty();
        Optional<BasicCredentials> basic;
        try {
            basic = BasicCredentials.parse(request.authorization());
        } catch (BasicCredentials.MalformedException e) {
            throw unauthorized("the Authorization header is not well-formed HTTP Basic (RFC 7617)");
        }
        if (basic.isPresent()) {
            BasicCredentials c = basic.get();
            try {
                if (!credentials.verify(c.username(), c.password())) {
                    LOG.log(Level.WARNING, "HTTP Basic authentication failed for user ''{0}'' from {1}",
                            c.username(), request.remoteAddress());
                    if (!queueIncomplete || methods.contains(AuthenticationMethod.TLS_CLIENT_CERTIFICATE)
                            || credentials.knows(c.username())) {
                        throw unauthorized("wrong user name or password");
                    }
                    unknownUser = Optional.of(c.username());
                } else {
                    methods.add(AuthenticationMethod.HTTP_BASIC);
                    username = Optional.of(c.username());
                }
            } finally {
                c.wipe();
            }
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
                throw EstProtocolException.challenge("authentication required", challenge);
            }
            throw unauthorized("the TLS client certificate is not accepted: " + tls.failure());
        }
        return new AuthenticatedClient(tls != null && tls.valid() ? tls.chain() : List.of(), username, methods,
                request.remoteAddress());
    }

    /**
     * Who asks, for operations that need no authentication ({@code /csrattrs}): the client's TLS
     * certificate if it validates, anonymous otherwise. Never challenges.
     */
    public AuthenticatedClient identify(HttpRequestInfo request) {
        if (!request.tlsChain().isEmpty()) {
            ClientCertificateValidator.Result tls = certificates.validate(request.tlsChain(), new Date());
            if (tls.valid()) {
                return new AuthenticatedClient(tls.chain(), Optional.empty(), Set.of(AuthenticationMethod.TLS_CLIENT_CERTIFICATE),
                        request.remoteAddress());
            }
        }
        return AuthenticatedClient.anonymous(request.remoteAddress());
    }

    /** Valid as an RA: id-kp-cmcRA and a path to an RA trust anchor. */
    private ClientCertificateValidator.Result registrationAuthority(List<java.security.cert.X509Certificate> chain) {
        if (registrationAuthorities.trustAnchors().isEmpty() || !ClientCertificateValidator.hasExtendedKeyUsage(chain.get(0), CMC_RA)) {
            return new ClientCertificateValidator.Result(List.of(), "not a registration authority");
        }
        return registrationAuthorities.validate(chain, new Date());
    }

    private EstProtocolException unauthorized(String reason) {
        return new EstProtocolException(401, reason, challenge);
    }
}

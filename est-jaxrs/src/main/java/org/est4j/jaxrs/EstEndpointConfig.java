package org.est4j.jaxrs;

import java.util.Objects;
import java.util.Optional;

import org.est4j.jaxrs.auth.ClientCertificateValidator;
import org.est4j.jaxrs.auth.CredentialStore;
import org.est4j.jaxrs.auth.EstAuthenticator;
import org.est4j.jaxrs.auth.HttpAuthentication;
import org.est4j.jaxrs.codec.ResponseSigner;
import org.est4j.jaxrs.events.EstEvents;
import org.est4j.jaxrs.keygen.KeyEncryptionKeys;
import org.est4j.jaxrs.policy.LabelPolicies;
import org.est4j.jaxrs.policy.LabelPolicy;

/**
 * What the protocol layer needs from the deployment: limits, the HTTP realm, the trust anchors for
 * TLS client certificates and the HTTP credential store. The WAR produces one instance with CDI
 * ({@code @Produces}) from its configuration file.
 *
 * @param maxRequestBytes    largest request body accepted; larger ones get 413 before any parsing
 * @param basicRealm         the realm named in {@code WWW-Authenticate: Basic realm="..."}
 * @param clientCertificates PKIX validation of TLS client certificates
 * @param credentials        the HTTP Basic user store
 * @param policies           the protocol options of each label
 * @param keyEncryptionKeys  keys to encrypt server-generated private keys with, when clients ask
 * @param signer             the server's CMS signing key (full CMC responses, encrypted keys); without it
 *                           {@code /fullcmc} is not offered
 * @param registrationAuthorities trust anchors of RA certificates ({@code id-kp-cmcRA}); no anchors, no RAs
 * @param httpAuthentication HTTP Digest, one-time passwords and failure throttling
 * @param events             who is told of requests, decisions and failures (metrics, the audit trail);
 *                           {@link EstEvents#NONE} for nobody
 */
public record EstEndpointConfig(int maxRequestBytes, String basicRealm,
                                ClientCertificateValidator clientCertificates, CredentialStore credentials,
                                LabelPolicies policies, KeyEncryptionKeys keyEncryptionKeys, Optional<ResponseSigner> signer,
                                ClientCertificateValidator registrationAuthorities, HttpAuthentication httpAuthentication,
                                EstEvents events) {

    /** RFC 7030 messages are small; 64 KiB leaves room for RSA-8192 requests with many extensions. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;

    public EstEndpointConfig {
        if (maxRequestBytes <= 0) {
            throw new IllegalArgumentException("maxRequestBytes must be positive");
        }
        Objects.requireNonNull(basicRealm, "basicRealm");
        if (basicRealm.isBlank() || basicRealm.contains("\"") || basicRealm.contains("\\")) {
            throw new IllegalArgumentException("the realm must be non-empty and contain no quote or backslash");
        }
        Objects.requireNonNull(clientCertificates, "clientCertificates");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(keyEncryptionKeys, "keyEncryptionKeys");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(registrationAuthorities, "registrationAuthorities");
        Objects.requireNonNull(httpAuthentication, "httpAuthentication");
        Objects.requireNonNull(events, "events");
    }

    /** Without listeners ({@link EstEvents#NONE}). */
    public EstEndpointConfig(int maxRequestBytes, String basicRealm, ClientCertificateValidator clientCertificates,
                             CredentialStore credentials, LabelPolicies policies, KeyEncryptionKeys keyEncryptionKeys,
                             Optional<ResponseSigner> signer, ClientCertificateValidator registrationAuthorities,
                             HttpAuthentication httpAuthentication) {
        this(maxRequestBytes, basicRealm, clientCertificates, credentials, policies, keyEncryptionKeys, signer,
                registrationAuthorities, httpAuthentication, EstEvents.NONE);
    }

    /** This configuration with {@code listener} told of what happens. */
    public EstEndpointConfig withEvents(EstEvents listener) {
        return new EstEndpointConfig(maxRequestBytes, basicRealm, clientCertificates, credentials, policies, keyEncryptionKeys,
                signer, registrationAuthorities, httpAuthentication, listener);
    }

    /** Without registration authorities. */
    public EstEndpointConfig(int maxRequestBytes, String basicRealm, ClientCertificateValidator clientCertificates,
                             CredentialStore credentials, LabelPolicies policies, KeyEncryptionKeys keyEncryptionKeys,
                             Optional<ResponseSigner> signer) {
        this(maxRequestBytes, basicRealm, clientCertificates, credentials, policies, keyEncryptionKeys, signer,
                new ClientCertificateValidator(java.util.List.of()), HttpAuthentication.BASIC_ONLY);
    }

    /** The basic configuration: every label with the closed {@link LabelPolicy#DEFAULTS}, no signer. */
    public EstEndpointConfig(int maxRequestBytes, String basicRealm, ClientCertificateValidator clientCertificates,
                             CredentialStore credentials) {
        this(maxRequestBytes, basicRealm, clientCertificates, credentials, LabelPolicies.DEFAULTS, KeyEncryptionKeys.NONE,
                Optional.empty());
    }

    /**
     * The authenticator of every EST handler, built in one place so that none can leave out the registration
     * authorities, the HTTP schemes or the CA's word on revoked certificates.
     *
     * @param statuses whether the CA considers a client certificate revoked ({@code ca::certificateStatus})
     */
    public EstAuthenticator authenticator(EstAuthenticator.CertificateStatusSource statuses) {
        return new EstAuthenticator(clientCertificates, registrationAuthorities, credentials, basicRealm,
                httpAuthentication, statuses, events);
    }
}

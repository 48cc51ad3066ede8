package org.est4j.jaxrs.policy;

import java.util.List;
import java.util.Objects;

import org.est4j.spi.KeyGenerationSpec;

/**
 * The protocol options of one CA label (or of the unlabelled path): what est4j offers and how it
 * answers there. The closed defaults are {@link #DEFAULTS}.
 *
 * @param serverKeyGen         whether {@code /serverkeygen} is offered (RFC 7030 section 4.4; off by default,
 *                             as the RFC advises: a key that leaves the server can leak on the way)
 * @param serverKeySpec        the key pair {@code /serverkeygen} creates
 * @param responses            the response dialect: RFC 7030 base64, or draft-02's PEM armour for old clients
 * @param incompleteAuth       what to do with an enrollment whose authentication is incomplete (RFC 7030
 *                             section 3.7): refuse it with 401, or queue it for manual authorization
 * @param enforceCsrAttributes whether an enrollment must carry what {@code /csrattrs} asks for (400 otherwise)
 * @param channelBinding       proof-of-possession linking (RFC 7030 section 3.5): off, verified when present, or required
 * @param raAttestsPossession  whether an enrollment by a registration authority is exempt from linking: the RA
 *                             attests the possession (draft-02 section 3.5 "attested"); the CSR signature is still checked
 * @param httpAuth             the HTTP authentication schemes offered in the 401 challenge, in order of preference
 * @param authorization        which clients may enroll here, for which subjects (403 otherwise)
 * @param requireTlsAndHttp    whether a client must prove itself both by a TLS client certificate and by HTTP
 *                             authentication (RFC 7030 section 3.2.3 lets a server ask for both); off by default, where
 *                             either suffices and an HTTP user name unknown to est4j beside a valid certificate is ignored
 * @param reenrollNoticeDays   how many days before its TLS client certificate expires a client finds a "start
 *                             re-enrollment" entry (PAL type 0010) in its package availability list (RFC 8295
 *                             section 2.1.1); 0 lists it only once the certificate has expired
 */
public record LabelPolicy(boolean serverKeyGen, KeyGenerationSpec serverKeySpec, ResponseDialect responses,
                          IncompleteAuthentication incompleteAuth, boolean enforceCsrAttributes,
                          ChannelBindingCheck.Mode channelBinding, boolean raAttestsPossession, List<HttpAuthScheme> httpAuth,
                          ClientAuthorization authorization, boolean requireTlsAndHttp,
                          int reenrollNoticeDays) {

    /** The default {@link #reenrollNoticeDays}: a month leaves a device that polls weekly several chances. */
    public static final int DEFAULT_REENROLL_NOTICE_DAYS = 30;

    /** HTTP authentication schemes (RFC 7030 section 3.2.3). */
    public enum HttpAuthScheme {
        /** RFC 7617. */
        BASIC,
        /** RFC 7616, with the configured algorithm. */
        DIGEST
    }

    /** How responses are encoded. */
    public enum ResponseDialect {
        /** RFC 7030 / RFC 8951: base64 DER with {@code Content-Transfer-Encoding: base64}. */
        RFC7030,
        /** draft-ietf-pkix-est-02: PEM armour ({@code -----BEGIN PKCS7-----}), no transfer-encoding header. */
        DRAFT02_PEM
    }

    /** RFC 7030 section 3.7: a client that is not fully authenticated. */
    public enum IncompleteAuthentication {
        /** 401, as for any failed authentication. */
        REFUSE,
        /** Passed to the CA as an unverified client, which queues it for a person to decide (202 meanwhile). */
        QUEUE
    }

    public static final LabelPolicy DEFAULTS = new LabelPolicy(false, KeyGenerationSpec.ec("secp256r1"),
            ResponseDialect.RFC7030, IncompleteAuthentication.REFUSE, false, ChannelBindingCheck.Mode.OFF, false, List.of(HttpAuthScheme.BASIC), ClientAuthorization.ANYONE, false,
            DEFAULT_REENROLL_NOTICE_DAYS);

    public LabelPolicy {
        Objects.requireNonNull(serverKeySpec, "serverKeySpec");
        Objects.requireNonNull(responses, "responses");
        Objects.requireNonNull(incompleteAuth, "incompleteAuth");
        Objects.requireNonNull(channelBinding, "channelBinding");
        httpAuth = List.copyOf(httpAuth);
        Objects.requireNonNull(authorization, "authorization");
        if (httpAuth.isEmpty()) {
            throw new IllegalArgumentException("at least one HTTP authentication scheme");
        }
        if (reenrollNoticeDays < 0) {
            throw new IllegalArgumentException("reenrollNoticeDays must not be negative");
        }
    }

    /** A policy with the default {@link #reenrollNoticeDays}. */
    public LabelPolicy(boolean serverKeyGen, KeyGenerationSpec serverKeySpec, ResponseDialect responses,
                       IncompleteAuthentication incompleteAuth, boolean enforceCsrAttributes,
                       ChannelBindingCheck.Mode channelBinding, boolean raAttestsPossession, List<HttpAuthScheme> httpAuth,
                       ClientAuthorization authorization, boolean requireTlsAndHttp) {
        this(serverKeyGen, serverKeySpec, responses, incompleteAuth, enforceCsrAttributes, channelBinding, raAttestsPossession,
                httpAuth, authorization, requireTlsAndHttp, DEFAULT_REENROLL_NOTICE_DAYS);
    }

    public LabelPolicy withServerKeyGen(KeyGenerationSpec spec) {
        return new LabelPolicy(true, spec, responses, incompleteAuth, enforceCsrAttributes, channelBinding, raAttestsPossession, httpAuth, authorization, requireTlsAndHttp, reenrollNoticeDays);
    }

    public LabelPolicy withResponses(ResponseDialect dialect) {
        return new LabelPolicy(serverKeyGen, serverKeySpec, dialect, incompleteAuth, enforceCsrAttributes, channelBinding,
                raAttestsPossession, httpAuth, authorization, requireTlsAndHttp, reenrollNoticeDays);
    }

    public LabelPolicy withIncompleteAuth(IncompleteAuthentication mode) {
        return new LabelPolicy(serverKeyGen, serverKeySpec, responses, mode, enforceCsrAttributes, channelBinding,
                raAttestsPossession, httpAuth, authorization, requireTlsAndHttp, reenrollNoticeDays);
    }

    public LabelPolicy withEnforcedCsrAttributes() {
        return new LabelPolicy(serverKeyGen, serverKeySpec, responses, incompleteAuth, true, channelBinding, raAttestsPossession, httpAuth, authorization, requireTlsAndHttp, reenrollNoticeDays);
    }

    public LabelPolicy withChannelBinding(ChannelBindingCheck.Mode mode, boolean raExempt) {
        return new LabelPolicy(serverKeyGen, serverKeySpec, responses, incompleteAuth, enforceCsrAttributes, mode, raExempt, httpAuth, authorization, requireTlsAndHttp, reenrollNoticeDays);
    }

    public LabelPolicy withAuthorization(ClientAuthorization rules) {
        return new LabelPolicy(serverKeyGen, serverKeySpec, responses, incompleteAuth, enforceCsrAttributes, channelBinding,
                raAttestsPossession, httpAuth, rules, requireTlsAndHttp, reenrollNoticeDays);
    }

    public LabelPolicy withHttpAuth(List<HttpAuthScheme> schemes) {
        return new LabelPolicy(serverKeyGen, serverKeySpec, responses, incompleteAuth, enforceCsrAttributes, channelBinding,
                raAttestsPossession, schemes, authorization, requireTlsAndHttp, reenrollNoticeDays);
    }

    public LabelPolicy withTlsAndHttpRequired() {
        return new LabelPolicy(serverKeyGen, serverKeySpec, responses, incompleteAuth, enforceCsrAttributes, channelBinding,
                raAttestsPossession, httpAuth, authorization, true, reenrollNoticeDays);
    }

    public LabelPolicy withReenrollNoticeDays(int days) {
        return new LabelPolicy(serverKeyGen, serverKeySpec, responses, incompleteAuth, enforceCsrAttributes, channelBinding,
                raAttestsPossession, httpAuth, authorization, requireTlsAndHttp, days);
    }
}

package org.est4j.spi;

/**
 * How an EST client proved who it is. A client may use more than one at once (a TLS client
 * certificate and HTTP Basic, for instance); {@link AuthenticatedClient#methods()} lists each that
 * succeeded. New constants may be added in later versions: treat unknown ones as "authenticated by
 * some other means".
 */
public enum AuthenticationMethod {
    /** A TLS client certificate that passed est4j's PKIX validation against the configured trust anchors. */
    TLS_CLIENT_CERTIFICATE,
    /** HTTP Basic (RFC 7617) against est4j's credential store. */
    HTTP_BASIC,
    /** HTTP Digest (RFC 7616) against est4j's stored HA1 values. */
    HTTP_DIGEST,
    /** A one-time password with the empty user name (RFC 7030 section 3.2.3), consumed by this request. */
    ONE_TIME_PASSWORD,
    /**
     * The TLS client certificate is a registration authority's (RFC 7030 sections 2.2.3 and 3.7): it carries
     * {@code id-kp-cmcRA} and chains to a configured RA trust anchor. Always together with
     * {@link #TLS_CLIENT_CERTIFICATE}. The RA enrolls on behalf of other subjects and attests their proof
     * of possession; the CSR signature is still verified. Your CA decides what an RA may request.
     */
    REGISTRATION_AUTHORITY
}

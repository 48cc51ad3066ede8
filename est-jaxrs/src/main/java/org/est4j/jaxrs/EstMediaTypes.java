package org.est4j.jaxrs;

import java.util.Locale;

/**
 * The media types of RFC 7030, as the exact strings sent on the wire.
 *
 * <p>Why strings and not {@code jakarta.ws.rs.core.MediaType}: JAX-RS implementations serialise a
 * {@code MediaType} without the space after {@code ;}, and the reference C client (libest) compares
 * {@code application/pkcs7-mime; smime-type=certs-only} byte for byte.
 */
public final class EstMediaTypes {

    /** {@code /cacerts} response (RFC 7030 section 4.1.3). */
    public static final String PKCS7_MIME = "application/pkcs7-mime";
    /** Enrollment responses (RFC 7030 section 4.2.3). */
    public static final String PKCS7_CERTS_ONLY = "application/pkcs7-mime; smime-type=certs-only";
    /** {@code /csrattrs} response (RFC 7030 section 4.5.2). */
    public static final String CSRATTRS = "application/csrattrs";
    /** Enrollment requests (RFC 7030 section 4.2.1). */
    public static final String PKCS10 = "application/pkcs10";
    /** Enrollment requests of draft-ietf-pkix-est-02, which older clients still send. */
    public static final String DRAFT_PKCS10 = "application/x-est-pkcs10";
    /** The plain private key of a {@code /serverkeygen} response (RFC 7030 section 4.4.2). */
    public static final String PKCS8 = "application/pkcs8";
    /** The encrypted private key of a {@code /serverkeygen} response (RFC 7030 section 4.4.2). */
    public static final String SERVER_GENERATED_KEY = "application/pkcs7-mime; smime-type=server-generated-key";
    /** {@code /fullcmc} request (RFC 7030 section 4.3.1). */
    public static final String CMC_REQUEST = "application/pkcs7-mime; smime-type=CMC-request";
    /** {@code /fullcmc} response (RFC 7030 section 4.3.2). */
    public static final String CMC_RESPONSE = "application/pkcs7-mime; smime-type=CMC-response";
    /** Error bodies. */
    public static final String TEXT_PLAIN_UTF8 = "text/plain; charset=utf-8";
    /** A {@code /serverkeygen} response as one password-protected PKCS#12 file (RFC 8295 section 8, RFC 7292). */
    public static final String PKCS12 = "application/pkcs12";
    /** The key part of a {@code /serverkeygen} response as an RFC 6032 encrypted key package (RFC 8295 section 8, RFC 7193). */
    public static final String CMS = "application/cms";

    private EstMediaTypes() {
    }

    /** Whether a request {@code Content-Type} header names a PKCS#10 body (parameters ignored). */
    public static boolean isPkcs10(String contentType) {
        String bare = bareType(contentType);
        return bare.equals(PKCS10) || bare.equals(DRAFT_PKCS10);
    }

    /** Whether a request {@code Content-Type} is {@code application/pkcs7-mime} (the smime-type parameter is not demanded: clients differ in case and presence). */
    public static boolean isPkcs7(String contentType) {
        return bareType(contentType).equals(PKCS7_MIME);
    }

    /** The media type without parameters, lower case; empty for none. */
    private static String bareType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}

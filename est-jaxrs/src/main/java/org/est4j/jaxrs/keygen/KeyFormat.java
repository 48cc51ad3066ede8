package org.est4j.jaxrs.keygen;

import org.est4j.jaxrs.AcceptHeader;
import org.est4j.jaxrs.EstMediaTypes;

/**
 * The form of a {@code /serverkeygen} reply, chosen by the client's {@code Accept} header (RFC 8295 section 8):
 * RFC 7030's {@code multipart/mixed}, one password-protected PKCS#12 file ({@code application/pkcs12}), or
 * {@code multipart/mixed} whose key part is an RFC 6032 encrypted key package ({@code application/cms}).
 *
 * <p>Existing clients must see no change, so RFC 7030's form is kept unless the client names one of the RFC 8295
 * types itself: a wildcard ({@code *}{@code /*}, {@code application/*}) never selects them, an explicit
 * {@code multipart/mixed} of the same quality wins over them, and an {@code Accept} naming only types est4j
 * cannot produce is answered as if it were absent (est4j never answers 406 here, as it never did).
 */
public enum KeyFormat {

    /** RFC 7030 section 4.4.2: the key (PKCS#8 or RFC 7030's encrypted form) and a certs-only part. */
    MULTIPART,
    /** RFC 7292 PFX holding the key, the certificate and the CA chain, protected by the request's challengePassword. */
    PKCS12,
    /** {@code multipart/mixed} with an {@code application/cms} key part: RFC 6032 EncryptedKeyPackage. */
    ENCRYPTED_KEY_PACKAGE;

    /** The format {@code accept} (the request's {@code Accept} field values joined by commas, or null) asks for. */
    public static KeyFormat fromAccept(String accept) {
        AcceptHeader ranges = AcceptHeader.parse(accept);
        double multipartNamed = -1;
        double multipartWildcard = -1;
        for (AcceptHeader.Range r : ranges.ranges()) {
            if (r.names("multipart/mixed")) {
                multipartNamed = Math.max(multipartNamed, r.quality());
            } else if (r.subtype().equals("*") && (r.type().equals("*") || r.type().equals("multipart"))) {
                multipartWildcard = Math.max(multipartWildcard, r.quality());
            }
        }
        // Only a range naming an RFC 8295 type selects it; of the two the higher quality wins, then the one listed first.
        AcceptHeader.Range pkcs12 = best(ranges, EstMediaTypes.PKCS12);
        AcceptHeader.Range cms = best(ranges, EstMediaTypes.CMS);
        boolean pkcs12First = pkcs12 != null && (cms == null || pkcs12.quality() > cms.quality()
                || pkcs12.quality() == cms.quality() && pkcs12.position() < cms.position());
        AcceptHeader.Range named = pkcs12First ? pkcs12 : cms;
        // q=0 is "not acceptable" (RFC 9110 section 12.4.2); a named type beats a wildcard of the same quality,
        // an explicitly named multipart/mixed of the same quality keeps RFC 7030's form.
        return named != null && named.quality() > 0 && named.quality() > multipartNamed && named.quality() >= multipartWildcard
                ? (pkcs12First ? PKCS12 : ENCRYPTED_KEY_PACKAGE) : MULTIPART;
    }

    /** The range of highest quality naming {@code mediaType}, the first listed on a tie; null when none names it. */
    private static AcceptHeader.Range best(AcceptHeader ranges, String mediaType) {
        AcceptHeader.Range best = null;
        for (AcceptHeader.Range r : ranges.ranges()) {
            if (r.names(mediaType) && (best == null || r.quality() > best.quality())) {
                best = r;
            }
        }
        return best;
    }
}

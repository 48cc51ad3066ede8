package org.est4j.jaxrs.keygen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
        if (accept == null || accept.isBlank()) {
            return MULTIPART;
        }
        double multipartNamed = -1;
        double multipartWildcard = -1;
        double pkcs12 = -1;
        double cms = -1;
        int pkcs12Position = -1;
        int cmsPosition = -1;
        List<String> ranges = elements(accept);
        for (int i = 0; i < ranges.size(); i++) {
            String range = ranges.get(i);
            int semicolon = range.indexOf(';');
            String type = (semicolon < 0 ? range : range.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
            double q = quality(semicolon < 0 ? "" : range.substring(semicolon));
            switch (type) {
                case "multipart/mixed" -> multipartNamed = Math.max(multipartNamed, q);
                case "*/*", "multipart/*" -> multipartWildcard = Math.max(multipartWildcard, q);
                case EstMediaTypes.PKCS12 -> {
                    if (q > pkcs12) {
                        pkcs12 = q;
                        pkcs12Position = pkcs12Position < 0 ? i : pkcs12Position;
                    }
                }
                case EstMediaTypes.CMS -> {
                    if (q > cms) {
                        cms = q;
                        cmsPosition = cmsPosition < 0 ? i : cmsPosition;
                    }
                }
                default -> { }
            }
        }
        // Of the two RFC 8295 forms the higher quality wins, at equal quality the one listed first.
        boolean pkcs12First = pkcs12 > cms || pkcs12 == cms && pkcs12Position >= 0 && (cmsPosition < 0 || pkcs12Position < cmsPosition);
        KeyFormat named = pkcs12First ? PKCS12 : ENCRYPTED_KEY_PACKAGE;
        double q = pkcs12First ? pkcs12 : cms;
        // q=0 is "not acceptable" (RFC 9110 section 12.4.2); a named type beats a wildcard of the same quality,
        // an explicitly named multipart/mixed of the same quality keeps RFC 7030's form.
        return q > 0 && q > multipartNamed && q >= multipartWildcard ? named : MULTIPART;
    }

    /** The comma-separated elements of an {@code Accept} value; a comma inside a quoted parameter value does not split. */
    private static List<String> elements(String accept) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < accept.length(); i++) {
            char c = accept.charAt(i);
            if (quoted && c == '\\' && i + 1 < accept.length()) {
                current.append(c).append(accept.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        out.add(current.toString());
        return out;
    }

    /** The {@code q} parameter of a media range's parameters, 1 without one; an unreadable one counts as 1 (the range is named). */
    private static double quality(String parameters) {
        for (String parameter : parameters.split(";")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("q")) {
                try {
                    double q = Double.parseDouble(parameter.substring(equals + 1).trim());
                    return q >= 0 && q <= 1 ? q : 1;
                } catch (NumberFormatException e) {
                    return 1;
                }
            }
        }
        return 1;
    }
}

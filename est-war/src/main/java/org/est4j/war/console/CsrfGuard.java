package org.est4j.war.console;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * The console's defence against cross-site request forgery (OWASP's synchronizer token pattern, plus the origin check):
 * every action is a POST that carries the token of the operator's session in a hidden field, and comes from a page of
 * this server ({@code Origin}, or {@code Referer} when a browser sends no {@code Origin}). Another site can make a
 * browser send the session cookie (though SameSite=Strict already keeps it back), but can neither read the token nor
 * forge the browser's {@code Origin}.
 */
public final class CsrfGuard {

    /** The form field that carries the token. */
    public static final String FIELD = "csrf";

    private static final SecureRandom RANDOM = new SecureRandom();

    private CsrfGuard() {
    }

    /** A new token: 256 random bits, URL-safe base64. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code presented} is {@code expected}, in time independent of where they differ. */
    public static boolean tokenMatches(String expected, String presented) {
        if (expected == null || presented == null || expected.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Whether the request was sent by a page of this server: its {@code Origin} is {@code https://<host>} where
     * {@code host} is the request's {@code Host} header (which the browser sets to the server it sends to), or, without
     * an {@code Origin}, its {@code Referer} is a URL of that origin. Neither: refused (a browser sends at least one of
     * them on a same-origin form POST; the console's pages ask for {@code Referrer-Policy: same-origin}).
     */
    public static boolean sameOrigin(String origin, String referer, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String expected = withoutDefaultPort("https://" + host.strip().toLowerCase(Locale.ROOT));
        if (origin != null) {
            return normalise(origin).equals(expected);
        }
        if (referer != null) {
            return normalise(referer).equals(expected);
        }
        return false;
    }

    /** HTTPS's port is the same origin written or not (RFC 6454 section 4). */
    private static String withoutDefaultPort(String origin) {
        return origin.endsWith(":443") ? origin.substring(0, origin.length() - 4) : origin;
    }

    /** {@code scheme://host[:port]} of a URL, lower case; "" when it is none (such as {@code Origin: null}). */
    private static String normalise(String url) {
        try {
            URI uri = new URI(url.strip());
            if (uri.getScheme() == null || uri.getRawAuthority() == null || uri.getRawUserInfo() != null) {
                return "";
            }
            return withoutDefaultPort((uri.getScheme() + "://" + uri.getRawAuthority()).toLowerCase(Locale.ROOT));
        } catch (URISyntaxException e) {
            return "";
        }
    }
}

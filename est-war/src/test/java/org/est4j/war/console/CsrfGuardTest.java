package org.est4j.war.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The console's CSRF defence: the synchronizer token and the origin check. */
class CsrfGuardTest {

    @Test
    void tokensAreLongRandomAndUrlSafe() {
        String a = CsrfGuard.newToken();
        assertEquals(43, a.length(), "256 bits in unpadded base64");
        assertTrue(a.matches("[A-Za-z0-9_-]+"), a);
        assertNotEquals(a, CsrfGuard.newToken());
    }

    @Test
    void onlyTheSessionsOwnTokenMatches() {
        String token = CsrfGuard.newToken();
        assertTrue(CsrfGuard.tokenMatches(token, token));
        assertFalse(CsrfGuard.tokenMatches(token, null), "absent");
        assertFalse(CsrfGuard.tokenMatches(token, ""), "empty");
        assertFalse(CsrfGuard.tokenMatches(token, token.substring(1)), "shorter");
        assertFalse(CsrfGuard.tokenMatches(token, token + "A"), "longer");
        assertFalse(CsrfGuard.tokenMatches(token, CsrfGuard.newToken()), "another session's");
        assertFalse(CsrfGuard.tokenMatches(null, token), "a session without a token");
        assertFalse(CsrfGuard.tokenMatches("", ""), "no token is never a match");
    }

    @Test
    void theOriginMustBeThisServerOverHttps() {
        assertTrue(CsrfGuard.sameOrigin("https://est.example.org:8443", null, "est.example.org:8443"));
        assertTrue(CsrfGuard.sameOrigin("https://EST.example.org:8443", null, "est.example.org:8443"), "host names in any case");
        assertTrue(CsrfGuard.sameOrigin("https://est.example.org", null, "est.example.org:443"), "the default port written or not");
        assertFalse(CsrfGuard.sameOrigin("https://evil.example", null, "est.example.org:8443"));
        assertFalse(CsrfGuard.sameOrigin("http://est.example.org:8443", null, "est.example.org:8443"), "plain HTTP");
        assertFalse(CsrfGuard.sameOrigin("https://est.example.org:8444", null, "est.example.org:8443"), "another port");
        assertFalse(CsrfGuard.sameOrigin("https://est.example.org.evil.example:8443", null, "est.example.org:8443"));
        assertFalse(CsrfGuard.sameOrigin("null", null, "est.example.org:8443"), "an opaque origin");
        assertFalse(CsrfGuard.sameOrigin("https://est.example.org:8443", null, null), "no Host");
    }

    @Test
    void withoutOriginTheRefererDecidesAndWithNeitherItIsRefused() {
        assertTrue(CsrfGuard.sameOrigin(null, "https://est.example.org:8443/console/?search=1", "est.example.org:8443"));
        assertFalse(CsrfGuard.sameOrigin(null, "https://evil.example/console/", "est.example.org:8443"));
        assertFalse(CsrfGuard.sameOrigin(null, "https://est.example.org:8443@evil.example/", "est.example.org:8443"), "user info");
        assertFalse(CsrfGuard.sameOrigin(null, null, "est.example.org:8443"));
        assertFalse(CsrfGuard.sameOrigin("https://evil.example", "https://est.example.org:8443/console/", "est.example.org:8443"),
                "Origin, when sent, is what counts");
    }
}

package org.est4j.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Media-type handling: {@link EstMediaTypes#isPkcs10} / {@link EstMediaTypes#isPkcs7} on request
 * {@code Content-Type} values, and {@link WireContentTypeFilter#canonical} (package-private, hence this
 * package) on response ones. Never an exception. (In this package rather than org.est4j.jaxrs.fuzz
 * for that package-private method; see est-jaxrs/FUZZING.md.)
 */
class MediaTypeFuzzTest {

    private static final List<String> CANONICAL = List.of(EstMediaTypes.PKCS7_CERTS_ONLY, EstMediaTypes.PKCS7_MIME,
            EstMediaTypes.CMC_RESPONSE, EstMediaTypes.CSRATTRS);

    /** The request side: at most one of the two answers is yes, and a yes names that type. */
    @FuzzTest(maxDuration = "60s")
    void requestContentType(byte[] input) {
        assertFalse(EstMediaTypes.isPkcs10(null) || EstMediaTypes.isPkcs7(null), "no Content-Type is neither");
        for (String value : decodings(input)) {
            boolean pkcs10 = EstMediaTypes.isPkcs10(value);
            boolean pkcs7 = EstMediaTypes.isPkcs7(value);
            assertFalse(pkcs10 && pkcs7, () -> "both PKCS#10 and PKCS#7: " + value);
            String lower = value.toLowerCase(Locale.ROOT);
            if (pkcs10) {
                assertTrue(lower.contains(EstMediaTypes.PKCS10) || lower.contains(EstMediaTypes.DRAFT_PKCS10), value);
            }
            if (pkcs7) {
                assertTrue(lower.contains(EstMediaTypes.PKCS7_MIME), value);
            }
        }
    }

    /**
     * The response side: canonical() only ever changes white space and case (it "restores the canonical
     * spelling of the EST types it recognises and leaves every other value alone"), gives an EST type
     * or a multipart/mixed type when it changes anything, and is idempotent.
     */
    @FuzzTest(maxDuration = "60s")
    void responseContentType(byte[] input) {
        assertNull(WireContentTypeFilter.canonical(null), "null stays null");
        for (String value : decodings(input)) {
            String result = WireContentTypeFilter.canonical(value);
            assertNotNull(result, () -> "canonical(" + value + ")");
            if (!result.equals(value)) {
                assertTrue(CANONICAL.contains(result) || result.startsWith("multipart/mixed; boundary="),
                        () -> "canonical rewrote '" + value + "' into '" + result + "', which is no EST media type");
                assertEquals(squeezed(value), squeezed(result),
                        () -> "canonical changed more than white space and case: '" + value + "' -> '" + result + "'");
            }
            assertEquals(result, WireContentTypeFilter.canonical(result), () -> "canonical is not idempotent on '" + value + "'");
        }
    }

    /**
     * {@link MediaTypeSyntax}, which ErrorReplyFilter runs on every request's Content-Type and Accept before the JAX-RS
     * runtime: never an exception, nothing over the length cap accepted, and an accepted media type has its slash
     * and no line break; what it accepts as a Content-Type the request side reads without failing.
     */
    @FuzzTest(maxDuration = "60s")
    void headerSyntax(byte[] input) {
        for (String value : decodings(input)) {
            boolean mediaType = MediaTypeSyntax.isMediaType(value);
            boolean accept = MediaTypeSyntax.isAccept(value);
            if (mediaType) {
                assertTrue(value.length() <= MediaTypeSyntax.MAX_LENGTH && value.indexOf('/') > 0, value);
                assertFalse(value.contains("\n") || value.contains("\r"), value);
                EstMediaTypes.isPkcs10(value);
                EstMediaTypes.isPkcs7(value);
            }
            if (accept) {
                assertTrue(value.length() <= MediaTypeSyntax.MAX_LENGTH, value);
            }
        }
    }

    /** ErrorReplyFilter's check of the raw request target: never an exception; what passes has only URI characters. */
    @FuzzTest(maxDuration = "60s")
    void requestTarget(byte[] input) {
        for (String value : decodings(input)) {
            for (boolean query : new boolean[] {false, true}) {
                if (ErrorReplyFilter.isUriReference(value, query)) {
                    assertTrue(value.chars().allMatch(c -> c > 0x20 && c < 0x7f && "\"<>\\^`{|}[]#".indexOf(c) < 0), value);
                    assertTrue(java.net.URI.create("https://h/" + value.replace("?", query ? "?" : "%3F")) != null);
                }
            }
        }
    }

    /**
     * {@link ClientText#quote}, which every client value passes on its way into a log line or an error reply: one line,
     * no control, bidi or separator character left, and bounded by the limit.
     */
    @FuzzTest(maxDuration = "60s")
    void clientText(byte[] input) {
        for (String value : decodings(input)) {
            for (int limit : new int[] {ClientText.REPLY_LIMIT, ClientText.LOG_LIMIT}) {
                String quoted = ClientText.quote(value, limit);
                assertTrue(quoted.length() <= limit * 6 + 32, () -> "too long: " + quoted.length());
                assertTrue(quoted.chars().noneMatch(c -> c < 0x20 || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029
                        || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069 || c == 0x200e || c == 0x200f || c == 0x061c
                        || Character.isSurrogate((char) c) && !isPaired(quoted, c)), () -> "unescaped: " + quoted);
                if (value.length() <= limit && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '\\')) {
                    assertEquals(value, quoted, "plain ASCII stays as it is");
                }
            }
        }
    }

    private static boolean isPaired(String s, int surrogate) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Without white space in either sense the filter uses (regex \\s, and String.strip's Character.isWhitespace), lower case. */
    private static String squeezed(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().filter(c -> !Character.isWhitespace(c)).forEach(out::appendCodePoint);
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** As org.est4j.jaxrs.fuzz.Fuzzing.decodings (package-private there): UTF-8 and ISO-8859-1. */
    private static List<String> decodings(byte[] input) {
        String utf8 = new String(input, StandardCharsets.UTF_8);
        String latin1 = new String(input, StandardCharsets.ISO_8859_1);
        return utf8.equals(latin1) ? List.of(utf8) : List.of(utf8, latin1);
    }
}

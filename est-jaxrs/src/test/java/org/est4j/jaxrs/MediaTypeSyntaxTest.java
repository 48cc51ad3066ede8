package org.est4j.jaxrs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Content-Type and Accept values est4j lets through to the JAX-RS runtime. */
class MediaTypeSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/pkcs10", "application/x-est-pkcs10", "APPLICATION/PKCS10",
            "application/pkcs7-mime; smime-type=CMC-request", "application/pkcs7-mime;smime-type=CMC-request",
            "application/pkcs7-mime ; smime-type=\"CMC-request\"", "application/pkcs10; charset=\"utf\\\"8\"",
            "application/pkcs10;", "application/pkcs10;;", " application/pkcs10 ", "text/plain; charset=utf-8"})
    void wellFormedMediaTypes(String value) {
        assertTrue(MediaTypeSyntax.isMediaType(value), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "application/", "/", "/pkcs10", "application", ";;;;", "application/pkcs10; =",
            "application/pkcs10; a", "application/pkcs10; a=", "application/pkcs10; a=\"x", "application/pkcs10; a=\"x\\",
            "application/pk\u00e9cs10", "application/pkcs10, text/plain", "application/pk cs10", "application/pkcs10; a=b c",
            "application/pkcs10\u0000", "application/pkcs10; a=\"\u0001\""})
    void malformedMediaTypes(String value) {
        assertFalse(MediaTypeSyntax.isMediaType(value), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*/*", "text/plain", "application/pkcs7-mime, */*;q=0.1", "text/*;q=0.5, */*; q=0",
            "application/pkcs7-mime; smime-type=certs-only;q=1.000", ", ,text/plain,", "*/*;q=1.0"})
    void wellFormedAccept(String value) {
        assertTrue(MediaTypeSyntax.isAccept(value), value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x/y;q=zz", "x/y;q=1.5", "x/y;q=0.1234", "*/json", "text", "text/", ";;", "text/plain;;q"})
    void malformedAccept(String value) {
        assertFalse(MediaTypeSyntax.isAccept(value), value);
    }

    @org.junit.jupiter.api.Test
    void overlongValuesAreRefusedUnread() {
        assertFalse(MediaTypeSyntax.isMediaType("application/" + "z".repeat(7000)));
        assertFalse(MediaTypeSyntax.isAccept("text/" + "z".repeat(7000)));
    }
}

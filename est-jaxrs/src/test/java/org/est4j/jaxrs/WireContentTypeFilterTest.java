package org.est4j.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WireContentTypeFilterTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application/pkcs7-mime;smime-type=certs-only      | application/pkcs7-mime; smime-type=certs-only",
            "application/pkcs7-mime; smime-type=certs-only     | application/pkcs7-mime; smime-type=certs-only",
            "Application/PKCS7-MIME ;  smime-type=certs-only   | application/pkcs7-mime; smime-type=certs-only",
            "application/pkcs7-mime                            | application/pkcs7-mime",
            "text/plain;charset=utf-8                          | text/plain;charset=utf-8",
            "application/pkcs7-mime;smime-type=CMC-response    | application/pkcs7-mime; smime-type=CMC-response",
            "application/pkcs7-mime;smime-type=server-generated-key | application/pkcs7-mime;smime-type=server-generated-key",
            "multipart/mixed;boundary=est4j-0aF                | multipart/mixed; boundary=est4j-0aF",
            "application/csrattrs                              | application/csrattrs",
    })
    void restoresTheCanonicalSpellingOfEstTypesOnly(String sent, String onTheWire) {
        assertEquals(onTheWire, WireContentTypeFilter.canonical(sent));
    }

    /** Found by fuzzing: the boundary's position was taken from a squeezed or lower-cased copy of the value. */
    @org.junit.jupiter.api.Test
    void aMultipartTypeWhoseBoundaryCannotBeFoundIsLeftAsItIs() {
        org.junit.jupiter.api.Assertions.assertEquals("multipart/mixed; bound ary=est4j",
                WireContentTypeFilter.canonical("multipart/mixed; bound ary=est4j"));
        org.junit.jupiter.api.Assertions.assertEquals("multipart/mixed; boundary=\u0130x",
                WireContentTypeFilter.canonical("MULTIPART/MIXED;BOUNDARY=\u0130x"));
        org.junit.jupiter.api.Assertions.assertEquals("multipart/mixed; boundary=AbC",
                WireContentTypeFilter.canonical("multipart/mixed;\tBoundary=AbC"));
    }
}

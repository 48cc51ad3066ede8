package org.est4j.jaxrs.keygen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which {@code /serverkeygen} reply an {@code Accept} header selects: RFC 7030's unless an RFC 8295 type is named. */
class KeyFormatTest {

    @ParameterizedTest(name = "[{index}] Accept: {0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "NULL | MULTIPART",
        "'' | MULTIPART",
        "*/* | MULTIPART",
        "multipart/mixed | MULTIPART",
        "text/plain | MULTIPART",
        "application/json, text/html | MULTIPART",
        "application/* | MULTIPART",
        "application/pkcs12 | PKCS12",
        "Application/PKCS12 | PKCS12",
        "application/pkcs12; q=0 | MULTIPART",
        "application/pkcs12, */* | PKCS12",
        "application/pkcs12;q=0.5, */* | MULTIPART",
        "application/pkcs12, multipart/mixed | MULTIPART",
        "application/pkcs12, multipart/mixed;q=0.9 | PKCS12",
        "application/cms | ENCRYPTED_KEY_PACKAGE",
        "application/cms; encapsulatingContent=2.16.840.1.101.2.1.2.78.2 | ENCRYPTED_KEY_PACKAGE",
        "application/cms; innerContent=\"a,b\"; q=1 | ENCRYPTED_KEY_PACKAGE",
        "application/cms, application/pkcs12 | ENCRYPTED_KEY_PACKAGE",
        "application/pkcs12, application/cms | PKCS12",
        "application/pkcs12;q=0.4, application/cms;q=0.6 | ENCRYPTED_KEY_PACKAGE",
        "text/plain, application/cms;q=0.1 | ENCRYPTED_KEY_PACKAGE",
    })
    void theAcceptHeaderChoosesTheFormat(String accept, KeyFormat expected) {
        assertEquals(expected, KeyFormat.fromAccept(accept));
    }
}

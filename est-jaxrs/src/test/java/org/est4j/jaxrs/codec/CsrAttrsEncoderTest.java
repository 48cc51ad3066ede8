package org.est4j.jaxrs.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import java.util.List;

import org.est4j.spi.CsrAttributes;
import org.junit.jupiter.api.Test;

class CsrAttrsEncoderTest {

    /** RFC 7030 section 4.5.2: the example CSR Attributes response, byte for byte. */
    @Test
    void encodesTheRfc7030Example() {
        byte[] rfc = Base64.getDecoder().decode(
                "MEEGCSqGSIb3DQEJBzASBgcqhkjOPQIBMQcGBSuBBAAiMBYGCSqGSIb3DQEJDjEJBgcrBgEBAQEWBggqhkjOPQQDAw==");
        CsrAttributes example = new CsrAttributes(List.of(
                new CsrAttributes.Oid("1.2.840.113549.1.9.7"),                                    // challengePassword
                new CsrAttributes.Attribute("1.2.840.10045.2.1", List.of("1.3.132.0.34")),        // ecPublicKey: secp384r1
                new CsrAttributes.Attribute("1.2.840.113549.1.9.14", List.of("1.3.6.1.1.1.1.22")), // extensionRequest: macAddress
                new CsrAttributes.Oid("1.2.840.10045.4.3.3")));                                   // ecdsa-with-SHA384
        assertArrayEquals(rfc, CsrAttrsEncoder.encode(example));
    }

    @Test
    void refusesWhatIsNoOid() {
        assertThrows(IllegalArgumentException.class, () -> new CsrAttributes.Oid("challengePassword"));
        assertThrows(IllegalArgumentException.class, () -> new CsrAttributes.Attribute("1.2.3", List.of()));
    }
}

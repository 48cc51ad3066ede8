package org.est4j.jaxrs.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.GeneralName;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.TestPki;
import org.est4j.spi.CertificationRequest;
import org.est4j.spi.SubjectAltName;
import org.junit.jupiter.api.Test;

class CsrDecoderTest {

    @Test
    void decodesTheRfc7030AppendixAEnrollmentRequest() throws IOException {
        byte[] body;
        try (InputStream in = getClass().getResourceAsStream("/rfc7030/simpleenroll-request.b64")) {
            body = in.readAllBytes();
        }
        CertificationRequest csr = CsrDecoder.decode(Base64Transfer.decode(body)).request();
        assertEquals("CN=demostep4 1368141352", csr.subject().getName());
        assertEquals("RSA", csr.publicKey().getAlgorithm());
        // RFC 7030 A.2: the challengePassword carries the tls-unique value of the example session.
        assertEquals(Optional.of("+rrCir/7+EYu50T4"), csr.challengePassword());
        assertTrue(csr.subjectAltNames().isEmpty());
    }

    @Test
    void decodesSubjectKeySansAndChallengePassword() {
        KeyPair key = TestPki.ecKey();
        byte[] der = TestPki.csr(key, "CN=device-1,O=Example", new GeneralName[] {TestPki.dns("device-1.example"),
                        new GeneralName(GeneralName.iPAddress, "192.0.2.7")},
                PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString("secret123"));
        CertificationRequest csr = CsrDecoder.decode(der).request();
        assertEquals("O=Example,CN=device-1", csr.subject().getName()); // RFC 2253 order
        assertTrue(csr.hasSamePublicKeyAs(key.getPublic()));
        assertEquals("EC", csr.publicKey().getAlgorithm());
        assertEquals(List.of(new SubjectAltName(SubjectAltName.Type.DNS_NAME, "device-1.example"),
                new SubjectAltName(SubjectAltName.Type.IP_ADDRESS, "192.0.2.7")), csr.subjectAltNames());
        assertEquals(Optional.of("secret123"), csr.challengePassword());
        assertEquals(1, csr.requestedExtensions().size());
        assertEquals("2.5.29.17", csr.requestedExtensions().get(0).oid());
        assertTrue(Arrays.equals(der, csr.der()));
    }

    @Test
    void refusesABrokenSignatureAsMissingProofOfPossession() {
        byte[] der = TestPki.csr(TestPki.ecKey(), "CN=device-1", null);
        der[der.length - 5] ^= 0x01; // inside the signature's INTEGER
        EstProtocolException e = assertThrows(EstProtocolException.class, () -> CsrDecoder.decode(der));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }

    @Test
    void refusesARequestWhoseSignedContentWasAltered() {
        byte[] good = TestPki.csr(TestPki.ecKey(), "CN=device-1", null);
        EstProtocolException e = assertThrows(EstProtocolException.class, () -> CsrDecoder.decode(tamperSubject(good)));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("proof of possession"), e.getMessage());
    }

    private static byte[] tamperSubject(byte[] der) {
        byte[] copy = der.clone();
        String s = new String(copy, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = s.indexOf("device-1");
        copy[at] = 'D';
        return copy;
    }

    @Test
    void refusesGarbageAndTrailingBytes() {
        assertEquals(400, assertThrows(EstProtocolException.class,
                () -> CsrDecoder.decode(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01})).status());
        byte[] der = TestPki.csr(TestPki.ecKey(), "CN=device-1", null);
        byte[] trailing = Arrays.copyOf(der, der.length + 2);
        EstProtocolException e = assertThrows(EstProtocolException.class, () -> CsrDecoder.decode(trailing));
        assertEquals(400, e.status());
    }
}

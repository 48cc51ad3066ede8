package org.est4j.jaxrs.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.cert.X509Certificate;

import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.TestPki;
import org.est4j.jaxrs.codec.CsrDecoder;
import org.est4j.jaxrs.codec.DecodedCsr;
import org.est4j.spi.RenewalKind;
import org.junit.jupiter.api.Test;

class ReenrollPolicyTest {

    private static final TestPki.Ca CA = TestPki.ca("Policy CA");
    private static final GeneralName[] SANS = {TestPki.dns("a.example"), TestPki.dns("b.example")};

    private final KeyPair key = TestPki.ecKey();
    private final X509Certificate current = CA.issue("CN=router-7,O=Example", key.getPublic(), SANS);

    private static DecodedCsr csr(KeyPair key, String subject, GeneralName... sans) {
        return CsrDecoder.decode(TestPki.csr(key, subject, sans));
    }

    @Test
    void sameKeyIsARenewal() {
        assertEquals(RenewalKind.RENEW, ReenrollPolicy.check(csr(key, "CN=router-7,O=Example", SANS), current));
    }

    @Test
    void newKeyIsARekey() {
        assertEquals(RenewalKind.REKEY, ReenrollPolicy.check(csr(TestPki.ecKey(), "CN=router-7,O=Example", SANS), current));
    }

    @Test
    void subjectAltNameOrderDoesNotMatter() {
        assertEquals(RenewalKind.RENEW, ReenrollPolicy.check(csr(key, "CN=router-7,O=Example", SANS[1], SANS[0]), current));
    }

    @Test
    void subjectsMatchAcrossStringEncodings() {
        // The certificate's CN is a PrintableString or UTF8String depending on the builder; the request uses UTF8String.
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
        name.addRDN(BCStyle.CN, new DERUTF8String("router-7"));
        name.addRDN(BCStyle.O, new DERUTF8String("Example"));
        DecodedCsr request = csr(key, name.build().toString(), SANS);
        assertEquals(RenewalKind.RENEW, ReenrollPolicy.check(request, current));
    }

    @Test
    void anotherSubjectIsForbidden() {
        EstProtocolException e = assertThrows(EstProtocolException.class,
                () -> ReenrollPolicy.check(csr(key, "CN=router-8,O=Example", SANS), current));
        assertEquals(403, e.status());
        assertTrue(e.getMessage().contains("subject"), e.getMessage());
    }

    @Test
    void anotherOrMissingSubjectAltNameIsForbidden() {
        assertEquals(403, assertThrows(EstProtocolException.class,
                () -> ReenrollPolicy.check(csr(key, "CN=router-7,O=Example", SANS[0]), current)).status());
        assertEquals(403, assertThrows(EstProtocolException.class,
                () -> ReenrollPolicy.check(csr(key, "CN=router-7,O=Example"), current)).status());
        assertEquals(403, assertThrows(EstProtocolException.class, () -> ReenrollPolicy.check(
                csr(key, "CN=router-7,O=Example", SANS[0], SANS[1], TestPki.dns("c.example")), current)).status());
    }

    @Test
    void changeSubjectNameIsRefusedExplicitly() {
        byte[] der = TestPki.csr(key, "CN=router-7,O=Example", SANS, ReenrollPolicy.CHANGE_SUBJECT_NAME,
                new org.bouncycastle.asn1.DERSequence());
        EstProtocolException e = assertThrows(EstProtocolException.class,
                () -> ReenrollPolicy.check(CsrDecoder.decode(der), current));
        assertEquals(403, e.status());
        assertTrue(e.getMessage().contains("ChangeSubjectName"), e.getMessage());
    }
}

package org.est4j.war.cmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class IssuedCertificateCheckTest {

    private final KeyPair ca = CmpFixtures.ec();
    private final KeyPair device = CmpFixtures.ec();

    @Test
    void theRequestedKeyAndSubjectPass() throws Exception {
        X509Certificate cert = CmpFixtures.certificate("CN=device,O=Example", device, "CN=CA", ca.getPrivate(), false);
        assertEquals(Optional.empty(), IssuedCertificateCheck.mismatch(cert, CmpFixtures.csr("CN=device,O=Example", device)));
    }

    @Test
    void subjectsAreComparedAsNamesNotAsText() throws Exception {
        X509Certificate cert = CmpFixtures.certificate("CN=Device,O=Example", device, "CN=CA", ca.getPrivate(), false);
        assertEquals(Optional.empty(), IssuedCertificateCheck.mismatch(cert, CmpFixtures.csr("cn=device, o=example", device)),
                "RFC 5280 name comparison ignores case and spacing of the attribute values");
    }

    @Test
    void anotherKeyIsRefused() throws Exception {
        X509Certificate cert = CmpFixtures.certificate("CN=device,O=Example", CmpFixtures.ec(), "CN=CA", ca.getPrivate(), false);
        assertEquals(Optional.of("the upstream CA returned a certificate for another public key than the one requested"),
                IssuedCertificateCheck.mismatch(cert, CmpFixtures.csr("CN=device,O=Example", device)));
    }

    @Test
    void anotherSubjectIsRefused() throws Exception {
        X509Certificate cert = CmpFixtures.certificate("CN=admin,O=Example", device, "CN=CA", ca.getPrivate(), false);
        Optional<String> why = IssuedCertificateCheck.mismatch(cert, CmpFixtures.csr("CN=device,O=Example", device));
        assertTrue(why.isPresent() && why.get().contains("another subject") && why.get().contains("CN=admin"), why.toString());
    }
}

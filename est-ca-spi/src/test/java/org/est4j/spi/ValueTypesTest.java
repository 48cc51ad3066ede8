package org.est4j.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.Test;

class ValueTypesTest {

    private static PublicKey key() throws Exception {
        return KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic();
    }

    @Test
    void pendingRoundsRetryAfterUpToWholeSecondsAndNeverBelowOne() {
        assertEquals(90, new Pending(Duration.ofSeconds(90)).retryAfterSeconds());
        assertEquals(2, new Pending(Duration.ofMillis(1001)).retryAfterSeconds());
        assertEquals(1, new Pending(Duration.ZERO).retryAfterSeconds());
        assertThrows(IllegalArgumentException.class, () -> new Pending(Duration.ofSeconds(-1)));
    }

    @Test
    void certificationRequestIsImmutable() throws Exception {
        byte[] der = {0x30, 0x00};
        List<SubjectAltName> sans = new ArrayList<>(List.of(new SubjectAltName(SubjectAltName.Type.DNS_NAME, "a.example")));
        PublicKey key = key();
        CertificationRequest csr = new CertificationRequest(der, new X500Principal("CN=a"), key, sans, List.of(),
                Optional.of("otp"));
        der[0] = 0;
        sans.clear();
        csr.der()[1] = 9;
        assertArrayEquals(new byte[] {0x30, 0x00}, csr.der());
        assertEquals(1, csr.subjectAltNames().size());
        assertTrue(csr.hasSamePublicKeyAs(key));
        assertFalse(csr.hasSamePublicKeyAs(key()));
        assertFalse(csr.toString().contains("otp"), "toString must not reveal the challenge password");
    }

    @Test
    void extensionsCompareByValueAndCopyTheirBytes() {
        byte[] value = {1, 2, 3};
        CertificateExtension ext = new CertificateExtension("2.5.29.17", false, value);
        value[0] = 9;
        assertEquals(new CertificateExtension("2.5.29.17", false, new byte[] {1, 2, 3}), ext);
        ext.value()[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, ext.value());
    }

    @Test
    void anonymousClientIsNotAuthenticated() {
        AuthenticatedClient anonymous = AuthenticatedClient.anonymous("192.0.2.1");
        assertFalse(anonymous.isAuthenticated());
        assertEquals(Optional.empty(), anonymous.certificate());
        AuthenticatedClient user = new AuthenticatedClient(List.of(), Optional.of("est"), Set.of(AuthenticationMethod.HTTP_BASIC), "::1");
        assertTrue(user.isAuthenticated());
    }

    @Test
    void caCertificatesNeedAtLeastOneCertificate() {
        assertThrows(IllegalArgumentException.class, () -> new CaCertificates(List.of()));
    }

    @Test
    void defaultReenrollDelegatesToEnroll() throws Exception {
        List<EnrollmentRequest> seen = new ArrayList<>();
        CaService ca = new CaService() {
            @Override
            public CaCertificates caCertificates(CaCertificatesRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public EnrollmentResult enroll(EnrollmentRequest request) {
                seen.add(request);
                return new Pending(Duration.ofSeconds(5));
            }
        };
        CertificationRequest csr = new CertificationRequest(new byte[] {0x30, 0x00}, new X500Principal("CN=a"), key(),
                List.of(), List.of(), Optional.empty());
        AuthenticatedClient client = AuthenticatedClient.anonymous("192.0.2.1");
        ReenrollmentRequest re = new ReenrollmentRequest(Optional.of("iot"), csr, client, dummyCert(), RenewalKind.REKEY);
        assertEquals(new Pending(Duration.ofSeconds(5)), ca.reenroll(re));
        assertEquals(Optional.of("iot"), seen.get(0).label());
        assertEquals(csr, seen.get(0).csr());
    }

    /** Any certificate will do: the default method never looks at it. */
    private static java.security.cert.X509Certificate dummyCert() throws Exception {
        try (var in = ValueTypesTest.class.getResourceAsStream("/any-certificate.pem")) {
            return (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
        }
    }
}

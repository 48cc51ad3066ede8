package org.est4j.jaxrs.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.HttpRequestInfo;
import org.est4j.jaxrs.TestPki;
import org.est4j.jaxrs.policy.LabelPolicy;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.AuthenticationMethod;
import org.est4j.spi.CaUnavailableException;
import org.est4j.spi.CertificateStatus;
import org.junit.jupiter.api.Test;

/** A certificate the CA calls revoked authenticates nothing, as a client or as a registration authority. */
class RevokedCertificateTest {

    private static final TestPki.Ca CA = TestPki.ca("Status CA");
    private static final X509Certificate DEVICE = CA.issue("CN=device", TestPki.ecKey().getPublic(), null, KeyPurposeId.id_kp_clientAuth);
    private static final X509Certificate RA = CA.issue("CN=ra", TestPki.ecKey().getPublic(), null,
            KeyPurposeId.id_kp_clientAuth, KeyPurposeId.getInstance(new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.5.5.7.3.28")));

    private static EstAuthenticator authenticator(BigInteger revokedSerial) {
        ClientCertificateValidator anchors = new ClientCertificateValidator(List.of(CA.certificate()));
        return new EstAuthenticator(anchors, anchors, new HashedCredentialStore(java.util.Map.of()), "est4j", HttpAuthentication.BASIC_ONLY,
                request -> request.certificate().getSerialNumber().equals(revokedSerial)
                        ? CertificateStatus.revoked(Instant.now(), 1) : CertificateStatus.good());
    }

    private static HttpRequestInfo tls(X509Certificate certificate) {
        return new HttpRequestInfo("application/pkcs10", 10, null, List.of(certificate), "192.0.2.9");
    }

    @Test
    void aGoodCertificateAuthenticates() throws Exception {
        AuthenticatedClient client = authenticator(BigInteger.ZERO).authenticate(Optional.empty(), tls(DEVICE), LabelPolicy.DEFAULTS, true);
        assertEquals(Set.of(AuthenticationMethod.TLS_CLIENT_CERTIFICATE), client.methods());
    }

    @Test
    void aRevokedCertificateIsRefusedSayingSo() {
        EstProtocolException e = assertThrows(EstProtocolException.class, () -> authenticator(DEVICE.getSerialNumber())
                .authenticate(Optional.empty(), tls(DEVICE), LabelPolicy.DEFAULTS, true));
        assertEquals(401, e.status());
        assertEquals("the TLS client certificate is not accepted: certificate revoked", e.getMessage());
    }

    @Test
    void aRevokedRegistrationAuthorityIsNoRegistrationAuthority() throws Exception {
        assertTrue(authenticator(BigInteger.ZERO).authenticate(Optional.empty(), tls(RA), LabelPolicy.DEFAULTS, true)
                .methods().contains(AuthenticationMethod.REGISTRATION_AUTHORITY));
        EstProtocolException e = assertThrows(EstProtocolException.class, () -> authenticator(RA.getSerialNumber())
                .authenticate(Optional.empty(), tls(RA), LabelPolicy.DEFAULTS, true));
        assertEquals("the TLS client certificate is not accepted: certificate revoked", e.getMessage());
    }

    @Test
    void aRevokedCertificateIsNotEvenQueuedForManualApproval() {
        EstProtocolException e = assertThrows(EstProtocolException.class, () -> authenticator(DEVICE.getSerialNumber())
                .authenticate(Optional.empty(), tls(DEVICE),
                        LabelPolicy.DEFAULTS.withIncompleteAuth(LabelPolicy.IncompleteAuthentication.QUEUE), true));
        assertEquals(401, e.status());
    }

    @Test
    void aPasswordBesideARevokedCertificateDoesNotLetTheClientIn() {
        HashedCredentialStore users = new HashedCredentialStore(java.util.Map.of("est", PasswordHashes.hash("pw-123456".toCharArray())));
        ClientCertificateValidator anchors = new ClientCertificateValidator(List.of(CA.certificate()));
        EstAuthenticator authenticator = new EstAuthenticator(anchors, anchors, users, "est4j", HttpAuthentication.BASIC_ONLY,
                request -> CertificateStatus.revoked(Instant.now(), 1));
        HttpRequestInfo both = new HttpRequestInfo("application/pkcs10", 10, "Basic " + java.util.Base64.getEncoder()
                .encodeToString("est:pw-123456".getBytes(java.nio.charset.StandardCharsets.UTF_8)), List.of(DEVICE), "192.0.2.9");
        EstProtocolException e = assertThrows(EstProtocolException.class,
                () -> authenticator.authenticate(Optional.empty(), both, LabelPolicy.DEFAULTS, true));
        assertEquals("the TLS client certificate is not accepted: certificate revoked", e.getMessage());
    }

    @Test
    void aRevokedCertificateIsAnonymousWhereNothingIsDemanded() throws Exception {
        assertEquals(Set.of(), authenticator(DEVICE.getSerialNumber()).identify(Optional.empty(), tls(DEVICE)).methods());
    }

    @Test
    void aCaThatCannotAnswerFailsTheRequestInsteadOfLettingTheCertificatePass() {
        ClientCertificateValidator anchors = new ClientCertificateValidator(List.of(CA.certificate()));
        EstAuthenticator failing = new EstAuthenticator(anchors, anchors, new HashedCredentialStore(java.util.Map.of()), "est4j",
                HttpAuthentication.BASIC_ONLY, request -> {
                    throw new CaUnavailableException("the local CA cannot read its revocations right now", null, null);
                });
        assertThrows(CaUnavailableException.class, () -> failing.authenticate(Optional.empty(), tls(DEVICE), LabelPolicy.DEFAULTS, true));
    }
}

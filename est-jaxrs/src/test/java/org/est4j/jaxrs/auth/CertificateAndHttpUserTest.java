package org.est4j.jaxrs.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.HttpRequestInfo;
import org.est4j.jaxrs.TestPki;
import org.est4j.jaxrs.policy.LabelPolicy;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.AuthenticationMethod;
import org.junit.jupiter.api.Test;

/**
 * A valid TLS client certificate beside an HTTP Basic header: clients that always send {@code None:None}
 * (libest-based firmware does when no user was configured) must still authenticate by their certificate,
 * while a wrong password of a real user stays a refusal.
 */
class CertificateAndHttpUserTest {

    private static final TestPki.Ca CA = TestPki.ca("Auth CA");
    private static final String PASSWORD = "s3cret-pass";
    private static final X509Certificate DEVICE = CA.issue("CN=device-7", TestPki.ecKey().getPublic(), null);
    private static final LabelPolicy BOTH = LabelPolicy.DEFAULTS.withTlsAndHttpRequired();

    private final TestClock clock = new TestClock("2026-12-01T10:00:00Z");
    private final FailureThrottle throttle = new FailureThrottle(3, 100, Duration.ofMinutes(5), clock, 1000);
    private final EstAuthenticator authenticator = new EstAuthenticator(new ClientCertificateValidator(List.of(CA.certificate())),
            new ClientCertificateValidator(List.of()),
            new HashedCredentialStore(Map.of("est", PasswordHashes.hash(PASSWORD.toCharArray()))), "est4j",
            new HttpAuthentication(Optional.empty(), OneTimePasswords.NONE, throttle, Optional.empty()), EstAuthenticator.CertificateStatusSource.NONE);

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpRequestInfo request(String authorization, X509Certificate... chain) {
        return new HttpRequestInfo("application/pkcs10", 10, authorization, List.of(chain), "192.0.2.7");
    }

    private AuthenticatedClient authenticate(LabelPolicy policy, String authorization, X509Certificate... chain) throws Exception {
        return authenticator.authenticate(Optional.empty(), request(authorization, chain), policy, true);
    }

    @Test
    void anUnknownUserBesideAValidCertificateIsIgnoredAndTheCertificateAuthenticates() throws Exception {
        AuthenticatedClient client = authenticate(LabelPolicy.DEFAULTS, basic("None", "None"), DEVICE);
        assertEquals(Set.of(AuthenticationMethod.TLS_CLIENT_CERTIFICATE), client.methods());
        assertEquals(Optional.empty(), client.username());
        assertEquals(List.of(DEVICE), client.certificateChain());
    }

    @Test
    void theIgnoredCredentialIsCountedButNeverLocksTheCertificateOut() throws Exception {
        for (int i = 0; i < 10; i++) {
            authenticate(LabelPolicy.DEFAULTS, basic("None", "None"), DEVICE);
        }
        // counted as failures of user "None": the throttle now blocks that name for password guessing ...
        assertTrue(throttle.blocked("None", "192.0.2.99").isPresent());
        EstProtocolException e = assertThrows(EstProtocolException.class, () -> authenticate(LabelPolicy.DEFAULTS, basic("None", "None")));
        assertEquals(429, e.status());
        // ... while the device with its certificate still gets in
        assertEquals(Set.of(AuthenticationMethod.TLS_CLIENT_CERTIFICATE),
                authenticate(LabelPolicy.DEFAULTS, basic("None", "None"), DEVICE).methods());
    }

    @Test
    void aWrongPasswordOfAKnownUserStaysRefusedEvenWithAValidCertificate() throws Exception {
        EstProtocolException e = assertThrows(EstProtocolException.class,
                () -> authenticate(LabelPolicy.DEFAULTS, basic("est", "wrong"), DEVICE));
        assertEquals(401, e.status());
        assertEquals("wrong user name or password", e.getMessage());
    }

    @Test
    void anUnknownUserWithoutACertificateIsRefused() throws Exception {
        EstProtocolException e = assertThrows(EstProtocolException.class, () -> authenticate(LabelPolicy.DEFAULTS, basic("None", "None")));
        assertEquals(401, e.status());
    }

    @Test
    void anUnknownUserBesideACertificateThatDoesNotValidateIsRefused() throws Exception {
        X509Certificate stranger = TestPki.selfSigned("CN=device-7", TestPki.ecKey());
        EstProtocolException e = assertThrows(EstProtocolException.class,
                () -> authenticate(LabelPolicy.DEFAULTS, basic("None", "None"), stranger));
        assertEquals(401, e.status());
    }

    @Test
    void aLabelRequiringBothRefusesEitherAlone() throws Exception {
        EstProtocolException certOnly = assertThrows(EstProtocolException.class, () -> authenticate(BOTH, null, DEVICE));
        assertEquals(401, certOnly.status());
        assertEquals("HTTP authentication is required here in addition to the TLS client certificate", certOnly.getMessage());
        assertEquals("Basic realm=\"est4j\"", certOnly.headers().get("WWW-Authenticate"));

        EstProtocolException passwordOnly = assertThrows(EstProtocolException.class, () -> authenticate(BOTH, basic("est", PASSWORD)));
        assertEquals(401, passwordOnly.status());
        assertEquals("a TLS client certificate is required here in addition to HTTP authentication", passwordOnly.getMessage());

        EstProtocolException unknownUser = assertThrows(EstProtocolException.class, () -> authenticate(BOTH, basic("None", "None"), DEVICE));
        assertEquals(401, unknownUser.status());

        AuthenticatedClient both = authenticate(BOTH, basic("est", PASSWORD), DEVICE);
        assertEquals(Set.of(AuthenticationMethod.TLS_CLIENT_CERTIFICATE, AuthenticationMethod.HTTP_BASIC), both.methods());
        assertEquals(Optional.of("est"), both.username());
    }
}

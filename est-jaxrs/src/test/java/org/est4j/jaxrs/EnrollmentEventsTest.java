package org.est4j.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.est4j.jaxrs.auth.ClientCertificateValidator;
import org.est4j.jaxrs.events.Decision;
import org.est4j.jaxrs.events.EstEvents;
import org.est4j.jaxrs.auth.HashedCredentialStore;
import org.est4j.jaxrs.auth.PasswordHashes;
import org.est4j.spi.AuthenticationMethod;
import org.est4j.spi.CaException;
import org.est4j.spi.CaUnavailableException;
import org.junit.jupiter.api.Test;

/** What the protocol layer tells its {@link EstEvents}: the decisions, the failed credentials, the CA's failures. */
class EnrollmentEventsTest {

    private static final TestPki.Ca CA = TestPki.ca("Events CA");
    private static final String PASSWORD = "s3cret-pass";

    /** Every event as text, in order. */
    static final class Recorder implements EstEvents {
        final List<String> events = new ArrayList<>();
        final List<Decision> decisions = new ArrayList<>();

        @Override
        public void decided(Decision decision) {
            decisions.add(decision);
            events.add("decided " + decision.outcome().text() + " " + decision.status());
        }

        @Override
        public void authenticationFailed(String scheme, String remoteAddress) {
            events.add("auth-failed " + scheme + " " + remoteAddress);
        }

        @Override
        public void backendError(Backend backend, String operation) {
            events.add("backend " + backend + " " + operation);
        }
    }

    private final Recorder recorder = new Recorder();
    private final EnrollmentHandler handler = new EnrollmentHandler(new EnrollmentHandlerTest.RecordingCa(),
            new EstEndpointConfig(4096, "est4j", new ClientCertificateValidator(List.of(CA.certificate())),
                    new HashedCredentialStore(Map.of("est", PasswordHashes.hash(PASSWORD.toCharArray())))).withEvents(recorder));

    private EstReply enroll(String subject, String password) throws CaException {
        byte[] body = Base64.getMimeEncoder().encode(TestPki.csr(TestPki.ecKey(), subject, null));
        String authorization = "Basic " + Base64.getEncoder().encodeToString(("est:" + password).getBytes(StandardCharsets.UTF_8));
        return handler.enroll(Optional.of("iot"), new HttpRequestInfo("application/pkcs10", body.length, authorization, List.of(),
                "192.0.2.9"), new ByteArrayInputStream(body));
    }

    @Test
    void anIssuanceIsOneDecisionWithClientRequestAndCertificate() throws Exception {
        assertEquals(200, enroll("CN=device-9", PASSWORD).status());
        assertEquals(List.of("decided issued 200"), recorder.events);
        Decision d = recorder.decisions.get(0);
        assertEquals("enroll", d.operation());
        assertEquals(Optional.of("iot"), d.label());
        assertEquals(Optional.of("est"), d.client().orElseThrow().username());
        assertTrue(d.client().orElseThrow().methods().contains(AuthenticationMethod.HTTP_BASIC));
        assertEquals("CN=device-9", d.csr().orElseThrow().subject().getName());
        assertEquals(d.certificate().orElseThrow().getSerialNumber(), d.serial().orElseThrow());
    }

    @Test
    void aWrongPasswordIsAFailedCredentialAndARefusal() {
        assertThrows(EstProtocolException.class, () -> enroll("CN=device-9", "wrong"));
        assertEquals(List.of("auth-failed basic 192.0.2.9", "decided refused 401"), recorder.events);
        Decision refused = recorder.decisions.get(0);
        assertEquals(Optional.of("wrong user name or password"), refused.reason());
        assertEquals(Optional.of("est"), refused.client().orElseThrow().unverified().orElseThrow().claimedUsername(),
                "who tried, as presented");
        assertTrue(refused.client().orElseThrow().methods().isEmpty(), "and nothing proven");
    }

    @Test
    void theCasRefusalIsRecordedWithItsStatusAndReason() {
        assertThrows(CaException.class, () -> enroll("CN=forbidden", PASSWORD));
        assertEquals(List.of("decided refused 403"), recorder.events);
        assertEquals(Optional.of("subject not allowed for this client"), recorder.decisions.get(0).reason());
        assertEquals("CN=forbidden", recorder.decisions.get(0).csr().orElseThrow().subject().getName());
    }

    @Test
    void anUnavailableCaIsARefusalAndQueuedIsADecision() throws Exception {
        // the back-end error itself is counted where the failure becomes a reply (RequestEventsFilterTest)
        assertThrows(CaUnavailableException.class, () -> enroll("CN=down", PASSWORD));
        assertEquals(202, enroll("CN=pending", PASSWORD).status());
        assertEquals(List.of("decided refused 503", "decided queued 202"), recorder.events);
    }

    @Test
    void theChallengeToAClientThatPresentedNothingIsNoDecision() {
        byte[] body = Base64.getMimeEncoder().encode(TestPki.csr(TestPki.ecKey(), "CN=x", null));
        assertThrows(EstProtocolException.class, () -> handler.enroll(Optional.empty(),
                new HttpRequestInfo("application/pkcs10", body.length, null, List.of(), "192.0.2.9"), new ByteArrayInputStream(body)));
        assertEquals(List.of(), recorder.events);
    }
}

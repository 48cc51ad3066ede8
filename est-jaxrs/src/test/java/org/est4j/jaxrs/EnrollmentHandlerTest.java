package org.est4j.jaxrs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cmc.SimplePKIResponse;
import org.est4j.jaxrs.auth.ClientCertificateValidator;
import org.est4j.jaxrs.auth.HashedCredentialStore;
import org.est4j.jaxrs.auth.PasswordHashes;
import org.est4j.spi.AuthenticationMethod;
import org.est4j.spi.CaCertificates;
import org.est4j.spi.CaCertificatesRequest;
import org.est4j.spi.CaException;
import org.est4j.spi.CaService;
import org.est4j.spi.CaUnavailableException;
import org.est4j.spi.CsrAttributes;
import org.est4j.spi.CsrAttributesRequest;
import org.est4j.spi.CsrRejectedException;
import org.est4j.spi.EnrollmentForbiddenException;
import org.est4j.spi.EnrollmentRequest;
import org.est4j.spi.EnrollmentResult;
import org.est4j.spi.Issued;
import org.est4j.spi.Pending;
import org.est4j.spi.ReenrollmentRequest;
import org.est4j.spi.RenewalKind;
import org.est4j.spi.UnknownLabelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The protocol flow without a container: every status a client can see, and what the CA is told. */
class EnrollmentHandlerTest {

    private static final TestPki.Ca CA = TestPki.ca("Handler CA");
    private static final String PASSWORD = "s3cret-pass";
    private static final EstEndpointConfig CONFIG = new EstEndpointConfig(4096, "est4j",
            new ClientCertificateValidator(List.of(CA.certificate())),
            new HashedCredentialStore(Map.of("est", PasswordHashes.hash(PASSWORD.toCharArray()))));

    /** A CA that issues from {@link #CA} and records what it was asked; CN=pending/forbidden/... trigger outcomes. */
    static class RecordingCa implements CaService {
        final List<Object> requests = new ArrayList<>();

        @Override
        public CaCertificates caCertificates(CaCertificatesRequest request) throws CaException {
            if (request.label().isPresent() && !request.label().get().equals("iot")) {
                throw new UnknownLabelException(request.label().get());
            }
            return new CaCertificates(List.of(CA.certificate()));
        }

        @Override
        public EnrollmentResult enroll(EnrollmentRequest request) throws CaException {
            requests.add(request);
            String subject = request.csr().subject().getName();
            switch (subject) {
                case "CN=pending" -> { return new Pending(Duration.ofSeconds(90)); }
                case "CN=forbidden" -> throw new EnrollmentForbiddenException("subject not allowed for this client");
                case "CN=weak" -> throw new CsrRejectedException("key too weak");
                case "CN=down" -> throw new CaUnavailableException("CA temporarily unavailable", Duration.ofSeconds(30), null);
                case "CN=bug" -> throw new IllegalStateException("NullPointer deep inside at org.example.Ca");
                default -> { }
            }
            X509Certificate cert = CA.issue(subject, request.csr().publicKey(), null, KeyPurposeId.id_kp_clientAuth);
            return new Issued(cert, List.of(CA.certificate()));
        }

        @Override
        public Optional<CsrAttributes> csrAttributes(CsrAttributesRequest request) {
            requests.add(request);
            if (request.label().equals(Optional.of("iot"))) {
                // RFC 7030 section 4.5.2's example, less the ecdsa-with-SHA384 entry
                return Optional.of(new CsrAttributes(List.of(new CsrAttributes.Oid("1.2.840.113549.1.9.7"),
                        new CsrAttributes.Attribute("1.2.840.10045.2.1", List.of("1.3.132.0.34")),
                        new CsrAttributes.Attribute("1.2.840.113549.1.9.14", List.of("1.3.6.1.1.1.1.22")))));
            }
            return Optional.empty();
        }

        @Override
        public EnrollmentResult reenroll(ReenrollmentRequest request) throws CaException {
            requests.add(request);
            return new Issued(CA.issue(request.csr().subject().getName(), request.csr().publicKey(), null,
                    KeyPurposeId.id_kp_clientAuth), List.of());
        }
    }

    private final RecordingCa ca = new RecordingCa();
    private final EnrollmentHandler handler = new EnrollmentHandler(ca, CONFIG);

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] b64(byte[] der) {
        return Base64.getMimeEncoder().encode(der);
    }

    private static HttpRequestInfo http(String contentType, String authorization, byte[] body, X509Certificate... chain) {
        return new HttpRequestInfo(contentType, body.length, authorization, List.of(chain), "192.0.2.1");
    }

    private EstReply enroll(HttpRequestInfo http, byte[] body) throws CaException {
        return handler.enroll(Optional.empty(), http, new ByteArrayInputStream(body));
    }

    private EstReply errorOf(ThrowingCall call) {
        try {
            call.run();
        } catch (Throwable t) {
            return ErrorReplies.of(t);
        }
        throw new AssertionError("expected a failure");
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    private static X509Certificate onlyCertificate(EstReply reply) throws Exception {
        SimplePKIResponse response = new SimplePKIResponse(Base64.getMimeDecoder().decode(reply.body()));
        Collection<X509CertificateHolder> certs = response.getCertificates().getMatches(null);
        assertEquals(1, certs.size());
        return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(certs.iterator().next());
    }

    @Test
    void enrollsWithBasicAndAnswersCertsOnlyWithExactHeaders() throws Exception {
        KeyPair key = TestPki.ecKey();
        byte[] body = b64(TestPki.csr(key, "CN=device-1", new GeneralName[] {TestPki.dns("device-1.example")}));
        EstReply reply = enroll(http("application/pkcs10", basic("est", PASSWORD), body), body);
        assertEquals(200, reply.status());
        assertEquals("application/pkcs7-mime; smime-type=certs-only", reply.headers().get("Content-Type"));
        assertEquals("base64", reply.headers().get("Content-Transfer-Encoding"));
        assertEquals(Integer.toString(reply.body().length), reply.headers().get("Content-Length"));
        X509Certificate issued = onlyCertificate(reply);
        assertEquals("CN=device-1", issued.getSubjectX500Principal().getName());
        assertArrayEquals(key.getPublic().getEncoded(), issued.getPublicKey().getEncoded());

        EnrollmentRequest seen = (EnrollmentRequest) ca.requests.get(0);
        assertEquals(Optional.of("est"), seen.client().username());
        assertTrue(seen.client().methods().contains(AuthenticationMethod.HTTP_BASIC));
        assertEquals("192.0.2.1", seen.client().remoteAddress());
        assertEquals("device-1.example", seen.csr().subjectAltNames().get(0).value());
    }

    @Test
    void acceptsTheDraftMediaTypeAndPemArmour() throws Exception {
        byte[] der = TestPki.csr(TestPki.ecKey(), "CN=old-device", null);
        byte[] body = ("-----BEGIN CERTIFICATE REQUEST-----\n" + new String(b64(der), StandardCharsets.US_ASCII)
                + "\n-----END CERTIFICATE REQUEST-----\n").getBytes(StandardCharsets.US_ASCII);
        assertEquals(200, enroll(http("application/x-est-pkcs10", basic("est", PASSWORD), body), body).status());
    }

    @Test
    void enrollsWithAValidClientCertificateAlone() throws Exception {
        KeyPair deviceKey = TestPki.ecKey();
        X509Certificate idevid = CA.issue("CN=factory-42", deviceKey.getPublic(), null);
        byte[] body = b64(TestPki.csr(TestPki.ecKey(), "CN=factory-42", null));
        assertEquals(200, enroll(http("application/pkcs10", null, body, idevid), body).status());
        EnrollmentRequest seen = (EnrollmentRequest) ca.requests.get(0);
        assertEquals(List.of(idevid), seen.client().certificateChain());
        assertEquals(java.util.Set.of(AuthenticationMethod.TLS_CLIENT_CERTIFICATE), seen.client().methods());
    }

    @Test
    void challengesUnauthenticatedClientsWithBasic() {
        byte[] body = b64(TestPki.csr(TestPki.ecKey(), "CN=x", null));
        EstReply reply = errorOf(() -> enroll(http("application/pkcs10", null, body), body));
        assertEquals(401, reply.status());
        assertEquals("Basic realm=\"est4j\"", reply.headers().get("WWW-Authenticate"));
        // empty: the challenge is the first leg of HTTP authentication (BouncyCastle's client needs it so)
        assertEquals("0", reply.headers().get("Content-Length"));
        assertEquals(0, reply.body().length);
        assertTrue(ca.requests.isEmpty());
    }

    @Test
    void refusesASelfSignedClientCertificateEvenIfTheContainerPassedIt() {
        KeyPair key = TestPki.ecKey();
        byte[] body = b64(TestPki.csr(key, "CN=attacker", null));
        EstReply reply = errorOf(() -> handler.reenroll(Optional.empty(),
                http("application/pkcs10", null, body, TestPki.selfSigned("CN=attacker", key)), new ByteArrayInputStream(body)));
        assertEquals(401, reply.status());
        assertTrue(new String(reply.body(), StandardCharsets.UTF_8).contains("not accepted"));
        assertTrue(ca.requests.isEmpty());
    }

    @Test
    void wrongPasswordIsRefusedEvenWithAValidCertificate() {
        KeyPair key = TestPki.ecKey();
        X509Certificate cert = CA.issue("CN=dev", key.getPublic(), null);
        byte[] body = b64(TestPki.csr(key, "CN=dev", null));
        EstReply reply = errorOf(() -> enroll(http("application/pkcs10", basic("est", "wrong"), body, cert), body));
        assertEquals(401, reply.status());
        assertEquals("401 wrong user name or password\n", new String(reply.body(), StandardCharsets.UTF_8));
        assertEquals("Basic realm=\"est4j\"", reply.headers().get("WWW-Authenticate"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "wrong media type     | text/plain          | 415",
            "no media type        |                     | 415",
            "garbage body         | application/pkcs10  | 400",
    })
    void refusesBadRequestsBeforeTheCa(String name, String contentType, int status) {
        byte[] body = "this is not a certificate request".getBytes(StandardCharsets.US_ASCII);
        EstReply reply = errorOf(() -> enroll(http(contentType, basic("est", PASSWORD), body), body));
        assertEquals(status, reply.status());
        String text = new String(reply.body(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith(status + " ") && text.endsWith("\n") && text.indexOf('\n') == text.length() - 1, text);
        assertTrue(ca.requests.isEmpty());
    }

    @Test
    void refusesOversizedBodiesBeforeReadingThem() {
        byte[] big = new byte[5000];
        HttpRequestInfo declared = new HttpRequestInfo("application/pkcs10", big.length, null, List.of(), "192.0.2.1");
        assertEquals(413, errorOf(() -> enroll(declared, big)).status(), "declared length, before authentication");
        HttpRequestInfo chunked = new HttpRequestInfo("application/pkcs10", -1, basic("est", PASSWORD), List.of(), "192.0.2.1");
        java.util.Arrays.fill(big, (byte) 'A');
        assertEquals(413, errorOf(() -> enroll(chunked, big)).status(), "counted while reading");
    }

    @Test
    void pendingBecomes202WithRetryAfter() throws Exception {
        byte[] body = b64(TestPki.csr(TestPki.ecKey(), "CN=pending", null));
        EstReply reply = enroll(http("application/pkcs10", basic("est", PASSWORD), body), body);
        assertEquals(202, reply.status());
        assertEquals("90", reply.headers().get("Retry-After"));
        assertEquals("0", reply.headers().get("Content-Length"));
        assertEquals(0, reply.body().length);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"CN=forbidden, 403", "CN=weak, 400", "CN=down, 503", "CN=bug, 500"})
    void caFailuresMapToStatusesWithoutLeakingInternals(String subject, int status) {
        byte[] body = b64(TestPki.csr(TestPki.ecKey(), subject, null));
        EstReply reply = errorOf(() -> enroll(http("application/pkcs10", basic("est", PASSWORD), body), body));
        assertEquals(status, reply.status());
        String text = new String(reply.body(), StandardCharsets.UTF_8);
        assertFalse(text.contains("org.example") || text.contains("Exception") || text.contains("database"), text);
        if (status == 503) {
            assertEquals("30", reply.headers().get("Retry-After"));
        }
        if (status == 500) {
            assertTrue(text.contains("request id"), text);
        }
    }

    @Test
    void reenrollRenewsAndRekeysTheAuthenticatedCertificate() throws Exception {
        KeyPair key = TestPki.ecKey();
        X509Certificate current = CA.issue("CN=router-1", key.getPublic(), null);
        byte[] renew = b64(TestPki.csr(key, "CN=router-1", null));
        assertEquals(200, handler.reenroll(Optional.empty(), http("application/pkcs10", null, renew, current),
                new ByteArrayInputStream(renew)).status());
        byte[] rekey = b64(TestPki.csr(TestPki.ecKey(), "CN=router-1", null));
        assertEquals(200, handler.reenroll(Optional.of("iot"), http("application/pkcs10", null, rekey, current),
                new ByteArrayInputStream(rekey)).status());
        ReenrollmentRequest first = (ReenrollmentRequest) ca.requests.get(0);
        ReenrollmentRequest second = (ReenrollmentRequest) ca.requests.get(1);
        assertEquals(RenewalKind.RENEW, first.kind());
        assertEquals(RenewalKind.REKEY, second.kind());
        assertEquals(current, second.currentCertificate());
        assertEquals(Optional.of("iot"), second.label());
    }

    @Test
    void reenrollOfAnotherSubjectIsForbidden() {
        KeyPair key = TestPki.ecKey();
        X509Certificate current = CA.issue("CN=router-1", key.getPublic(), null);
        byte[] body = b64(TestPki.csr(key, "CN=router-2", null));
        EstReply reply = errorOf(() -> handler.reenroll(Optional.empty(), http("application/pkcs10", null, body, current),
                new ByteArrayInputStream(body)));
        assertEquals(403, reply.status());
        assertTrue(ca.requests.isEmpty());
    }

    @Test
    void reenrollWithoutAClientCertificateIsForbidden() {
        byte[] body = b64(TestPki.csr(TestPki.ecKey(), "CN=router-1", null));
        EstReply reply = errorOf(() -> handler.reenroll(Optional.empty(),
                http("application/pkcs10", basic("est", PASSWORD), body), new ByteArrayInputStream(body)));
        assertEquals(403, reply.status());
        assertTrue(new String(reply.body(), StandardCharsets.UTF_8).contains("TLS client authentication"));
    }

    @Test
    void caCertsAreACertsOnlyMessageWithTheCaCertificate() throws Exception {
        EstReply reply = handler.caCertificates(Optional.empty(), "192.0.2.1");
        assertEquals(200, reply.status());
        assertEquals("application/pkcs7-mime", reply.headers().get("Content-Type"));
        assertEquals(CA.certificate(), onlyCertificate(reply));
        assertNull(reply.headers().get("WWW-Authenticate"));
        assertEquals(404, errorOf(() -> handler.caCertificates(Optional.of("other"), "192.0.2.1")).status());
    }

    @Test
    void caCertsAreEncodedOnceAndReEncodedWhenTheCaChangesThem() throws Exception {
        EstReply first = handler.caCertificates(Optional.empty(), "192.0.2.1");
        EstReply second = handler.caCertificates(Optional.empty(), "192.0.2.2");
        assertSame(first, second, "the same certificates: the encoded reply is reused");
        TestPki.Ca rolledOver = TestPki.ca("Rolled-over CA");
        EnrollmentHandler changing = new EnrollmentHandler(new RecordingCa() {
            int calls;

            @Override
            public CaCertificates caCertificates(CaCertificatesRequest request) {
                return new CaCertificates(List.of(calls++ == 0 ? CA.certificate() : rolledOver.certificate()));
            }
        }, CONFIG);
        assertEquals(CA.certificate(), onlyCertificate(changing.caCertificates(Optional.empty(), "192.0.2.1")));
        assertEquals(rolledOver.certificate(), onlyCertificate(changing.caCertificates(Optional.empty(), "192.0.2.1")));
    }

    @Test
    void csrAttributesAreBase64DerCsrAttrsOr204() throws Exception {
        EstReply none = handler.csrAttributes(Optional.empty(), http(null, null, new byte[0]));
        assertEquals(204, none.status());
        assertEquals(0, none.body().length);

        KeyPair key = TestPki.ecKey();
        X509Certificate device = CA.issue("CN=sensor-9", key.getPublic(), null);
        EstReply reply = handler.csrAttributes(Optional.of("iot"), http(null, null, new byte[0], device));
        assertEquals(200, reply.status());
        assertEquals("application/csrattrs", reply.headers().get("Content-Type"));
        assertEquals("base64", reply.headers().get("Content-Transfer-Encoding"));
        org.bouncycastle.est.CSRAttributesResponse parsed = new org.bouncycastle.est.CSRAttributesResponse(
                Base64.getMimeDecoder().decode(reply.body()));
        assertTrue(parsed.hasRequirement(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_challengePassword));
        assertTrue(parsed.isAttribute(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey));
        assertTrue(parsed.isAttribute(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_extensionRequest));
        assertEquals(3, parsed.getRequirements().size());
        CsrAttributesRequest seen = (CsrAttributesRequest) ca.requests.get(1);
        assertEquals(Optional.of(device), seen.client().certificate(), "a validated TLS certificate identifies the client");

        EstReply selfSigned = handler.csrAttributes(Optional.empty(),
                http(null, null, new byte[0], TestPki.selfSigned("CN=x", key)));
        assertEquals(204, selfSigned.status(), "never a challenge; an invalid certificate is simply anonymous");
        assertFalse(((CsrAttributesRequest) ca.requests.get(2)).client().isAuthenticated());
    }
}

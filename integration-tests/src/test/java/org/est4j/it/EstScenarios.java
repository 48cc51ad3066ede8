package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManager;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.est.CACertsResponse;
import org.bouncycastle.est.ESTAuth;
import org.bouncycastle.est.ESTException;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.EnrollmentResponse;
import org.bouncycastle.est.HttpAuth;
import org.bouncycastle.est.jcajce.JcaJceUtils;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The EST scenarios of est4j as a user sees them, written once and run against every container set-up
 * (a subclass supplies the {@code @Deployment} and the set-up's own TLS behaviour). The server is reached
 * over real HTTPS: BouncyCastle's EST client (the conformance client), {@code java.net.http} for exact wire
 * details, and curl + openssl for the README commands.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class EstScenarios {

    static final String PKCS7_MIME = "application/pkcs7-mime";
    static final String CERTS_ONLY = "application/pkcs7-mime; smime-type=certs-only";
    static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    static final String REALM = "est4j";

    static {
        Pki.registerBouncyCastle();
    }

    EstTarget target;

    @BeforeEach
    void readTarget() {
        target = EstTarget.fromSystemProperties();
    }

    // ---- /cacerts ------------------------------------------------------------------------------------

    @Test
    void cacertsIsBase64CertsOnlyWithExactlyTheCaCertificate() throws Exception {
        EstHttp.Reply reply = anonymous().get("cacerts");

        assertEquals(200, reply.status(), reply::toString);
        assertEquals(PKCS7_MIME, reply.requiredHeader("Content-Type"));
        assertEquals("base64", reply.requiredHeader("Content-Transfer-Encoding"));
        assertEquals(Integer.toString(reply.body().length), reply.requiredHeader("Content-Length"));
        assertFalse(reply.header("Transfer-Encoding").isPresent(), "libest refuses chunked responses");
        assertBase64Lines(reply);
        assertEquals(List.of(target.ca()), Pki.certsOnly(reply.base64Body()));
    }

    @Test
    void bcClientGetsTheCaCertificate() throws Exception {
        CACertsResponse response = bcClient(null).getCACerts();

        assertTrue(response.hasCertificates());
        assertEquals(List.of(target.ca()), Pki.toCertificates(response.getCertificateStore().getMatches(null)));
    }

    @Test
    void unknownLabelIs404() throws Exception {
        EstHttp.Reply reply = anonymous().get("nolabel/cacerts");

        assertEquals(404, reply.status(), reply::toString);
        assertOneLineText(reply);
        assertTrue(reply.text().contains("nolabel"), () -> "the reason must name the unknown label: " + reply);
    }

    // ---- /simpleenroll -------------------------------------------------------------------------------

    @Test
    void enrollWithBasicAuthAnswersCertsOnlyWithTheIssuedCertificate() throws Exception {
        KeyPair keys = Pki.p256();
        PKCS10CertificationRequest csr = Pki.csr(keys, "CN=raw-enroll-1,O=est4j-it", "raw-enroll-1.example.org");

        EstHttp.Reply reply = withPassword().postCsr("simpleenroll", csr.getEncoded());

        assertEquals(200, reply.status(), reply::toString);
        assertEquals(CERTS_ONLY, reply.requiredHeader("Content-Type"));
        assertEquals("base64", reply.requiredHeader("Content-Transfer-Encoding"));
        assertEquals(Integer.toString(reply.body().length), reply.requiredHeader("Content-Length"));
        assertFalse(reply.header("Transfer-Encoding").isPresent(), "libest refuses chunked responses");
        assertBase64Lines(reply);
        List<X509Certificate> certs = Pki.certsOnly(reply.base64Body());
        assertEquals(1, certs.size(), "RFC 7030 4.2.3: only the issued certificate");
        assertIssued(certs.get(0), csr, keys, "raw-enroll-1.example.org");
    }

    /**
     * BouncyCastle's challenge-driven Basic flow: a first request without credentials, a 401 with
     * {@code WWW-Authenticate: Basic realm="est4j"} (the realm is checked by HttpAuth), then the request again with
     * credentials. Note: BouncyCastle 1.87's HttpAuth closes that 401 without reading its body, and its
     * ESTResponse then throws "Stream closed before limit fully read" when the 401 has a non-empty body with a
     * Content-Length: a BC client can only do this if the challenge carries no body.
     */
    @Test
    void bcClientEnrollsWithHttpBasic() throws Exception {
        KeyPair keys = Pki.p256();
        PKCS10CertificationRequest csr = Pki.csr(keys, "CN=bc-enroll-1,O=est4j-it", "bc-enroll-1.example.org");

        EnrollmentResponse response = bcClient(null).simpleEnroll(false, csr, basicAuth());

        assertTrue(response.isCompleted());
        List<X509Certificate> certs = Pki.toCertificates(response.getStore().getMatches(null));
        assertEquals(1, certs.size());
        assertIssued(certs.get(0), csr, keys, "bc-enroll-1.example.org");
    }

    /**
     * The same enrollment with the credentials sent up front (no 401 round trip), so that a problem in the
     * challenge flow above does not hide whether enrollment itself works.
     */
    @Test
    void bcClientEnrollsWithPreemptiveBasicCredentials() throws Exception {
        KeyPair keys = Pki.p256();
        PKCS10CertificationRequest csr = Pki.csr(keys, "CN=bc-enroll-2,O=est4j-it", "bc-enroll-2.example.org");

        EnrollmentResponse response = bcClient(null).simpleEnroll(false, csr, preemptiveBasic());

        assertTrue(response.isCompleted());
        List<X509Certificate> certs = Pki.toCertificates(response.getStore().getMatches(null));
        assertEquals(1, certs.size());
        assertIssued(certs.get(0), csr, keys, "bc-enroll-2.example.org");
    }

    /** The local CA asks for nothing by default: 204, which BouncyCastle's client reads as "no attributes". */
    @Test
    void csrattrsWithoutConfiguredAttributesIs204() throws Exception {
        EstHttp.Reply reply = anonymous().get("csrattrs");
        assertEquals(204, reply.status(), reply::toString);
        assertEquals(0, reply.body().length);
        assertFalse(bcClient(null).getCSRAttributes().hasAttributesResponse());
    }

    /** draft-ietf-pkix-est-02 clients use mixed-case operation names and application/x-est-pkcs10. */
    @Test
    void draft02OperationNamesAndMediaTypeWork() throws Exception {
        EstHttp.Reply cacerts = anonymous().get("CACerts");
        assertEquals(200, cacerts.status(), cacerts::toString);
        assertEquals(List.of(target.ca()), Pki.certsOnly(cacerts.base64Body()));

        EstHttp.Reply enrolled = withPassword().post("simpleEnroll", "application/x-est-pkcs10",
                Base64.getMimeEncoder().encode(Pki.csr(Pki.p256(), "CN=draft-02-device").getEncoded()));
        assertEquals(200, enrolled.status(), enrolled::toString);
        assertEquals(CERTS_ONLY, enrolled.requiredHeader("Content-Type"));
    }

    /** Server-side key generation is off unless a label enables it (RFC 7030 4.4 advises against it): 501, not 404. */
    @Test
    void serverKeyGenerationIsOffByDefault() throws Exception {
        for (String operation : new String[] {"serverkeygen", "serverKeyGen"}) {
            EstHttp.Reply reply = withPassword().post(operation, "application/pkcs10", new byte[] {'A'});
            assertEquals(501, reply.status(), reply::toString);
            assertOneLineText(reply);
        }
    }

    /** Some device clients send {@code Accept: text/plain} or other types: est4j answers with its own type anyway. */
    @Test
    void unusualAcceptHeadersStillGetTheCertificate() throws Exception {
        for (String accept : new String[] {"text/plain", "application/pkcs7-mime; smime-type=certs-only", "*/*", "application/json"}) {
            EstHttp.Reply reply = withPassword().header("Accept", accept)
                    .postCsr("simpleenroll", Pki.csr(Pki.p256(), "CN=accept-test").getEncoded());
            assertEquals(200, reply.status(), () -> "Accept: " + accept + " -> " + reply);
            assertEquals(CERTS_ONLY, reply.requiredHeader("Content-Type"), () -> "Accept: " + accept);
        }
    }

    @Test
    void enrollWithoutCredentialsIs401WithBasicChallenge() throws Exception {
        EstHttp.Reply reply = anonymous().postCsr("simpleenroll", Pki.csr(Pki.p256(), "CN=no-auth").getEncoded());

        assertEquals(401, reply.status(), reply::toString);
        assertEquals("Basic realm=\"" + REALM + "\"", reply.requiredHeader("WWW-Authenticate"));
        // The bare challenge has no body: BouncyCastle's client (1.87) fails on a 401 body it does not read
        // (ChallengeBodyTest); it is still est4j's text/plain, never the container's HTML.
        assertEquals("0", reply.requiredHeader("Content-Length"));
        assertTrue(reply.requiredHeader("Content-Type").replace(" ", "").equalsIgnoreCase("text/plain;charset=utf-8"), reply::toString);
        assertEquals(0, reply.body().length, reply::toString);
    }

    @Test
    void enrollWithWrongPasswordIs401() throws Exception {
        EstHttp.Reply reply = anonymous().basic(target.user(), target.password() + "x")
                .postCsr("simpleenroll", Pki.csr(Pki.p256(), "CN=wrong-password").getEncoded());

        assertEquals(401, reply.status(), reply::toString);
        assertEquals("Basic realm=\"" + REALM + "\"", reply.requiredHeader("WWW-Authenticate"));
        assertOneLineText(reply);
    }

    @Test
    void enrollWithBodyThatIsNotBase64Is400() throws Exception {
        EstHttp.Reply reply = withPassword().post("simpleenroll", "application/pkcs10",
                "this is no certificate request!\n".getBytes(StandardCharsets.US_ASCII));

        assertEquals(400, reply.status(), reply::toString);
        assertOneLineText(reply);
    }

    @Test
    void enrollWithBase64ThatIsNotACsrIs400() throws Exception {
        byte[] garbage = new byte[300];
        new SecureRandom().nextBytes(garbage);
        garbage[0] = 0x04; // not a DER SEQUENCE, so it cannot pass as raw DER either
        EstHttp.Reply reply = withPassword().post("simpleenroll", "application/pkcs10", Base64.getMimeEncoder().encode(garbage));

        assertEquals(400, reply.status(), reply::toString);
        assertOneLineText(reply);
    }

    @Test
    void enrollWithBrokenCsrSignatureIs400() throws Exception {
        byte[] der = Pki.csr(Pki.p256(), "CN=broken-signature").getEncoded();
        // The DER ends with the signature BIT STRING, whose last octet is the last octet of ECDSA's s:
        // flipping one bit there keeps the structure well-formed and breaks only the signature.
        der[der.length - 1] ^= 0x01;

        EstHttp.Reply reply = withPassword().postCsr("simpleenroll", der);

        assertEquals(400, reply.status(), reply::toString);
        assertOneLineText(reply);
    }

    @Test
    void enrollWithTextPlainIs415() throws Exception {
        byte[] base64 = Base64.getMimeEncoder().encode(Pki.csr(Pki.p256(), "CN=text-plain").getEncoded());

        EstHttp.Reply reply = withPassword().post("simpleenroll", "text/plain", base64);

        assertEquals(415, reply.status(), reply::toString);
        assertOneLineText(reply);
    }

    @Test
    void enrollOver64KiBIs413() throws Exception {
        byte[] body = new byte[64 * 1024 + 1];
        Arrays.fill(body, (byte) 'A');

        EstHttp.Reply reply = withPassword().post("simpleenroll", "application/pkcs10", body);

        assertEquals(413, reply.status(), reply::toString);
        assertOneLineText(reply);
    }

    // ---- /simplereenroll -----------------------------------------------------------------------------

    @Test
    void bcClientRenewsWithTheIssuedCertificateAsTlsClientCertificate() throws Exception {
        KeyPair keys = Pki.p256();
        X509Certificate current = enroll(keys, "CN=renew-1,O=est4j-it", "renew-1.example.org");
        PKCS10CertificationRequest csr = Pki.csr(keys, "CN=renew-1,O=est4j-it", "renew-1.example.org");

        EnrollmentResponse response = bcClient(Pki.clientKey(keys.getPrivate(), current, target.ca()))
                .simpleEnroll(true, csr, null);

        List<X509Certificate> certs = Pki.toCertificates(response.getStore().getMatches(null));
        assertEquals(1, certs.size());
        X509Certificate renewed = certs.get(0);
        assertEquals(current.getSubjectX500Principal(), renewed.getSubjectX500Principal());
        assertFalse(current.getSerialNumber().equals(renewed.getSerialNumber()), "a renewal is a new certificate");
        assertIssued(renewed, csr, keys, "renew-1.example.org");
    }

    @Test
    void bcClientRekeysWithTheIssuedCertificateAsTlsClientCertificate() throws Exception {
        KeyPair oldKeys = Pki.p256();
        X509Certificate current = enroll(oldKeys, "CN=rekey-1,O=est4j-it", "rekey-1.example.org");
        KeyPair newKeys = Pki.p256();
        PKCS10CertificationRequest csr = Pki.csr(newKeys, "CN=rekey-1,O=est4j-it", "rekey-1.example.org");

        EnrollmentResponse response = bcClient(Pki.clientKey(oldKeys.getPrivate(), current, target.ca()))
                .simpleEnroll(true, csr, null);

        List<X509Certificate> certs = Pki.toCertificates(response.getStore().getMatches(null));
        assertEquals(1, certs.size());
        X509Certificate rekeyed = certs.get(0);
        assertEquals(current.getSubjectX500Principal(), rekeyed.getSubjectX500Principal());
        assertFalse(Arrays.equals(current.getPublicKey().getEncoded(), rekeyed.getPublicKey().getEncoded()));
        assertIssued(rekeyed, csr, newKeys, "rekey-1.example.org");
    }

    @Test
    void reenrollAnswersWithTheExactCertsOnlyContentType() throws Exception {
        KeyPair keys = Pki.p256();
        X509Certificate current = enroll(keys, "CN=renew-raw-1", "renew-raw-1.example.org");

        EstHttp.Reply reply = withClientCertificate(keys, current)
                .postCsr("simplereenroll", Pki.csr(keys, "CN=renew-raw-1", "renew-raw-1.example.org").getEncoded());

        assertEquals(200, reply.status(), reply::toString);
        assertEquals(CERTS_ONLY, reply.requiredHeader("Content-Type"));
        List<X509Certificate> certs = Pki.certsOnly(reply.base64Body());
        assertEquals(1, certs.size());
        assertEquals(current.getSubjectX500Principal(), certs.get(0).getSubjectX500Principal());
    }

    /**
     * Some clients always send {@code Authorization: Basic} (libest-based firmware sends {@code None:None} when no user
     * was set): an HTTP user est4j does not know, beside a valid TLS client certificate, is ignored and the certificate
     * authenticates. A wrong password of the known user stays a 401.
     */
    @Test
    void reenrollWithTheCertificateAndAJunkBasicHeaderIsIssued() throws Exception {
        KeyPair keys = Pki.p256();
        X509Certificate current = enroll(keys, "CN=renew-none-none");

        EstHttp.Reply reply = withClientCertificate(keys, current).basic("None", "None")
                .postCsr("simplereenroll", Pki.csr(keys, "CN=renew-none-none").getEncoded());
        assertEquals(200, reply.status(), reply::toString);

        EstHttp.Reply wrongPassword = withClientCertificate(keys, current).basic(target.user(), "not-the-password")
                .postCsr("simplereenroll", Pki.csr(keys, "CN=renew-none-none").getEncoded());
        assertEquals(401, wrongPassword.status(), wrongPassword::toString);
    }

    @Test
    void reenrollForAnotherSubjectIs403() throws Exception {
        KeyPair keys = Pki.p256();
        X509Certificate current = enroll(keys, "CN=device-a,O=est4j-it");

        EstHttp.Reply reply = withClientCertificate(keys, current)
                .postCsr("simplereenroll", Pki.csr(keys, "CN=device-b,O=est4j-it").getEncoded());

        assertEquals(403, reply.status(), reply::toString);
        assertOneLineText(reply);
        assertTrue(reply.text().contains("subject"), () -> "the reason must name the subject rule: " + reply);
    }

    @Test
    void reenrollWithOnlyBasicAuthIs403() throws Exception {
        EstHttp.Reply reply = withPassword().postCsr("simplereenroll", Pki.csr(Pki.p256(), "CN=basic-only").getEncoded());

        // est-jaxrs EnrollmentHandler.reenroll: the client is authenticated (Basic), but there is no
        // certificate to renew, so the request is forbidden rather than unauthenticated.
        assertEquals(403, reply.status(), reply::toString);
        assertOneLineText(reply);
        assertTrue(reply.text().contains("TLS client authentication"), () -> "the reason must say a client certificate is needed: " + reply);
    }

    // ---- the README flow -----------------------------------------------------------------------------

    @Test
    void readmeFlowWithCurlAndOpenssl() throws Exception {
        Path script = Path.of(EstScenarios.class.getResource("/readme-flow.sh").toURI());
        Path work = Path.of("target", "readme-flow", getClass().getSimpleName()).toAbsolutePath();
        Files.createDirectories(work);
        Files.deleteIfExists(work.resolve("device.pem"));
        Files.deleteIfExists(work.resolve("renewed.pem"));
        assertReadmeShowsTheScriptVerbatim(script);

        Process process = new ProcessBuilder("bash", script.toString(), target.authority(), target.estHome().toString(), work.toString())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // a guard against a hung child, not an assertion on time
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                throw new AssertionError("readme-flow.sh did not finish");
            }
        } finally {
            process.destroyForcibly();
        }

        assertEquals(0, process.exitValue(), output);
        int pem = output.indexOf("-----BEGIN CERTIFICATE-----");
        assertTrue(pem >= 0, () -> "cacerts printed no certificate:\n" + output);
        X509Certificate printed = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(output.substring(pem).getBytes(StandardCharsets.US_ASCII)));
        assertEquals(target.ca(), printed, "the first certificate printed from /cacerts is the CA certificate");
        assertTrue(output.contains("device.pem: OK"), () -> "openssl verify did not say OK:\n" + output);
        X509Certificate device = Pki.readCertificate(work.resolve("device.pem"));
        assertEquals(new X500Principal("CN=device-1"), device.getSubjectX500Principal());
        assertEquals("device-1.example", device.getSubjectAlternativeNames().iterator().next().get(1));
        Pki.pkixValidate(device, target.ca());

        assertTrue(output.contains("renewed.pem: OK"), () -> "the renewed certificate did not verify:\n" + output);
        X509Certificate renewed = Pki.readCertificate(work.resolve("renewed.pem"));
        assertEquals(device.getSubjectX500Principal(), renewed.getSubjectX500Principal());
        assertArrayEquals(device.getPublicKey().getEncoded(), renewed.getPublicKey().getEncoded(), "curl renewed with the same key");
        assertFalse(device.getSerialNumber().equals(renewed.getSerialNumber()), "a renewal is a new certificate");
    }

    /** Every line between the script's README markers must stand in README.md as it is. */
    static void assertReadmeShowsTheScriptVerbatim(Path script) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
        List<String> flow = lines.subList(lines.indexOf("# BEGIN README") + 1, lines.indexOf("# END README"));
        assertFalse(flow.isEmpty());
        for (String line : flow) {
            assertTrue(readme.contains(line + "\n"), () -> "README.md no longer shows the tested command line: " + line);
        }
    }

    // ---- RFC 8295: /pal, /crls, /firmware ---------------------------------------------------------------

    /**
     * An operator drops a signed firmware package into {@code EST_HOME/packages/default/firmware/}: without a restart,
     * the package availability list of a client that logged in with a password names it (with "start enrollment",
     * since the client has no certificate yet), and {@code /firmware} hands out exactly those bytes. Decoded with
     * Python's pyasn1-modules, not with BouncyCastle.
     */
    @Test
    void firmwareDroppedIntoThePackageDirectoryIsListedInThePalAndServed() throws Exception {
        KeyPair vendorKeys = Pki.p256();
        byte[] firmware = Rfc8295Messages.firmwarePackage(vendorKeys.getPrivate(), Pki.selfSigned(vendorKeys, "CN=Scenario Vendor"),
                "scenario image".getBytes(StandardCharsets.US_ASCII),
                new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.4.1.55555.9.1"), 1, List.of());
        Path dir = target.estHome().resolve("packages/default/firmware");
        Files.createDirectories(dir);
        Path file = Files.write(dir.resolve("scenario-" + Long.toHexString(new SecureRandom().nextLong()) + ".der"), firmware);
        try {
            EstHttp.Reply pal = withPassword().get("pal");
            assertEquals(200, pal.status(), pal::toString);
            assertTrue(pal.requiredHeader("Content-Type").startsWith("application/xml"), pal::toString);
            List<String> types = new ArrayList<>();
            IndependentDecoders.pyasn1("pal-xml", pal.body()).forEach(m -> types.add(m.get("type").asText()));
            assertTrue(types.containsAll(List.of("0002", "0026", "0027")) && (types.contains("0006") || types.contains("0007")),
                    types::toString);

            EstHttp.Reply served = withPassword().get("firmware?id=" + file.getFileName());
            assertEquals(200, served.status(), served::toString);
            assertArrayEquals(firmware, served.base64Body());
            assertEquals("1.2.840.113549.1.9.16.1.16",
                    IndependentDecoders.pyasn1("signed", served.base64Body()).get("eContentType").asText());
            assertEquals(401, anonymous().get("firmware").status());
        } finally {
            Files.delete(file);
        }
    }

    /** {@code /crls} needs no authentication and carries the CA's CRL, which openssl reads. */
    @Test
    void crlsIsCertsOnlyWithTheCasCrl() throws Exception {
        EstHttp.Reply reply = anonymous().get("crls");

        assertEquals(200, reply.status(), reply::toString);
        assertEquals(CERTS_ONLY, reply.requiredHeader("Content-Type"));
        String printed = IndependentDecoders.openssl(reply.base64Body(), "pkcs7", "-inform", "DER", "-print_certs", "-text", "-noout");
        assertTrue(printed.contains("Certificate Revocation List"), printed);
        // openssl's one-line form of the CA's name, e.g. "Issuer: CN = est4j Local CA default"
        assertTrue(printed.contains("Issuer: " + target.ca().getSubjectX500Principal().getName().replace(",", ", ").replace("=", " = ")),
                printed);
    }

    // ---- operations: probes and metrics ------------------------------------------------------------------

    /**
     * The probes answer on the server itself, and {@code /metrics} is closed by default: 404, not an anonymous page,
     * while neither {@code metrics.token-file} nor {@code metrics.client-subject} is set (this deployment sets none).
     * Behind a TLS terminator only {@code /.well-known/est/} is forwarded, so the subclasses there skip it.
     */
    @Test
    void probesAnswerAndMetricsAreClosedByDefault() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(this instanceof BehindProxyScenarios, "only /.well-known/est/ is proxied");
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(Pki.tls(target.ca(), null))
                .connectTimeout(java.time.Duration.ofSeconds(20)).build();
        for (String path : List.of("/health/live", "/health/ready", "/metrics")) {
            java.net.http.HttpResponse<String> reply = client.send(java.net.http.HttpRequest.newBuilder(target.estBase().resolve(path))
                    .timeout(java.time.Duration.ofSeconds(30)).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(path.equals("/metrics") ? 404 : 200, reply.statusCode(), () -> path + ": " + reply.body());
            assertFalse(reply.body().contains("est4j_"), () -> path + " shows metrics: " + reply.body());
        }
    }

    // ---- self-signed client certificates, for the subclasses whose TLS set-up decides what happens ----------

    /** Where the TLS layer judges client certificates (JSSE, Elytron): a self-signed one never gets an HTTP exchange. */
    void assertSelfSignedClientCertificateFailsTheHandshake() throws Exception {
        KeyPair keys = Pki.p256();
        X509Certificate selfSigned = Pki.selfSigned(keys, "CN=self-signed-device");
        EstHttp client = withClientCertificate(keys, selfSigned).basic(target.user(), target.password());

        IOException failure = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> client.postCsr("simpleenroll", Pki.csr(keys, "CN=self-signed-device").getEncoded()),
                "the TLS layer must refuse a client certificate from an unknown CA");
        assertTrue(hasCause(failure, javax.net.ssl.SSLException.class), () -> "expected a TLS failure, got " + failure);
    }

    /**
     * Where any client certificate reaches est4j (OpenSSL optionalNoCA, a TLS terminator): a self-signed one
     * presented to {@code operation}, with or without valid HTTP credentials.
     */
    EstHttp.Reply selfSignedAttempt(String operation, boolean withPassword) throws Exception {
        KeyPair keys = Pki.p256();
        X509Certificate selfSigned = Pki.selfSigned(keys, "CN=self-signed-device");
        EstHttp client = withClientCertificate(keys, selfSigned);
        if (withPassword) {
            client.basic(target.user(), target.password());
        }
        return client.postCsr(operation, Pki.csr(keys, "CN=self-signed-device").getEncoded());
    }

    static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    // ---- helpers shared by the subclasses ------------------------------------------------------------

    EstHttp anonymous() throws GeneralSecurityException, IOException {
        return new EstHttp(target.estBase(), Pki.tls(target.ca(), null));
    }

    EstHttp withPassword() throws GeneralSecurityException, IOException {
        return anonymous().basic(target.user(), target.password());
    }

    EstHttp withClientCertificate(KeyPair keys, X509Certificate... chain) throws GeneralSecurityException, IOException {
        return new EstHttp(target.estBase(), Pki.tls(target.ca(), Pki.clientKey(keys.getPrivate(), chain)));
    }

    ESTService bcClient(KeyManager clientKey) {
        X509TrustManager[] trust = JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(target.ca(), null)), null);
        JsseESTServiceBuilder builder = new JsseESTServiceBuilder(target.authority(), trust);
        if (clientKey != null) {
            builder.withKeyManagers(new KeyManager[] {clientKey});
        }
        return builder.build();
    }

    HttpAuth basicAuth() throws Exception {
        return new HttpAuth(REALM, target.user(), target.password().toCharArray(), new SecureRandom(),
                new JcaDigestCalculatorProviderBuilder().build());
    }

    /** HTTP Basic sent with the first request, as curl -u does; BouncyCastle's HttpAuth waits for a 401 challenge. */
    ESTAuth preemptiveBasic() {
        return preemptiveBasicFor(target);
    }

    /** HTTP Basic sent with the first request (no 401 round trip), as many device clients do. */
    static ESTAuth preemptiveBasicFor(EstTarget target) {
        String token = Base64.getEncoder().encodeToString((target.user() + ":" + target.password()).getBytes(StandardCharsets.UTF_8));
        return request -> request.setHeader("Authorization", "Basic " + token);
    }

    /** Enrolls {@code keys} with HTTP Basic through BouncyCastle's client and returns the issued certificate. */
    X509Certificate enroll(KeyPair keys, String subject, String... dnsNames) throws Exception {
        PKCS10CertificationRequest csr = Pki.csr(keys, subject, dnsNames);
        try {
            EnrollmentResponse response = bcClient(null).simpleEnroll(false, csr, preemptiveBasic());
            Collection<X509CertificateHolder> holders = response.getStore().getMatches(null);
            assertEquals(1, holders.size());
            X509Certificate issued = Pki.toCertificates(holders).get(0);
            assertIssued(issued, csr, keys, dnsNames);
            return issued;
        } catch (ESTException e) {
            throw new AssertionError("enrollment of " + subject + " failed: HTTP " + e.getStatusCode(), e);
        }
    }

    /** The certificate carries the request's subject, key and subjectAltNames and chains to the EST CA. */
    void assertIssued(X509Certificate cert, PKCS10CertificationRequest csr, KeyPair keys, String... dnsNames) throws Exception {
        List<String> sans = new ArrayList<>();
        if (cert.getSubjectAlternativeNames() != null) {
            for (List<?> name : cert.getSubjectAlternativeNames()) {
                if (Integer.valueOf(2).equals(name.get(0))) {
                    sans.add((String) name.get(1));
                }
            }
        }
        assertAll(
                () -> assertEquals(new X500Principal(csr.getSubject().getEncoded()), cert.getSubjectX500Principal()),
                () -> assertArrayEquals(keys.getPublic().getEncoded(), cert.getPublicKey().getEncoded(), "public key"),
                () -> assertEquals(target.ca().getSubjectX500Principal(), cert.getIssuerX500Principal()),
                () -> cert.verify(target.ca().getPublicKey()),
                () -> Pki.pkixValidate(cert, target.ca()),
                () -> assertTrue(sans.containsAll(List.of(dnsNames)), () -> "subjectAltName " + sans + " lacks " + List.of(dnsNames)));
    }

    /**
     * An error reply as est4j promises it: plain text in UTF-8, one line "status reason". The media type is
     * compared as parsed, not byte for byte: Tomcat's Response splits the charset parameter off and writes
     * {@code text/plain;charset=utf-8} whatever string the application set (other containers differ), and no EST
     * client string-compares the type of an error body. The PKCS#7 types above are compared byte for byte.
     */
    static void assertOneLineText(EstHttp.Reply reply) {
        String contentType = reply.requiredHeader("Content-Type");
        assertEquals(TEXT_PLAIN.replace(" ", ""), contentType.replace(" ", "").toLowerCase(java.util.Locale.ROOT),
                () -> "expected " + TEXT_PLAIN + ": " + reply);
        String text = reply.text();
        assertTrue(text.startsWith(reply.status() + " ") && text.endsWith("\n") && text.indexOf('\n') == text.length() - 1,
                () -> "expected one line '<status> <reason>': " + reply);
        assertTrue(text.length() > 5, () -> "the body must name the reason: " + reply);
    }

    /** Base64 bodies come in lines (libest and GNU base64 -d expect them), none longer than 76 characters. */
    static void assertBase64Lines(EstHttp.Reply reply) {
        String[] lines = reply.text().split("\r?\n");
        assertTrue(lines.length > 1, () -> "a base64 body without line breaks: " + reply);
        for (String line : lines) {
            assertTrue(line.length() <= 76, () -> "base64 line longer than 76: " + line);
        }
    }
}

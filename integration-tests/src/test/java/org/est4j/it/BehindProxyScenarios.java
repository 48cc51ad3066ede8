package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.est.EnrollmentResponse;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every {@link EstScenarios} scenario again, but through a real TLS terminator in front of the same Tomcat:
 * TLS ends at the proxy, which forwards the client certificate in a header to Tomcat's loopback proxy
 * connector, where est4j's filter turns it back into the servlet certificate attribute. Plus what only a
 * proxy set-up has: certificates from unknown CAs reaching est4j, and header spoofing.
 *
 * <p>A subclass names its proxy and the est4j.properties keys for it; {@link #configure} writes them into the
 * data directory before the WAR is deployed (the WAR reads them at start) and {@link #restore} puts the
 * original file back.
 */
abstract class BehindProxyScenarios extends EstScenarios {

    private static ProxyProcess proxy;

    /**
     * The WAR, after writing this proxy's keys into est4j.properties; call from the subclass's
     * {@code @Deployment} method, which Arquillian runs before it deploys (the WAR reads the keys at start).
     */
    static WebArchive deployBehind(ProxyProcess.Kind kind) {
        return deployBehind(kind, "");
    }

    /** The same, with further est4j.properties lines for what only this proxy offers. */
    static WebArchive deployBehind(ProxyProcess.Kind kind, String extraKeys) {
        configure(kind.format, extraKeys);
        return EstTarget.rootWar();
    }

    /** Starts the proxy; call from the subclass's {@code @BeforeAll} (it runs after the deployment). */
    static void startProxy(ProxyProcess.Kind kind) throws Exception {
        if (!ProxyProcess.installed(kind)) {
            if ("true".equals(System.getenv("CI"))) {
                fail(kind.binary + " is not installed: .ci/run installs nginx, apache2 and haproxy");
            }
            Assumptions.abort(kind.binary + " is not installed (apt-get install nginx apache2 haproxy)");
        }
        proxy = ProxyProcess.start(kind, Path.of(System.getProperty("est.home")), backendPort());
    }

    @AfterAll
    static void stopProxyAndRestoreConfiguration() throws Exception {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
        restore();
    }

    private static void configure(String format, String extraKeys) {
        EstHomeConfig.append(format + " proxy integration test", "proxy.trusted-addresses = 127.0.0.1, ::1\n"
                + "proxy.local-ports = " + backendPort() + "\n"
                + "proxy.client-cert.format = " + format + "\n"
                + "proxy.client-cert.verify-header = X-SSL-Client-Verify\n"
                + "proxy.forwarded-proto-header = X-Forwarded-Proto\n"
                + "console.client-subject = CN=proxy-console-operator\n" + extraKeys);
    }

    private static void restore() throws IOException {
        EstHomeConfig.restore();
    }

    static int backendPort() {
        return Integer.parseInt(System.getProperty("est.it.proxy.port"));
    }

    /** The forged header an attacker sends: the proxy's header name with a real, valid certificate in its format. */
    abstract String forgedHeaderValue(X509Certificate certificate) throws Exception;

    /** Every scenario talks to the proxy's TLS port instead of Tomcat's. */
    @Override
    @BeforeEach
    void readTarget() {
        EstTarget direct = EstTarget.fromSystemProperties();
        target = new EstTarget(direct.host(), proxy.port(), direct.estHome(), direct.ca(), direct.user(), direct.password());
    }

    private X509Certificate enrolledCertificate(KeyPair keys, String cn) throws Exception {
        EnrollmentResponse response = bcClient(null).simpleEnroll(false, Pki.csr(keys, "CN=" + cn), preemptiveBasic());
        return Pki.toCertificates(response.getStore().getMatches(null)).get(0);
    }

    // ---- certificates est4j must refuse although the proxy let them through -----------------------------

    @Test
    void selfSignedClientCertificateReachesEst4jThroughTheProxyAndIsRefused() throws Exception {
        EstHttp.Reply reply = selfSignedAttempt("simplereenroll", false);

        assertEquals(401, reply.status(), reply::toString);
        assertOneLineText(reply);
        assertTrue(reply.text().contains("TLS client certificate is not accepted"), reply::toString);
    }

    // ---- spoofing -----------------------------------------------------------------------------------

    @Test
    void forgedHeaderThroughTheProxyIsOverwrittenByIt() throws Exception {
        KeyPair keys = Pki.p256();
        X509Certificate victim = enrolledCertificate(keys, "proxy-victim-1");

        EstHttp.Reply reply = anonymous().header(headerName(), forgedHeaderValue(victim))
                .postCsr("simplereenroll", Pki.csr(keys, "CN=proxy-victim-1").getEncoded());

        assertEquals(401, reply.status(), () -> "the forged certificate must give no identity: " + reply);
    }

    @Test
    void forgedHeaderSentStraightToTomcatsHttpsPortIsIgnored() throws Exception {
        KeyPair keys = Pki.p256();
        X509Certificate victim = enrolledCertificate(keys, "proxy-victim-2");
        EstTarget direct = EstTarget.fromSystemProperties();

        EstHttp.Reply reply = new EstHttp(direct.estBase(), Pki.tls(direct.ca(), null)).header(headerName(), forgedHeaderValue(victim))
                .postCsr("simplereenroll", Pki.csr(keys, "CN=proxy-victim-2").getEncoded());

        assertEquals(401, reply.status(), () -> "Tomcat's own HTTPS port is not the trusted proxy connector: " + reply);
    }

    @Test
    void forgedHeaderFromAnUntrustedAddressOnTheProxyConnectorIsIgnored() throws Exception {
        KeyPair keys = Pki.p256();
        X509Certificate victim = enrolledCertificate(keys, "proxy-victim-3");
        Path csr = Files.createTempFile("spoof", ".csr");
        Files.writeString(csr, java.util.Base64.getMimeEncoder().encodeToString(Pki.csr(keys, "CN=proxy-victim-3").getEncoded()));

        // 127.0.0.9 is a loopback address but not in proxy.trusted-addresses
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                "--interface", "127.0.0.9", "-H", "Content-Type: application/pkcs10", "-H", "X-Forwarded-Proto: https",
                "-H", headerName() + ": " + forgedHeaderValue(victim), "--data-binary", "@" + csr,
                "http://127.0.0.1:" + backendPort() + "/.well-known/est/simplereenroll"));
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String status = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertTrue(curl.waitFor(60, TimeUnit.SECONDS));
        assertEquals("401", status, "an untrusted peer's forwarded certificate must give no identity");
    }

    /**
     * The operator console behind a proxy: the admin certificate the trusted proxy forwards counts as it does for EST
     * (the proxy filter covers /console/*), the same header from an untrusted peer does not.
     */
    @Test
    void theConsoleTakesTheAdminCertificateOnlyFromTheTrustedProxy() throws Exception {
        X509Certificate admin = enrolledCertificate(Pki.p256(), "proxy-console-operator");
        X509Certificate other = enrolledCertificate(Pki.p256(), "proxy-console-other");
        assertEquals("200", consoleOnTheProxyConnector("127.0.0.1", forgedHeaderValue(admin)), "forwarded by the trusted proxy");
        assertEquals("403", consoleOnTheProxyConnector("127.0.0.1", forgedHeaderValue(other)), "another certificate");
        assertEquals("403", consoleOnTheProxyConnector("127.0.0.9", forgedHeaderValue(admin)),
                "an untrusted peer's header is no certificate");
    }

    /** The status of {@code GET /console/} on Tomcat's proxy connector from {@code source}, with this certificate header. */
    private String consoleOnTheProxyConnector(String source, String certificateHeader) throws Exception {
        Process curl = new ProcessBuilder("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--interface", source,
                "-H", "X-Forwarded-Proto: https", "-H", headerName() + ": " + certificateHeader,
                "http://127.0.0.1:" + backendPort() + "/console/").redirectErrorStream(true).start();
        String status = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertTrue(curl.waitFor(60, TimeUnit.SECONDS));
        return status;
    }

    @Test
    void theProxyConnectorRefusesPlainHttpOnTheClientSide() throws Exception {
        // A trusted peer that says the client spoke plain HTTP (RFC 7030 requires TLS): 403.
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + backendPort() + "/.well-known/est/cacerts"))
                .header("X-Forwarded-Proto", "http").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, response.statusCode(), response::body);
        assertTrue(response.body().contains("HTTPS"), response::body);
    }

    String headerName() {
        return "X-SSL-Client-Cert";
    }
}

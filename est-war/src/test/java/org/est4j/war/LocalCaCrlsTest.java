package org.est4j.war;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.est4j.jaxrs.EstReply;
import org.est4j.jaxrs.HttpRequestInfo;
import org.est4j.jaxrs.packages.CrlDistribution;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.CrlRequest;
import org.est4j.spi.UnknownLabelException;
import org.est4j.war.localca.LocalCaService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code LocalCaService.crls} on a real data directory: the CRL of the CA serving the label, never none (so
 * {@code /crls} is 200 with a CRL, not 204), and an unknown label refused. Read back with {@code openssl}.
 */
class LocalCaCrlsTest {

    @TempDir
    Path home;

    private String previousHome;
    private Est4jRuntime runtime;
    private LocalCaService service;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(System.getenv("EST_HOME") == null, "EST_HOME is set in this environment");
        Files.writeString(home.resolve("est4j.properties"), "label.iot.ca = iot\nca.iot.subject = CN=IoT CA\n");
        previousHome = System.getProperty("est.home");
        System.setProperty("est.home", home.toString());
        runtime = new Est4jRuntime();
        runtime.start();
        service = new LocalCaService();
        java.lang.reflect.Field f = LocalCaService.class.getDeclaredField("runtime");
        f.setAccessible(true);
        f.set(service, runtime);
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.stop();
        }
        if (previousHome == null) {
            System.clearProperty("est.home");
        } else {
            System.setProperty("est.home", previousHome);
        }
    }

    private static CrlRequest request(String label) {
        return new CrlRequest(Optional.ofNullable(label), AuthenticatedClient.anonymous("192.0.2.1"));
    }

    private String openssl(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + ": " + out);
        return out;
    }

    @Test
    void eachLabelGetsTheCrlOfItsCaEvenWithoutRevocations() throws Exception {
        List<X509CRL> unlabelled = service.crls(request(null));
        assertEquals(1, unlabelled.size());
        Files.write(home.resolve("default.der"), unlabelled.get(0).getEncoded());
        String text = openssl(home, "openssl", "crl", "-inform", "DER", "-in", "default.der", "-text", "-noout");
        assertTrue(text.contains("Issuer: CN = est4j Local CA default") && text.contains("No Revoked Certificates."), text);

        List<X509CRL> iot = service.crls(request("iot"));
        Files.write(home.resolve("iot.der"), iot.get(0).getEncoded());
        assertTrue(openssl(home, "openssl", "crl", "-inform", "DER", "-in", "iot.der", "-noout", "-issuer").contains("CN = IoT CA"));
        assertTrue(Files.isRegularFile(home.resolve("ca/iot/crl.der")), "kept in EST_HOME/ca/<name>/crl.der");

        assertThrows(UnknownLabelException.class, () -> service.crls(request("nosuchlabel")));
    }

    @Test
    void slashCrlsIs200WithTheCrlInACertsOnlySignedDataNot204() throws Exception {
        CrlDistribution crls = new CrlDistribution(service, runtime.endpointConfig());
        EstReply reply = crls.crls(Optional.empty(), new HttpRequestInfo(null, 0, null, List.of(), "192.0.2.1"));
        assertEquals(200, reply.status());
        assertEquals("application/pkcs7-mime; smime-type=certs-only", reply.headers().get("Content-Type"));
        Files.write(home.resolve("crls.p7"), Base64.getMimeDecoder().decode(reply.body()));
        String pem = openssl(home, "openssl", "pkcs7", "-inform", "DER", "-in", "crls.p7", "-print_certs");
        assertTrue(pem.contains("-----BEGIN X509 CRL-----"), pem);
        Files.writeString(home.resolve("crls.pem"), pem);
        String text = openssl(home, "openssl", "crl", "-in", "crls.pem", "-text", "-noout");
        assertTrue(text.contains("Version 2 (0x1)") && text.contains("X509v3 CRL Number"), text);
    }
}

package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.est4j.war.Admin;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * RFC 8295 section 4 with the local CA's real CRLs on the real Tomcat: {@code GET /.well-known/est/crls} after an
 * {@code Admin revoke} (run in this JVM, not the server's, as an administrator would), decoded by {@code openssl}
 * and used by {@code openssl verify -crl_check} and by JDK PKIX validation to refuse the revoked certificate and
 * accept the other; the same CRL over plain HTTP at the distribution point written into the certificates; and a
 * valid empty CRL for a CA that revoked nothing.
 */
class CrlDistributionTest extends OwnConfigurationScenarios {

    /** The Tomcat's plain HTTP port ({@code it.jsse.http.port} in integration-tests/pom.xml). */
    private static final int HTTP_PORT = Integer.getInteger("est.it.http.port", 18080);
    private static final String CERTS_ONLY = "application/pkcs7-mime; smime-type=certs-only";
    /** A CA of its own for this class, on a label: nobody revokes anything there. */
    private static final String CLEAN_CA = "crlclean";
    /** Distinguishes this run's subjects from earlier runs' on the same data directory. */
    private static final String RUN = Long.toString(System.nanoTime(), 36);

    static {
        Pki.registerBouncyCastle();
    }

    @Deployment(testable = false)
    static WebArchive est4jPublishingCrls() {
        EstHomeConfig.append("CrlDistributionTest", """
                ca.default.crl-distribution-point = http://localhost:%d/crl/default.crl
                ca.%s.subject = CN=est4j CRL-free CA
                label.crlfree.ca = %s
                """.formatted(HTTP_PORT, CLEAN_CA, CLEAN_CA));
        return EstTarget.rootWar();
    }

    @Test
    void aRevokedCertificateIsOnTheCrlAndOpensslAndPkixRefuseItButNotTheOther() throws Exception {
        Path work = Files.createTempDirectory("est4j-crl-it");
        X509Certificate ca = Pki.readCertificate(target.estHome().resolve("ca/default/ca.pem"));
        Files.writeString(work.resolve("ca.pem"), pem("CERTIFICATE", ca.getEncoded()));
        X509Certificate revoked = enroll(Pki.p256(), "CN=crl-revoked-" + RUN);
        X509Certificate good = enroll(Pki.p256(), "CN=crl-good-" + RUN);
        Files.writeString(work.resolve("revoked.pem"), pem("CERTIFICATE", revoked.getEncoded()));
        Files.writeString(work.resolve("good.pem"), pem("CERTIFICATE", good.getEncoded()));
        long before = crlNumber(openssl(work, "crl", "-in", crlFromSlashCrls(work, "", "before.pem").toString(), "-text", "-noout"));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Admin.run(new String[] {"revoke", revoked.getSerialNumber().toString(16), "keyCompromise"}, target.estHome(),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err), out::toString);

        Path crlPem = crlFromSlashCrls(work, "", "crl.pem");
        String text = openssl(work, "crl", "-in", crlPem.toString(), "-text", "-noout");
        assertTrue(text.contains("Version 2 (0x1)"), text);
        assertTrue(text.contains("Next Update:"), text);
        assertTrue(crlNumber(text) > before, "a new CRL number after the revocation: " + before + " then\n" + text);
        int at = text.indexOf("Serial Number: " + hex(revoked));
        assertTrue(at >= 0, text);
        assertTrue(text.substring(at, Math.min(text.length(), at + 300)).contains("Key Compromise"), text);
        assertFalse(text.contains("Serial Number: " + hex(good)), text);
        assertTrue(openssl(work, "crl", "-in", crlPem.toString(), "-CAfile", "ca.pem", "-noout").contains("verify OK"));

        // openssl verify with the CRL
        Process p = new ProcessBuilder("openssl", "verify", "-crl_check", "-CAfile", "ca.pem", "-CRLfile", "crl.pem", "revoked.pem")
                .directory(work.toFile()).redirectErrorStream(true).start();
        String refused = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(p.exitValue() != 0 && refused.contains("certificate revoked"), refused);
        assertTrue(openssl(work, "verify", "-crl_check", "-CAfile", "ca.pem", "-CRLfile", "crl.pem", "good.pem").contains("good.pem: OK"));

        // JDK PKIX with revocation checking, the CRL (as openssl wrote it) in a CertStore
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(Files.newInputStream(crlPem));
        CertPathValidatorException e = assertThrows(CertPathValidatorException.class, () -> pkix(revoked, ca, crl));
        assertEquals(CertPathValidatorException.BasicReason.REVOKED, e.getReason(), e::toString);
        pkix(good, ca, crl);

        // the distribution point in the certificate, over plain HTTP: the same CRL
        Matcher dp = Pattern.compile("URI:(\\S+)").matcher(openssl(work, "x509", "-in", "revoked.pem", "-noout", "-ext",
                "crlDistributionPoints"));
        assertTrue(dp.find(), "the certificate names a CRL distribution point");
        assertEquals("http://localhost:" + HTTP_PORT + "/crl/default.crl", dp.group(1));
        HttpResponse<byte[]> fetched = plainGet(URI.create(dp.group(1)));
        assertEquals(200, fetched.statusCode(), () -> new String(fetched.body(), StandardCharsets.UTF_8));
        assertEquals("application/pkix-crl", fetched.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(crl.getEncoded(), fetched.body(), "the distribution point serves the CRL /crls returned");
        Files.write(work.resolve("fetched.der"), fetched.body());
        assertTrue(openssl(work, "crl", "-inform", "DER", "-in", "fetched.der", "-noout", "-text").contains(
                "Serial Number: " + hex(revoked)));
    }

    @Test
    void aCaThatRevokedNothingStillPublishesAValidEmptyCrl() throws Exception {
        Path work = Files.createTempDirectory("est4j-crl-it");
        Files.copy(target.estHome().resolve("ca/" + CLEAN_CA + "/ca.pem"), work.resolve("ca.pem"));
        Path crlPem = crlFromSlashCrls(work, "crlfree/", "crl.pem");
        String text = openssl(work, "crl", "-in", crlPem.toString(), "-text", "-noout");
        assertTrue(text.contains("Issuer: CN = est4j CRL-free CA"), text);
        assertTrue(text.contains("No Revoked Certificates."), text);
        assertTrue(text.contains("Version 2 (0x1)") && text.contains("X509v3 CRL Number"), text);
        assertTrue(openssl(work, "crl", "-in", crlPem.toString(), "-CAfile", "ca.pem", "-noout").contains("verify OK"));
    }

    @Test
    void theDistributionPointAnswersOnlyForCaNames() throws Exception {
        HttpResponse<byte[]> other = plainGet(URI.create("http://localhost:" + HTTP_PORT + "/crl/" + CLEAN_CA + ".crl"));
        assertEquals(200, other.statusCode());
        assertEquals("application/pkix-crl", other.headers().firstValue("Content-Type").orElse(""));
        for (String path : List.of("/crl/nosuchca.crl", "/crl/default.pem", "/crl/default", "/crl/", "/crl/..%2Fca.pem",
                "/crl/default.crl/x")) {
            HttpResponse<byte[]> r = plainGet(URI.create("http://localhost:" + HTTP_PORT + path));
            assertTrue(r.statusCode() == 404 || r.statusCode() == 400, () -> path + " -> " + r.statusCode());
            assertFalse(r.headers().firstValue("Content-Type").orElse("").contains("pkix-crl"), path);
        }
        // normalised by the container to /default.crl, outside /crl/: the rest of the site, HTTPS only (a redirect)
        HttpResponse<byte[]> outside = plainGet(URI.create("http://localhost:" + HTTP_PORT + "/crl/%2e%2e/default.crl"));
        assertEquals(302, outside.statusCode());
        assertTrue(outside.headers().firstValue("Location").orElse("").startsWith("https://"), outside.headers()::toString);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /**
     * {@code GET <label>/crls} without authentication, checked the way a client sees it, and the CRL taken out of the
     * certs-only SignedData by {@code openssl pkcs7 -print_certs}; returns the PEM file.
     */
    private Path crlFromSlashCrls(Path work, String label, String pemName) throws Exception {
        EstHttp.Reply reply = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).get(label + "crls");
        assertEquals(200, reply.status(), reply::toString);
        assertEquals(CERTS_ONLY, reply.requiredHeader("Content-Type"), reply::toString);
        Path p7 = work.resolve(pemName + ".p7");
        Files.write(p7, reply.base64Body());
        String printed = openssl(work, "pkcs7", "-inform", "DER", "-in", p7.toString(), "-print_certs");
        Matcher m = Pattern.compile("-----BEGIN X509 CRL-----.*?-----END X509 CRL-----\\n", Pattern.DOTALL).matcher(printed);
        assertTrue(m.find(), "a CRL in the SignedData: " + printed);
        String crl = m.group();
        assertFalse(m.find(), "one CRL: " + printed);
        return Files.writeString(work.resolve(pemName), crl);
    }

    private X509Certificate enroll(KeyPair keys, String subject) throws Exception {
        EstHttp.Reply reply = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic(target.user(), target.password())
                .postCsr("simpleenroll", Pki.csr(keys, subject).getEncoded());
        assertEquals(200, reply.status(), reply::toString);
        return Pki.certsOnly(reply.base64Body()).get(0);
    }

    private static void pkix(X509Certificate leaf, X509Certificate anchor, X509CRL crl) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        params.setRevocationEnabled(true);
        params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(List.of(crl))));
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
    }

    private static HttpResponse<byte[]> plainGet(URI uri) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static long crlNumber(String text) {
        Matcher m = Pattern.compile("X509v3 CRL Number: *\\n *([0-9]+)").matcher(text);
        assertTrue(m.find(), text);
        return Long.parseLong(m.group(1));
    }

    private static String hex(X509Certificate c) {
        String h = c.getSerialNumber().toString(16).toUpperCase();
        return h.length() % 2 == 1 ? "0" + h : h;
    }

    private static String openssl(Path dir, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + ": " + output);
        return output;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END "
                + type + "-----\n";
    }
}

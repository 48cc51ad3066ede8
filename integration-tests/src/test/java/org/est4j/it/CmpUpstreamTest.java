package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.est.CACertsResponse;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.EnrollmentResponse;
import org.bouncycastle.est.HttpAuth;
import org.bouncycastle.est.jcajce.JcaJceUtils;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: est4j as the EST front end of a CMP CA, in a Tomcat of its own, against a real CMP server on this machine:
 * OpenSSL 3's {@code openssl cmp} mock server, one process per behaviour (its poll counter and failure injection are
 * server-wide), each behind its own label. The mock server always returns its one fixed {@code -rsp_cert}, so the
 * client keys and matching certificates are made here first; a certificate for another key is the refusal case.
 * Clients: curl and openssl, BouncyCastle's EST client, and est4j's {@code EstHttp}; responses are read with openssl.
 */
class CmpUpstreamTest {

    private static final String SUBJECT = "CN=cmp-device,O=Example";
    private static Path dir;
    private static TomcatNode tomcat;
    private static final List<Process> mocks = new ArrayList<>();
    private static final Map<String, Integer> ports = new LinkedHashMap<>();
    private static X509Certificate localCa;
    private static X509Certificate upstreamCa;
    private static KeyPair deviceKey;
    private static X509Certificate deviceCert;
    private static KeyPair rekeyKey;
    private static X509Certificate rekeyedCert;
    private static String user;
    private static String password;

    @BeforeAll
    static void upstreamsAndTomcat() throws Exception {
        if (!opensslCmp()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("openssl cmp (OpenSSL 3) is not installed: .ci/run installs openssl");
            }
            Assumptions.abort("openssl cmp (OpenSSL 3) is not installed");
        }
        Pki.registerBouncyCastle();
        dir = Path.of("target", "cmp-it").toAbsolutePath();
        Scratch.deleteTree(dir);
        Path pki = Files.createDirectories(dir.resolve("pki"));

        KeyPair caKey = Pki.p256();
        upstreamCa = issue("CN=Upstream CMP CA", caKey, "CN=Upstream CMP CA", caKey.getPrivate(), true, BigInteger.ONE);
        KeyPair signerKey = Pki.p256();
        X509Certificate signer = issue("CN=Upstream CMP signer", signerKey, "CN=Upstream CMP CA", caKey.getPrivate(), false,
                BigInteger.TWO);
        KeyPair raKey = Pki.p256();
        X509Certificate ra = issue("CN=est4j RA", raKey, "CN=Upstream CMP CA", caKey.getPrivate(), false, BigInteger.valueOf(3));
        deviceKey = Pki.p256();
        deviceCert = issue(SUBJECT, deviceKey, "CN=Upstream CMP CA", caKey.getPrivate(), false, BigInteger.valueOf(10));
        X509Certificate otherCert = issue(SUBJECT, Pki.p256(), "CN=Upstream CMP CA", caKey.getPrivate(), false, BigInteger.valueOf(11));
        rekeyKey = Pki.p256();
        // the mock server wants a kur's oldCertID to name the certificate it returns: the same issuer and serial as the
        // certificate the client authenticates with
        rekeyedCert = issue(SUBJECT, rekeyKey, "CN=Upstream CMP CA", caKey.getPrivate(), false, BigInteger.valueOf(10));
        pem(pki.resolve("ca.pem"), upstreamCa);
        pem(pki.resolve("signer.pem"), signer);
        pem(pki.resolve("signer-key.pem"), signerKey.getPrivate());
        pem(pki.resolve("device.pem"), deviceCert);
        pem(pki.resolve("other.pem"), otherCert);
        pem(pki.resolve("rekeyed.pem"), rekeyedCert);

        List<String> mac = List.of("-srv_ref", "est4j", "-srv_secret", "pass:cmp-shared-secret", "-rsp_extracerts", pki.resolve("ca.pem").toString());
        mock("mac", mac, "-rsp_cert", pki.resolve("device.pem").toString());
        mock("sig", List.of("-srv_cert", pki.resolve("signer.pem").toString(), "-srv_key", pki.resolve("signer-key.pem").toString(),
                "-srv_trusted", pki.resolve("ca.pem").toString()), "-rsp_cert", pki.resolve("device.pem").toString());
        mock("poll", mac, "-rsp_cert", pki.resolve("device.pem").toString(), "-poll_count", "2", "-check_after", "2");
        mock("error", mac, "-rsp_cert", pki.resolve("device.pem").toString(), "-send_error");
        mock("mismatch", mac, "-rsp_cert", pki.resolve("other.pem").toString());
        mock("kur", mac, "-rsp_cert", pki.resolve("rekeyed.pem").toString(), "-accept_raverified");
        ports.put("down", Scratch.freePort());

        tomcat = new TomcatNode("cmp", dir.resolve("base"), dir.resolve("home"));
        Path home = tomcat.home();
        Files.createDirectories(home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path cmp = Files.createDirectories(home.resolve("cmp"));
        Files.copy(pki.resolve("ca.pem"), cmp.resolve("upstream-ca.pem"));
        Files.copy(pki.resolve("signer.pem"), cmp.resolve("upstream-signer.pem"));
        pem(cmp.resolve("ra.pem"), ra);
        pem(cmp.resolve("ra-key.pem"), raKey.getPrivate());
        Files.writeString(cmp.resolve("secret"), "cmp-shared-secret\n", StandardCharsets.US_ASCII);
        Files.writeString(home.resolve("est4j.properties"), properties(), StandardCharsets.UTF_8);
        org.est4j.war.EstHome.open(home).close(); // first start as EstHomeInit does it: the local CA, TLS, the user
        localCa = Pki.readCertificate(home.resolve("ca.pem"));
        String credentials = Files.readString(home.resolve("initial-credentials"), StandardCharsets.UTF_8).strip();
        user = credentials.substring(0, credentials.indexOf(':'));
        password = credentials.substring(credentials.indexOf(':') + 1);
        tomcat.prepare(Path.of(System.getProperty("est.it.tomcat.home")), Path.of(System.getProperty("est.it.war")),
                Path.of(System.getProperty("est.it.postgresql.jar")), null);
        tomcat.start();
        tomcat.waitReady();
    }

    private static String properties() {
        StringBuilder p = new StringBuilder();
        p.append("client-auth.trust-anchors = ca/default/ca.pem, cmp/upstream-ca.pem\n");
        for (String name : List.of("mac", "poll", "error", "mismatch", "kur", "down")) {
            p.append("ca.up-").append(name).append(".type = cmp\n")
                    .append("ca.up-").append(name).append(".cmp.url = http://127.0.0.1:").append(ports.get(name)).append("/pkix/\n")
                    .append("ca.up-").append(name).append(".cmp.protection = mac\n")
                    .append("ca.up-").append(name).append(".cmp.mac.algorithm = password-based-mac\n")
                    .append("ca.up-").append(name).append(".cmp.mac.secret-file = cmp/secret\n")
                    .append("ca.up-").append(name).append(".cmp.mac.reference = est4j\n")
                    .append("ca.up-").append(name).append(".cmp.ca-certificates = cmp/upstream-ca.pem\n")
                    .append("ca.up-").append(name).append(".cmp.connect-timeout-seconds = 2\n")
                    .append("ca.up-").append(name).append(".cmp.retry-after-seconds = 7\n")
                    .append("label.cmp-").append(name).append(".ca = up-").append(name).append('\n');
        }
        p.append("""
                ca.up-sig.type = cmp
                ca.up-sig.cmp.url = http://127.0.0.1:%d/pkix/
                ca.up-sig.cmp.protection = signature
                ca.up-sig.cmp.signature.key = cmp/ra-key.pem
                ca.up-sig.cmp.signature.certificates = cmp/ra.pem
                ca.up-sig.cmp.server-certificate = cmp/upstream-signer.pem
                ca.up-sig.cmp.ca-certificates = cmp/upstream-ca.pem
                label.cmp-sig.ca = up-sig
                """.formatted(ports.get("sig")));
        return p.toString();
    }

    @AfterAll
    static void stop() throws Exception {
        if (tomcat != null) {
            tomcat.close();
        }
        for (Process p : mocks) {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    // ---- enrollment ------------------------------------------------------------------------------------------

    @Test
    void curlEnrollsThroughMacProtectedCmpAndOpensslReadsTheCertificate() throws Exception {
        Path csr = dir.resolve("curl.csr");
        Files.write(csr, java.util.Base64.getMimeEncoder().encode(Pki.csr(deviceKey, SUBJECT).getEncoded()));
        Path out = dir.resolve("curl.p7");
        String status = IndependentDecoders.run("curl", "-sS", "-o", out.toString(), "-w", "%{http_code} %{content_type}",
                "--cacert", tomcat.home().resolve("ca.pem").toString(), "-u", user + ":" + password,
                "-H", "Content-Type: application/pkcs10", "--data-binary", "@" + csr,
                tomcat.estBase().resolve("cmp-mac/simpleenroll").toString());
        assertEquals("200 application/pkcs7-mime; smime-type=certs-only", status.strip());
        String printed = IndependentDecoders.run("bash", "-c", "openssl base64 -d -in '" + out + "' | openssl pkcs7 -inform DER -print_certs"
                + " | openssl x509 -noout -subject -issuer -serial");
        assertEquals("subject=CN = cmp-device, O = Example\nissuer=CN = Upstream CMP CA\nserial=0A\n", printed,
                "est4j returns the upstream's certificate, not one of its local CA");
        assertMockReceived("mac", "P10CR", "CERTCONF");
    }

    @Test
    void bcClientEnrollsThroughSignatureProtectedCmp() throws Exception {
        EnrollmentResponse response = bc("cmp-sig").simpleEnroll(false, Pki.csr(deviceKey, SUBJECT), auth());
        assertTrue(response.isCompleted());
        X509Certificate issued = Pki.toCertificates(response.getStore().getMatches(null)).get(0);
        assertArrayEquals(deviceCert.getEncoded(), issued.getEncoded());
        assertMockReceived("sig", "P10CR", "CERTCONF");
    }

    @Test
    void aLocalLabelStillIssuesFromTheLocalCa() throws Exception {
        EstHttp.Reply reply = basic().postCsr("simpleenroll", Pki.csr(Pki.p256(), "CN=local-device").getEncoded());
        assertEquals(200, reply.status(), reply::toString);
        X509Certificate issued = Pki.certsOnly(reply.base64Body()).get(0);
        Pki.pkixValidate(issued, localCa);
    }

    // ---- re-enrollment ---------------------------------------------------------------------------------------

    @Test
    void renewalWithTheSameKeyGoesAsP10cr() throws Exception {
        EstHttp.Reply reply = asDevice().postCsr("cmp-mac/simplereenroll", Pki.csr(deviceKey, SUBJECT).getEncoded());
        assertEquals(200, reply.status(), reply::toString);
        assertArrayEquals(deviceCert.getEncoded(), Pki.certsOnly(reply.base64Body()).get(0).getEncoded());
    }

    @Test
    void rekeyGoesAsKeyUpdateRequest() throws Exception {
        EstHttp.Reply reply = asDevice().postCsr("cmp-kur/simplereenroll", Pki.csr(rekeyKey, SUBJECT).getEncoded());
        assertEquals(200, reply.status(), reply::toString);
        X509Certificate issued = Pki.certsOnly(reply.base64Body()).get(0);
        assertArrayEquals(rekeyedCert.getEncoded(), issued.getEncoded());
        assertArrayEquals(rekeyKey.getPublic().getEncoded(), issued.getPublicKey().getEncoded());
        assertMockReceived("kur", "KUR", "CERTCONF");
    }

    // ---- /cacerts, /csrattrs -----------------------------------------------------------------------------------

    @Test
    void cacertsFallsBackToTheConfiguredCertificatesAndOpensslReadsThem() throws Exception {
        EstHttp.Reply reply = new EstHttp(tomcat.estBase(), Pki.tls(localCa, null)).get("cmp-mac/cacerts");
        assertEquals(200, reply.status(), reply::toString);
        String printed = IndependentDecoders.openssl(reply.base64Body(), "pkcs7", "-inform", "DER", "-print_certs", "-noout");
        assertEquals("subject=CN = Upstream CMP CA\nissuer=CN = Upstream CMP CA\n\n", printed);
        CACertsResponse bc = bc("cmp-sig").getCACerts();
        assertEquals(List.of(upstreamCa), Pki.toCertificates(bc.getCertificateStore().getMatches(null)));
        // OpenSSL 3.0's mock server echoes genm id-it-caCerts without a value: est4j asked, then used the file
        assertMockReceived("mac", "GENM");
    }

    @Test
    void csrattrsIs204WhenTheUpstreamOffersNoTemplate() throws Exception {
        EstHttp.Reply reply = new EstHttp(tomcat.estBase(), Pki.tls(localCa, null)).get("cmp-mac/csrattrs");
        assertEquals(204, reply.status(), reply::toString);
    }

    // ---- waiting, errors, refusals ----------------------------------------------------------------------------

    @Test
    void aWaitingUpstreamIs202ThenTheRepetitionPollsTheSameTransactionAcrossARestart() throws Exception {
        byte[] csr = Pki.csr(deviceKey, SUBJECT).getEncoded();
        EstHttp.Reply first = basic().postCsr("cmp-poll/simpleenroll", csr);
        assertEquals(202, first.status(), first::toString);
        assertEquals("2", first.response().headers().firstValue("Retry-After").orElse(null));
        tomcat.stop(); // the pending transaction is in EST_HOME: a restart keeps it
        tomcat.start();
        tomcat.waitReady();
        EstHttp.Reply second = basic().postCsr("cmp-poll/simpleenroll", csr);
        assertEquals(200, second.status(), second::toString);
        assertArrayEquals(deviceCert.getEncoded(), Pki.certsOnly(second.base64Body()).get(0).getEncoded());
        String log = mockLog("poll");
        assertEquals(1, count(log, "received P10CR"), "one transaction, polled, not a second request: " + log);
        assertEquals(2, count(log, "received POLLREQ"), log);
    }

    @Test
    void anUpstreamErrorIs400WithItsReason() throws Exception {
        EstHttp.Reply reply = basic().postCsr("cmp-error/simpleenroll", Pki.csr(deviceKey, SUBJECT).getEncoded());
        assertEquals(400, reply.status(), reply::toString);
        assertTrue(reply.text().startsWith("400 the upstream CA refused the request (badRequest)"), reply.text());
        assertEquals("text/plain", reply.response().headers().firstValue("Content-Type").orElse("").split(";")[0]);
    }

    @Test
    void aCertificateForAnotherKeyIsRefusedWith502() throws Exception {
        EstHttp.Reply reply = basic().postCsr("cmp-mismatch/simpleenroll", Pki.csr(deviceKey, SUBJECT).getEncoded());
        assertEquals(502, reply.status(), reply::toString);
        assertEquals("502 the upstream CA returned a certificate for another public key than the one requested; est4j refused it\n",
                reply.text());
        assertMockReceived("mismatch", "P10CR", "CERTCONF");
    }

    @Test
    void anUnreachableUpstreamIs503WithRetryAfter() throws Exception {
        EstHttp.Reply reply = basic().postCsr("cmp-down/simpleenroll", Pki.csr(deviceKey, SUBJECT).getEncoded());
        assertEquals(503, reply.status(), reply::toString);
        assertEquals("7", reply.response().headers().firstValue("Retry-After").orElse(null));
        assertEquals("503 the upstream CA cannot be reached right now\n", reply.text());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static EstHttp basic() throws Exception {
        return new EstHttp(tomcat.estBase(), Pki.tls(localCa, null)).basic(user, password);
    }

    private static EstHttp asDevice() throws Exception {
        return new EstHttp(tomcat.estBase(), Pki.tls(localCa, Pki.clientKey(deviceKey.getPrivate(), deviceCert, upstreamCa)));
    }

    private static ESTService bc(String label) {
        return new JsseESTServiceBuilder("localhost:" + tomcat.httpsPort(),
                JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(localCa, null)), null)).withLabel(label).build();
    }

    private static HttpAuth auth() throws Exception {
        return new HttpAuth("est4j", user, password.toCharArray(), new SecureRandom(), new JcaDigestCalculatorProviderBuilder().build());
    }

    private static void mock(String name, List<String> common, String... more) throws Exception {
        int port = Scratch.freePort();
        List<String> command = new ArrayList<>(List.of("openssl", "cmp", "-port", Integer.toString(port), "-verbosity", "7"));
        command.addAll(common);
        command.addAll(List.of(more));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        mocks.add(p);
        ports.put(name, port);
        for (int i = 0; i < 200; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("openssl cmp mock server '" + name + "' exited: " + mockLog(name));
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("openssl cmp mock server '" + name + "' does not listen");
    }

    private static String mockLog(String name) throws IOException {
        return new String(Files.readAllBytes(dir.resolve(name + ".log")), StandardCharsets.ISO_8859_1);
    }

    private static void assertMockReceived(String name, String... bodies) throws IOException {
        String log = mockLog(name);
        for (String body : bodies) {
            assertTrue(log.contains("received " + body), name + " mock server received no " + body + ": " + log);
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static boolean opensslCmp() {
        try {
            Process p = new ProcessBuilder("openssl", "cmp", "-help").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static X509Certificate issue(String subject, KeyPair pair, String issuer, PrivateKey issuerKey, boolean ca,
                                         BigInteger serial) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer), serial,
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name(subject),
                pair.getPublic());
        builder.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                : KeyUsage.digitalSignature));
        if (!ca) {
            builder.addExtension(Extension.extendedKeyUsage, false, new org.bouncycastle.asn1.x509.ExtendedKeyUsage(
                    org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth));
        }
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private static void pem(Path file, Object object) throws IOException {
        try (JcaPEMWriter writer = new JcaPEMWriter(Files.newBufferedWriter(file, StandardCharsets.US_ASCII))) {
            writer.writeObject(object instanceof PrivateKey key
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : object);
        }
    }
}

package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
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
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManager;

import org.est4j.war.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 6: a CA key rollover (RFC 7030 section 4.1.3) on a Tomcat of the test's own. Certificate A is enrolled
 * with the old key; {@code est4j-admin rollover} runs while the server is stopped (and is refused while it runs); then
 * {@code /cacerts} answers NewWithNew, NewWithOld and OldWithNew, told apart by {@code openssl pkcs7 -print_certs} and the
 * JDK by key and signature; certificate B is issued with the new key; a client trusting only the old root validates B
 * through NewWithOld, and one trusting only the new root validates A through OldWithNew, with {@code openssl verify}
 * and JDK PKIX; A and B both authenticate re-enrollment over TLS; A is revoked and each key's CRL, fetched at its
 * distribution point, is checked by {@code openssl crl} and makes {@code openssl verify -crl_check} reject A; after
 * {@code rollover --finish} {@code /cacerts} is the new root alone.
 */
class RolloverTest {

    private static final Pattern KEY_ID = Pattern.compile("(?:[0-9A-F]{2}:){19}[0-9A-F]{2}");

    private final Path dir = Path.of(System.getProperty("est.it.tomcat.home")).resolveSibling("rollover").toAbsolutePath();
    private TomcatNode node;

    @AfterEach
    void stop() throws InterruptedException {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void oldAndNewClientsValidateAcrossTheRolloverAndEachKeysCrlRevokes() throws Exception {
        Pki.registerBouncyCastle();
        Scratch.deleteTree(dir);
        Path work = Files.createDirectories(dir.resolve("work"));
        node = new TomcatNode("rollover", dir.resolve("base"), dir.resolve("home"));
        Path home = Files.createDirectories(node.home());
        Files.writeString(home.resolve("est4j.properties"),
                "ca.default.crl-distribution-point = http://localhost:" + node.httpPort() + "/crl/default.crl\n", StandardCharsets.UTF_8);
        org.est4j.war.EstHome.open(home).close(); // as est4j-admin init does before a first start
        node.prepare(Path.of(System.getProperty("est.it.tomcat.home")), Path.of(System.getProperty("est.it.war")),
                Path.of(System.getProperty("est.it.postgresql.jar")), null);
        startNode();

        X509Certificate oldRoot = Pki.readCertificate(home.resolve("ca.pem"));
        KeyPair aKey = Pki.p256();
        X509Certificate a = enroll(null, "simpleenroll", aKey, "CN=rollover-a");
        assertEquals(List.of(oldRoot), cacerts());

        // refused while the server holds the CA, done once it is stopped
        assertEquals(1, admin(home, "rollover", "default"), err::toString);
        assertTrue(err.toString().startsWith("est4j is running with local CA default"), err.toString());
        node.stop();
        assertEquals(0, admin(home, "rollover", "default"), err::toString);
        startNode();

        // /cacerts: three certificates, decoded by openssl, told apart by key and signature
        HttpResponse<byte[]> response = get("cacerts");
        assertEquals(200, response.statusCode());
        assertEquals("application/pkcs7-mime", response.headers().firstValue("Content-Type").orElse("")); // RFC 7030 section 4.1.3
        byte[] pkcs7 = Base64.getMimeDecoder().decode(response.body());
        String printed = IndependentDecoders.openssl(pkcs7, "pkcs7", "-inform", "DER", "-print_certs");
        List<X509Certificate> three = parsePem(printed);
        assertEquals(3, three.size(), printed);
        for (X509Certificate c : three) {
            assertEquals(oldRoot.getSubjectX500Principal(), c.getSubjectX500Principal());
            assertEquals(oldRoot.getSubjectX500Principal(), c.getIssuerX500Principal());
        }
        // which is which, by key and signature: NewWithNew is self-signed with a key other than the old root's;
        // NewWithOld has that key, signed by the old key; OldWithNew has the old key, signed by the new one
        X509Certificate newWithNew = three.stream().filter(c -> !c.getPublicKey().equals(oldRoot.getPublicKey())
                && verifies(c, c.getPublicKey())).findFirst().orElseThrow(() -> new AssertionError("no NewWithNew in " + printed));
        X509Certificate newWithOld = three.stream().filter(c -> c.getPublicKey().equals(newWithNew.getPublicKey())
                && verifies(c, oldRoot.getPublicKey())).findFirst().orElseThrow(() -> new AssertionError("no NewWithOld in " + printed));
        X509Certificate oldWithNew = three.stream().filter(c -> c.getPublicKey().equals(oldRoot.getPublicKey())
                && verifies(c, newWithNew.getPublicKey())).findFirst().orElseThrow(() -> new AssertionError("no OldWithNew in " + printed));
        assertEquals(List.of(newWithNew, newWithOld, oldWithNew), three, "the SPI's order: the root first, then the links");
        Path oldPem = pem(work, "old.pem", oldRoot);
        Path newPem = pem(work, "new.pem", newWithNew);
        Path newWithOldPem = pem(work, "new-with-old.pem", newWithOld);
        Path oldWithNewPem = pem(work, "old-with-new.pem", oldWithNew);
        assertEquals(keyId(newPem, "subjectKeyIdentifier"), keyId(newWithOldPem, "subjectKeyIdentifier"));
        assertEquals(keyId(oldPem, "subjectKeyIdentifier"), keyId(newWithOldPem, "authorityKeyIdentifier"));
        assertEquals(keyId(newPem, "subjectKeyIdentifier"), keyId(oldWithNewPem, "authorityKeyIdentifier"));

        // B: issued with the new key
        KeyPair bKey = Pki.p256();
        X509Certificate b = enroll(null, "simpleenroll", bKey, "CN=rollover-b");
        Path aPem = pem(work, "a.pem", a);
        Path bPem = pem(work, "b.pem", b);
        assertEquals(keyId(newPem, "subjectKeyIdentifier"), keyId(bPem, "authorityKeyIdentifier"));
        b.verify(newWithNew.getPublicKey());

        // a client trusting only the old root validates B through NewWithOld; one trusting only the new root, A through OldWithNew
        assertEquals(bPem + ": OK", openssl("verify", "-CAfile", oldPem.toString(), "-untrusted", newWithOldPem.toString(), bPem.toString()).strip());
        assertEquals(aPem + ": OK", openssl("verify", "-CAfile", newPem.toString(), "-untrusted", oldWithNewPem.toString(), aPem.toString()).strip());
        assertTrue(openssl("verify", "-CAfile", oldPem.toString(), bPem.toString()).contains("unable to get local issuer certificate"),
                "without the link certificate the old root does not reach B");
        pkix(oldRoot, b, newWithOld);
        pkix(newWithNew, a, oldWithNew);
        assertThrows(CertPathValidatorException.class, () -> pkix(oldRoot, b));
        assertThrows(CertPathValidatorException.class, () -> pkix(newWithNew, a));

        // re-enrollment with A (old key) and with B (new key) as the TLS client certificate: new-key certificates
        X509Certificate renewedA = enroll(Pki.clientKey(aKey.getPrivate(), a), "simplereenroll", aKey, "CN=rollover-a");
        renewedA.verify(newWithNew.getPublicKey());
        assertEquals(keyId(newPem, "subjectKeyIdentifier"), keyId(pem(work, "renewed-a.pem", renewedA), "authorityKeyIdentifier"));

        X509Certificate renewedB = enroll(Pki.clientKey(bKey.getPrivate(), b), "simplereenroll", bKey, "CN=rollover-b");
        renewedB.verify(newWithNew.getPublicKey());

        // A revoked: each key's CRL at its distribution point lists it and verifies under its own root
        assertEquals(0, admin(home, "revoke", a.getSerialNumber().toString(16), "superseded"), err::toString);
        assertTrue(openssl("x509", "-noout", "-ext", "crlDistributionPoints", "-in", aPem.toString())
                .contains("URI:http://localhost:" + node.httpPort() + "/crl/default.crl"));
        assertTrue(openssl("x509", "-noout", "-ext", "crlDistributionPoints", "-in", bPem.toString())
                .contains("URI:http://localhost:" + node.httpPort() + "/crl/default.g2.crl"));
        Path oldCrl = crl(work, "default.crl");
        Path newCrl = crl(work, "default.g2.crl");
        assertTrue(openssl("crl", "-inform", "DER", "-in", oldCrl.toString(), "-CAfile", oldPem.toString(), "-noout").contains("verify OK"));
        assertTrue(openssl("crl", "-inform", "DER", "-in", newCrl.toString(), "-CAfile", newPem.toString(), "-noout").contains("verify OK"));
        String serial = a.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT);
        assertTrue(openssl("crl", "-inform", "DER", "-in", oldCrl.toString(), "-noout", "-text").contains(serial));
        assertTrue(openssl("crl", "-inform", "DER", "-in", newCrl.toString(), "-noout", "-text").contains(serial));
        Path oldCrlPem = crlPem(oldCrl);
        Path newCrlPem = crlPem(newCrl);
        assertTrue(openssl("verify", "-crl_check", "-CAfile", oldPem.toString(), "-CRLfile", oldCrlPem.toString(), aPem.toString())
                .contains("certificate revoked"));
        assertEquals(bPem + ": OK", openssl("verify", "-crl_check", "-CAfile", newPem.toString(), "-CRLfile", newCrlPem.toString(),
                bPem.toString()).strip());
        assertEquals(404, getPlain("/crl/default.g3.crl").statusCode());
        assertEquals(404, getPlain("/crl/default.g1.crl").statusCode(), "generation 1's CRL has no suffix");

        // finished: the new root alone; the old key's CRL is no longer served
        node.stop();
        assertEquals(0, admin(home, "rollover", "default", "--finish"), err::toString);
        startNode();
        assertEquals(List.of(newWithNew), cacerts());
        assertEquals(404, getPlain("/crl/default.crl").statusCode());
        assertEquals(200, getPlain("/crl/default.g2.crl").statusCode());
        X509Certificate c = enroll(null, "simpleenroll", Pki.p256(), "CN=rollover-c");
        c.verify(newWithNew.getPublicKey());
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int admin(Path home, String... args) throws IOException {
        out.reset();
        err.reset();
        return Admin.run(args, home, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private void startNode() throws Exception {
        node.start();
        try {
            node.waitReady();
        } catch (IllegalStateException e) {
            throw new AssertionError(e.getMessage() + "\n" + node.logTail(), e);
        }
    }

    private HttpClient client(KeyManager clientKey) throws Exception {
        // the old root: the HTTPS server certificate was issued by the first key and stays
        return HttpClient.newBuilder().sslContext(Pki.tls(Pki.readCertificate(node.home().resolve("ca.pem")), clientKey))
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private HttpResponse<byte[]> get(String operation) throws Exception {
        return client(null).send(HttpRequest.newBuilder(node.estBase().resolve(operation)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> getPlain(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private List<X509Certificate> cacerts() throws Exception {
        HttpResponse<byte[]> response = get("cacerts");
        assertEquals(200, response.statusCode());
        return Pki.certsOnly(Base64.getMimeDecoder().decode(response.body()));
    }

    /** Enrolls (Basic with the initial credentials) or re-enrolls (the TLS client certificate alone). */
    private X509Certificate enroll(KeyManager clientKey, String operation, KeyPair key, String subject) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.estBase().resolve(operation)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/pkcs10")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Base64.getMimeEncoder().encode(Pki.csr(key, subject).getEncoded())));
        if (clientKey == null) {
            String credentials = Files.readString(node.home().resolve("initial-credentials"), StandardCharsets.UTF_8).strip();
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<byte[]> response = client(clientKey).send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), () -> operation + ": " + new String(response.body(), StandardCharsets.UTF_8));
        return Pki.certsOnly(Base64.getMimeDecoder().decode(response.body())).get(0);
    }

    /** The CRL at the distribution point {@code /crl/<name>}, as served (DER, application/pkix-crl). */
    private Path crl(Path work, String name) throws Exception {
        HttpResponse<byte[]> response = getPlain("/crl/" + name);
        assertEquals(200, response.statusCode());
        assertEquals("application/pkix-crl", response.headers().firstValue("Content-Type").orElse(""));
        Path file = work.resolve(name);
        Files.write(file, response.body());
        return file;
    }

    private static Path crlPem(Path der) throws Exception {
        Path pem = der.resolveSibling(der.getFileName() + ".pem");
        IndependentDecoders.run("openssl", "crl", "-inform", "DER", "-in", der.toString(), "-outform", "PEM", "-out", pem.toString());
        return pem;
    }

    private static boolean verifies(X509Certificate c, java.security.PublicKey key) {
        try {
            c.verify(key);
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static void pkix(X509Certificate anchor, X509Certificate... path) throws Exception {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(path)), params);
    }

    private static Path pem(Path work, String name, X509Certificate c) throws Exception {
        Path file = work.resolve(name);
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded())
                + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        return file;
    }

    /** The key identifier openssl prints for extension {@code extension} of the certificate in {@code pem}. */
    private static String keyId(Path pem, String extension) throws Exception {
        String text = openssl("x509", "-noout", "-ext", extension, "-in", pem.toString());
        Matcher m = KEY_ID.matcher(text);
        assertTrue(m.find(), text);
        return m.group();
    }

    /** The PEM certificates in openssl's output, parsed by the JDK. */
    private static List<X509Certificate> parsePem(String text) throws Exception {
        List<X509Certificate> all = new ArrayList<>();
        Matcher m = Pattern.compile("-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", Pattern.DOTALL).matcher(text);
        while (m.find()) {
            all.add((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(Base64.getMimeDecoder().decode(m.group(1)))));
        }
        return all;
    }

    /** openssl with {@code args}: what it prints, whatever its exit status (a refusal is an answer here). */
    private static String openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return text;
    }
}

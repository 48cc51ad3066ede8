package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Hostile input on the real Tomcat: more than 200 generated requests (bit flips and truncations of a valid CSR,
 * wrong, repeated and unparsable media types, oversized and malformed bodies, weak keys and bad names, forged
 * forwarded-certificate headers from an untrusted peer, junk credentials, odd paths and methods). Each answer must be
 * a 4xx in est4j's voice (one text/plain line {@code <status> <reason>}; the 401 challenge alone is empty, see
 * ChallengeBodyTest) with no stack trace, class name or server version, and nothing may be issued.
 */
class BadInputTest extends OwnConfigurationScenarios {

    private static final Pattern LINE = Pattern.compile("([1-5][0-9]{2}) [^\\r\\n\\x00-\\x08]{1,600}\\n");
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Z][A-Za-z0-9_$]*");
    private static final List<String> LEAKS = List.of("Exception", "at org.", "at java.", "Tomcat", "Apache", "Jersey", "Weld",
            "catalina", "jakarta.", "Caused by");
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    static {
        Pki.registerBouncyCastle();
    }

    @Deployment(testable = false)
    static WebArchive est4j() {
        return EstTarget.rootWar();
    }

    /** A named request and how to send it. */
    private record Case(String name, Sender sender) {
    }

    @FunctionalInterface
    private interface Sender {
        RawHttps.Response send(RawHttps http) throws Exception;
    }

    private RawHttps http() throws Exception {
        return new RawHttps(target.host(), target.httpsPort(), Pki.tls(target.ca(), null));
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((target.user() + ":" + target.password()).getBytes(StandardCharsets.UTF_8));
    }

    private Path issuedLog() {
        return target.estHome().resolve("ca/default/issued.log");
    }

    @TestFactory
    Stream<DynamicTest> everyHostileRequestIsA4xxInEstsVoiceAndIssuesNothing() throws Exception {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 200, "at least 200 cases, not " + cases.size());
        long issuedBefore = Files.readAllLines(issuedLog()).size();
        RawHttps http = http();
        Stream<DynamicTest> each = cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> assertEstsVoice(c, c.sender().send(http))));
        Stream<DynamicTest> nothingIssued = Stream.of(DynamicTest.dynamicTest("nothing was issued (" + cases.size() + " cases)",
                () -> assertEquals(issuedBefore, Files.readAllLines(issuedLog()).size(), "a hostile request got a certificate")));
        return Stream.concat(each, nothingIssued);
    }

    private static void assertEstsVoice(Case c, RawHttps.Response r) {
        assertTrue(r.status() >= 400 && r.status() < 500, () -> c.name() + ": expected a 4xx, got " + r);
        String contentType = r.header("Content-Type");
        assertTrue(contentType != null && contentType.replace(" ", "").equalsIgnoreCase("text/plain;charset=utf-8"),
                () -> c.name() + ": not text/plain: " + r);
        String text = r.text();
        if (r.status() == 401 && r.header("WWW-Authenticate") != null && text.isEmpty()) {
            assertEquals("0", r.header("Content-Length"), c.name());
        } else {
            var m = LINE.matcher(text);
            assertTrue(m.matches() && m.group(1).equals(Integer.toString(r.status())), () -> c.name() + ": not one line '<status> <reason>': " + r);
        }
        assertNoLeak(c.name(), text);
        assertFalse(text.contains("<"), () -> c.name() + ": markup in est4j's reply: " + r);
    }

    static void assertNoLeak(String name, String body) {
        for (String leak : LEAKS) {
            assertFalse(body.toLowerCase(Locale.ROOT).contains(leak.toLowerCase(Locale.ROOT)), () -> name + ": the body shows '" + leak + "': " + body);
        }
        assertFalse(CLASS_NAME.matcher(body).find(), () -> name + ": the body names a class: " + body);
        assertFalse(body.matches("(?s).*\\b11\\.0\\.\\d+.*"), () -> name + ": the body shows a server version: " + body);
    }

    /**
     * Requests the container refuses before est4j sees them: Tomcat's page (HTML: the ErrorReportValve's), but without
     * report, stack trace, class name or version.
     */
    @Test
    void malformedHttpGetsNoStackTraceClassNameOrServerVersion() throws Exception {
        RawHttps http = http();
        List<Case> cases = List.of(
                new Case("a header over 8 KiB", h -> h.send("GET /.well-known/est/cacerts HTTP/1.1\r\nX-Big: " + "a".repeat(9000), new byte[0])),
                new Case("more than 100 headers", h -> {
                    StringBuilder head = new StringBuilder("GET /.well-known/est/cacerts HTTP/1.1");
                    for (int i = 0; i < 120; i++) {
                        head.append("\r\nX-H").append(i).append(": v");
                    }
                    return h.send(head.toString(), new byte[0]);
                }),
                new Case("a bad chunk header", h -> h.send("POST /.well-known/est/simpleenroll HTTP/1.1\r\nContent-Type: application/pkcs10"
                        + "\r\nTransfer-Encoding: chunked\r\nAuthorization: " + basic(), "zz\r\nabc\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII))),
                new Case("[ in the request target", h -> h.send("GET /.well-known/est/sim[ple HTTP/1.1", new byte[0])),
                new Case("\\ in the request target", h -> h.send("GET /.well-known/est/sim\\ple HTTP/1.1", new byte[0])),
                new Case("a tab in the request target", h -> h.send("GET /.well-known/est/sim\tple HTTP/1.1", new byte[0])),
                new Case("an authorization header the connector refuses", h -> h.send("GET /.well-known/est/cacerts HTTP/1.1\r\nAuthorization: Basic "
                        + "Zm9vOmJhcg==" + "x".repeat(9000), new byte[0])),
                // normalised out of /.well-known/est or refused while the container decodes the path
                new Case("a dot-dot segment", h -> h.send("GET /.well-known/est/%2e%2e/simpleenroll HTTP/1.1", new byte[0])),
                new Case("an encoded NUL in the path", h -> h.send("GET /.well-known/est/simpleenroll%00 HTTP/1.1", new byte[0])),
                new Case("invalid UTF-8 in the path", h -> h.send("GET /.well-known/est/%ff%fe/cacerts HTTP/1.1", new byte[0])));
        for (Case c : cases) {
            RawHttps.Response r = c.sender().send(http);
            assertTrue(r.status() == 400 || r.status() == 413 || r.status() == 431 || r.status() == 505 || r.status() == 404,
                    () -> c.name() + ": " + r);
            assertNoLeak(c.name(), r.text());
            assertFalse(r.text().contains("Zm9vOmJhcg"), () -> c.name() + ": the page quotes the Authorization header: " + r);
        }
    }

    // ---- the cases -----------------------------------------------------------------------------------------

    private List<Case> cases() throws Exception {
        List<Case> cases = new ArrayList<>();
        KeyPair p256 = Pki.p256();
        byte[] valid = Pki.csr(p256, "CN=bad-input-base,O=est4j-it", "bad-input-base.example").getEncoded();

        // bit flips and truncations of a valid CSR
        for (int i = 0; i < valid.length; i += Math.max(1, valid.length / 70)) {
            byte[] flipped = valid.clone();
            flipped[i] ^= (byte) (1 << (i % 8));
            cases.add(csrCase("CSR with bit " + (i % 8) + " of byte " + i + " flipped", flipped));
        }
        for (int len : List.of(0, 1, 2, 3, 4, 5, 8, 10, 16, 20, 32, 40, 50, 64, 80, 100, 120, 128, 150, 160, 180, 200, 220, 240)) {
            if (len < valid.length) {
                cases.add(csrCase("CSR truncated to " + len + " bytes", java.util.Arrays.copyOf(valid, len)));
            }
        }
        for (int cut = 1; cut <= 12; cut++) {
            cases.add(csrCase("CSR without its last " + cut + " byte(s)", java.util.Arrays.copyOf(valid, valid.length - cut)));
        }
        cases.add(rawCase("a valid CSR as raw DER followed by garbage", concat(valid, new byte[] {1, 2, 3}), "application/pkcs10"));
        cases.add(csrCase("two CSRs back to back", concat(valid, valid)));

        // media types
        byte[] body = Base64.getMimeEncoder().encode(valid);
        for (String type : List.of("text/plain", "application/json", "application/pkcs7-mime", "application/pkcs10x",
                "application/octet-stream", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/",
                "/", "/pkcs10", ";;;;", "application/pkcs10; a=\"unterminated", "application/pkcs10; =", "application/pkcs10; a",
                "application", "application/pkcs10, application/pkcs10", "application/pk cs10", "*/*", "application/" + "z".repeat(7000),
                "application/pkcs10; " + "p=v; ".repeat(300))) {
            cases.add(new Case("Content-Type: " + shorten(type), h -> h.send(post("simpleenroll", type), body)));
        }
        cases.add(new Case("Content-Type with non-ASCII octets", h -> h.sendBytes(concat(
                "POST /.well-known/est/simpleenroll HTTP/1.1\r\nAuthorization: ".getBytes(StandardCharsets.US_ASCII),
                (basic() + "\r\nContent-Length: " + body.length + "\r\nContent-Type: application/pk").getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xc3, (byte) 0xa9, (byte) 0xff}, "cs10".getBytes(StandardCharsets.US_ASCII)), body)));
        cases.add(new Case("no Content-Type", h -> h.send(post("simpleenroll", null), body)));
        cases.add(new Case("two Content-Type headers, the same", h -> h.send(post("simpleenroll", "application/pkcs10")
                + "\r\nContent-Type: application/pkcs10", body)));
        cases.add(new Case("two Content-Type headers, different", h -> h.send(post("simpleenroll", "application/pkcs10")
                + "\r\nContent-Type: text/plain", body)));
        for (String accept : List.of("x/y;q=zz", ";;", "text/", "*/json", "text/plain;q=2")) {
            cases.add(new Case("Accept: " + accept + " with a broken CSR", h -> h.send(post("simpleenroll", "application/pkcs10")
                    + "\r\nAccept: " + accept, "bm90IGEgY3Ny".getBytes(StandardCharsets.US_ASCII))));
        }
        cases.add(new Case("fullcmc with a PKCS#10 media type", h -> h.send(post("fullcmc", "application/pkcs10"), body)));
        cases.add(new Case("simplereenroll with a CMC media type", h -> h.send(post("simplereenroll", "application/pkcs7-mime; smime-type=CMC-request"), body)));

        // oversized and malformed bodies
        byte[] big = Base64.getMimeEncoder().encode(new byte[70_000]);
        cases.add(new Case("a 93 KB body with Content-Length", h -> h.send(post("simpleenroll", "application/pkcs10"), big)));
        cases.add(new Case("a 93 KB chunked body", h -> h.send(postHead("simpleenroll", "application/pkcs10")
                + "\r\nTransfer-Encoding: chunked", chunked(big))));
        cases.add(new Case("a declared length of 100 MB", h -> h.send(postHead("simpleenroll", "application/pkcs10")
                + "\r\nContent-Length: 100000000", body)));
        cases.add(new Case("a 1 MB fullcmc body", h -> h.send(post("fullcmc", "application/pkcs7-mime; smime-type=CMC-request"),
                new byte[1_000_000])));
        for (String text : List.of("", " ", "\r\n\r\n", "x", "!!!!", "AAAA=", "A===", "YWJj\u0000ZGVm", "aGVsbG8gd29ybGQ=",
                "-----BEGIN CERTIFICATE REQUEST-----\ngarbage\n-----END CERTIFICATE REQUEST-----\n", "MA==", "MAA=",
                "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA")) {
            cases.add(new Case("body '" + shorten(text.replace("\n", "\\n").replace("\u0000", "\\0")) + "'",
                    h -> h.send(post("simpleenroll", "application/pkcs10"), text.getBytes(StandardCharsets.ISO_8859_1))));
        }
        cases.add(csrCase("a certificate instead of a CSR", target.ca().getEncoded()));
        cases.add(csrCase("indefinite-length nesting 2000 deep", deepBer(2000)));
        cases.add(csrCase("random bytes", randomBytes(300)));
        cases.add(new Case("a fullcmc body that is no CMS", h -> h.send(post("fullcmc", "application/pkcs7-mime; smime-type=CMC-request"),
                Base64.getMimeEncoder().encode(valid))));
        cases.add(new Case("a fullcmc body of base64 garbage", h -> h.send(post("fullcmc", "application/pkcs7-mime; smime-type=CMC-request"),
                "Z2FyYmFnZQ==".getBytes(StandardCharsets.US_ASCII))));

        // weak keys, weak signatures, bad names, bad encodings (issue 12, point 7)
        X500Name device = new X500Name("CN=policy-test");
        cases.add(csrCase("RSA-512", signed(keys("RSA", 512), "SHA256withRSA", device, null)));
        cases.add(csrCase("RSA-1024", signed(keys("RSA", 1024), "SHA256withRSA", device, null)));
        cases.add(csrCase("DSA", signed(keys("DSA", 2048), "SHA256withDSA", device, null)));
        cases.add(csrCase("secp256k1", signed(keys("EC", new ECGenParameterSpec("secp256k1")), "SHA256withECDSA", device, null)));
        cases.add(csrCase("P-192", signed(keys("EC", new ECGenParameterSpec("secp192r1")), "SHA256withECDSA", device, null)));
        cases.add(csrCase("sect283k1", signed(keys("EC", new ECGenParameterSpec("sect283k1")), "SHA256withECDSA", device, null)));
        KeyPair rsa2048 = keys("RSA", 2048);
        cases.add(csrCase("MD5withRSA", signed(rsa2048, "MD5withRSA", device, null)));
        cases.add(csrCase("SHA1withRSA", signed(rsa2048, "SHA1withRSA", device, null)));
        cases.add(csrCase("SHA1withECDSA", signed(p256, "SHA1withECDSA", device, null)));
        cases.add(csrCase("a NUL in the CN", signed(p256, "SHA256withECDSA", cn("dev\u0000ice"), null)));
        cases.add(csrCase("CR LF in the CN", signed(p256, "SHA256withECDSA", cn("a\r\nSEVERE: FAKE record"), null)));
        cases.add(csrCase("an ESC sequence in the CN", signed(p256, "SHA256withECDSA", cn("\u001b[31mred"), null)));
        cases.add(csrCase("a 20,000-character CN", signed(p256, "SHA256withECDSA", cn("x".repeat(20_000)), null)));
        cases.add(csrCase("a 65-character CN", signed(p256, "SHA256withECDSA", cn("y".repeat(65)), null)));
        cases.add(csrCase("an empty CN", signed(p256, "SHA256withECDSA", cn(""), null)));
        cases.add(csrCase("a three-letter country", signed(p256, "SHA256withECDSA",
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, new org.bouncycastle.asn1.DERPrintableString("DEU")).build(), null)));
        cases.add(csrCase("an empty DNS name", signed(p256, "SHA256withECDSA", device, san(new GeneralName(GeneralName.dNSName, new DERIA5String("", false))))));
        cases.add(csrCase("a non-ASCII DNS name", signed(p256, "SHA256withECDSA", device,
                san(new GeneralName(GeneralName.dNSName, new DERIA5String("bücher.example", false))))));
        cases.add(csrCase("a DNS name with a space", signed(p256, "SHA256withECDSA", device, san(new GeneralName(GeneralName.dNSName, "a b.example")))));
        cases.add(csrCase("a DNS label of 64 characters", signed(p256, "SHA256withECDSA", device,
                san(new GeneralName(GeneralName.dNSName, "z".repeat(64) + ".example")))));
        cases.add(csrCase("an invalid A-label", signed(p256, "SHA256withECDSA", device, san(new GeneralName(GeneralName.dNSName, "xn--zzzz-9999.example")))));
        cases.add(csrCase("an rfc822Name without @", signed(p256, "SHA256withECDSA", device, san(new GeneralName(GeneralName.rfc822Name, "nobody")))));
        cases.add(csrCase("a relative URI", signed(p256, "SHA256withECDSA", device, san(new GeneralName(GeneralName.uniformResourceIdentifier, "x/y")))));
        cases.add(csrCase("an IP address of 5 octets", signed(p256, "SHA256withECDSA", device,
                san(new GeneralName(GeneralName.iPAddress, new org.bouncycastle.asn1.DEROctetString(new byte[5]))))));
        cases.add(csrCase("an empty subjectAltName", signed(p256, "SHA256withECDSA", device, san())));
        ExtensionsGenerator unknownCritical = new ExtensionsGenerator();
        unknownCritical.addExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.7"), true, new DERUTF8String("x"));
        cases.add(csrCase("an unknown critical extension", signed(p256, "SHA256withECDSA", device, unknownCritical)));
        X500Name emptyRdn = X500Name.getInstance(new DERSequence(new DERSet()));
        cases.add(csrCase("an empty RDN with a subjectAltName", signed(p256, "SHA256withECDSA", emptyRdn,
                san(new GeneralName(GeneralName.dNSName, "empty-rdn.example")))));
        cases.add(csrCase("an empty RDN with a critical subjectAltName", signed(p256, "SHA256withECDSA", emptyRdn,
                criticalSan(new GeneralName(GeneralName.dNSName, "empty-rdn.example")))));
        cases.add(csrCase("an empty RDN and no subjectAltName", signed(p256, "SHA256withECDSA", emptyRdn, null)));
        cases.add(csrCase("an empty subject and no subjectAltName", signed(p256, "SHA256withECDSA", new X500Name(new org.bouncycastle.asn1.x500.RDN[0]), null)));
        cases.add(csrCase("a BER (indefinite-length) CSR", ber(valid)));
        cases.add(csrCase("CSR version -1", withVersion(p256, -1)));
        cases.add(csrCase("CSR version 5", withVersion(p256, 5)));
        cases.add(csrCase("CSR version 1", withVersion(p256, 1)));

        // forged forwarded-certificate headers from an untrusted peer (no trusted proxy is configured)
        X509Certificate client = enrolledCertificate(p256);
        String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(client.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        String der64 = Base64.getEncoder().encodeToString(client.getEncoded());
        List<String[]> forged = List.of(new String[] {"X-SSL-Client-Cert", URLEncoder.encode(pem, StandardCharsets.UTF_8)},
                new String[] {"X-SSL-Client-Cert", pem.replace("\n", " ")}, new String[] {"X-SSL-Client-Cert", der64},
                new String[] {"Client-Cert", ":" + der64 + ":"}, new String[] {"Client-Cert-Chain", ":" + der64 + ":"},
                new String[] {"X-Forwarded-Client-Cert", "Cert=\"" + URLEncoder.encode(pem, StandardCharsets.UTF_8) + "\""},
                new String[] {"X-Amzn-Mtls-Clientcert", URLEncoder.encode(pem, StandardCharsets.UTF_8)},
                new String[] {"X-Amzn-Mtls-Clientcert-Leaf", URLEncoder.encode(pem, StandardCharsets.UTF_8)},
                new String[] {"X-Client-Cert", der64}, new String[] {"SSL_CLIENT_CERT", pem.replace("\n", " ")},
                new String[] {"X-ARR-ClientCert", der64}, new String[] {"X-Client-Certificate", der64},
                new String[] {"X-SSL-Cert", URLEncoder.encode(pem, StandardCharsets.UTF_8)}, new String[] {"Ssl-Client-Cert", der64},
                new String[] {"X-SSL-Client-Verify", "SUCCESS"}, new String[] {"X-Forwarded-Proto", "https"});
        byte[] anotherCsr = Base64.getMimeEncoder().encode(Pki.csr(Pki.p256(), "CN=forged-identity").getEncoded());
        for (String[] header : forged) {
            // no credentials: the forged header is the only claim of an identity
            cases.add(new Case("forged " + header[0] + " from an untrusted peer", h -> h.send("POST /.well-known/est/simpleenroll HTTP/1.1"
                    + "\r\nContent-Type: application/pkcs10\r\n" + header[0] + ": " + header[1], anotherCsr)));
            cases.add(new Case("forged " + header[0] + " on simplereenroll", h -> h.send("POST /.well-known/est/simplereenroll HTTP/1.1"
                    + "\r\nContent-Type: application/pkcs10\r\n" + header[0] + ": " + header[1], anotherCsr)));
        }

        // junk credentials
        for (String authorization : List.of("Basic", "Basic !!!", "Basic " + b64("no-colon"), "Basic " + b64("est:wrong"),
                "Basic " + b64("u".repeat(5000) + ":p"), "Basic " + b64("None:None"), "Basic " + b64("\u202eadmin:x"),
                "Digest", "Digest username=\"est\"", "Digest " + "a=b,".repeat(500), "Bearer abc.def.ghi", "Negotiate YII=",
                "NTLM TlRMTVNTUAABAAAA", "basic " + b64("est:wrong"), "Basic " + b64("est:" + "p".repeat(3000)))) {
            cases.add(new Case("Authorization: " + shorten(authorization), h -> h.send("POST /.well-known/est/simpleenroll HTTP/1.1"
                    + "\r\nContent-Type: application/pkcs10\r\nContent-Length: " + body.length + "\r\nAuthorization: " + authorization, body)));
        }
        cases.add(new Case("Authorization with invalid UTF-8", h -> h.sendBytes(concat(("POST /.well-known/est/simpleenroll HTTP/1.1"
                + "\r\nContent-Type: application/pkcs10\r\nContent-Length: " + body.length + "\r\nAuthorization: Basic ").getBytes(StandardCharsets.US_ASCII),
                Base64.getEncoder().encode(new byte[] {(byte) 0xc3, 0x28, ':', 'x'})), body)));

        // paths and methods
        for (String method : List.of("PUT", "DELETE", "PATCH")) {
            cases.add(new Case(method + " simpleenroll", h -> h.send(method + " /.well-known/est/simpleenroll HTTP/1.1\r\nContent-Length: 0", new byte[0])));
        }
        for (String path : List.of("simpleenroll", "nothing", "a/b/c/simpleenroll", ".../cacerts", ".hidden/cacerts",
                "l".repeat(65) + "/cacerts", "simpleenroll/simpleenroll", "unknown-label/cacerts", "cacerts/extra",
                "simple%0d%0aenroll", "csrattrs/x", "l%C3%A4bel/cacerts")) {
            cases.add(new Case("GET " + shorten(path), h -> h.send("GET /.well-known/est/" + path + " HTTP/1.1", new byte[0])));
        }
        cases.add(new Case("POST to an unknown label", h -> h.send(post("no-such-label/simpleenroll", "application/pkcs10"), body)));
        cases.add(new Case("POST cacerts", h -> h.send(post("cacerts", "application/pkcs10"), body)));
        return cases;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private Case csrCase(String name, byte[] der) {
        return new Case(name, h -> h.send(post("simpleenroll", "application/pkcs10"), Base64.getMimeEncoder().encode(der)));
    }

    private Case rawCase(String name, byte[] bytes, String contentType) {
        return new Case(name, h -> h.send(post("simpleenroll", contentType), bytes));
    }

    /** A request head with est4j's user's credentials ({@link RawHttps} adds the body's length). */
    private String postHead(String path, String contentType) {
        return "POST /.well-known/est/" + path + " HTTP/1.1\r\nAuthorization: " + basic()
                + (contentType == null ? "" : "\r\nContent-Type: " + contentType);
    }

    private String post(String path, String contentType) {
        return postHead(path, contentType);
    }

    private X509Certificate enrolledCertificate(KeyPair keys) throws Exception {
        EstHttp.Reply reply = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic(target.user(), target.password())
                .postCsr("simpleenroll", Pki.csr(keys, "CN=bad-input-holder").getEncoded());
        assertEquals(200, reply.status(), reply::toString);
        return Pki.certsOnly(reply.base64Body()).get(0);
    }

    private static KeyPair keys(String algorithm, Object spec) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm, BC);
        if (spec instanceof Integer bits) {
            g.initialize(bits);
        } else {
            g.initialize((AlgorithmParameterSpec) spec);
        }
        return g.generateKeyPair();
    }

    private static X500Name cn(String value) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, new DERUTF8String(value)).build();
    }

    private static ExtensionsGenerator san(GeneralName... names) throws IOException {
        ExtensionsGenerator g = new ExtensionsGenerator();
        g.addExtension(Extension.subjectAlternativeName, false, new DERSequence(names));
        return g;
    }

    private static ExtensionsGenerator criticalSan(GeneralName... names) throws IOException {
        ExtensionsGenerator g = new ExtensionsGenerator();
        g.addExtension(Extension.subjectAlternativeName, true, new GeneralNames(names));
        return g;
    }

    private static byte[] signed(KeyPair keys, String algorithm, X500Name subject, ExtensionsGenerator extensions) throws Exception {
        JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic());
        if (extensions != null) {
            b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
        }
        return b.build(new JcaContentSignerBuilder(algorithm).setProvider(BC).build(keys.getPrivate())).getEncoded();
    }

    /** A CSR whose CertificationRequestInfo has {@code version}, correctly signed (BouncyCastle's builder always writes 0). */
    private static byte[] withVersion(KeyPair keys, int version) throws Exception {
        ASN1EncodableVector info = new ASN1EncodableVector();
        info.add(new ASN1Integer(version));
        info.add(new X500Name("CN=version-" + version));
        info.add(SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()));
        info.add(new DERTaggedObject(false, 0, new DERSet()));
        byte[] infoDer = new DERSequence(info).getEncoded(ASN1Encoding.DER);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(keys.getPrivate());
        s.update(infoDer);
        return new DERSequence(new ASN1Encodable[] {new DERSequence(info), new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256),
                new DERBitString(s.sign())}).getEncoded(ASN1Encoding.DER);
    }

    /** The same CSR with its outer SEQUENCE in indefinite-length form (BER). */
    private static byte[] ber(byte[] der) {
        int headerLength = (der[1] & 0x80) == 0 ? 2 : 2 + (der[1] & 0x7f);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.write(0x80);
        out.write(der, headerLength, der.length - headerLength);
        out.write(0);
        out.write(0);
        return out.toByteArray();
    }

    private static byte[] deepBer(int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < depth; i++) {
            out.write(0x30);
            out.write(0x80);
        }
        for (int i = 0; i < depth; i++) {
            out.write(0);
            out.write(0);
        }
        return out.toByteArray();
    }

    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int off = 0; off < body.length; off += 8192) {
            int n = Math.min(8192, body.length - off);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, off, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new java.util.Random(12).nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "...(" + s.length() + " chars)" : s;
    }
}

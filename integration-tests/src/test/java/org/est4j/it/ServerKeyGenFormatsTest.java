package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * RFC 8295 section 8 on the real Tomcat with the local CA: {@code /serverkeygen} answering, as the client's
 * {@code Accept} asks, one password-protected PKCS#12 file (opened by {@code openssl pkcs12}) or an RFC 6032
 * encrypted key package for the client's TLS certificate (decoded by pyasn1-modules, decrypted by
 * {@code openssl cms} and by the client's key in Java). The label {@code formats} has server keygen on with the
 * default key type (EC P-256).
 */
class ServerKeyGenFormatsTest extends OwnConfigurationScenarios {

    private static final String P12_PASSWORD = "it-Pkcs12-password";
    private static final ASN1ObjectIdentifier ASYMM_DECRYPT_KEY_ID = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.54");

    static {
        Pki.registerBouncyCastle();
    }

    @Deployment(testable = false)
    static WebArchive est4jWithServerKeyGenFormats() {
        EstHomeConfig.append("ServerKeyGenFormatsTest", """
                label.formats.ca = default
                label.formats.server-keygen = true
                """);
        return EstTarget.rootWar();
    }

    @Test
    void pkcs12OverHttpsOpensWithOpensslAndItsCertificateMatchesItsKey() throws Exception {
        Path dir = Files.createTempDirectory("est4j-p12");
        EstHttp.Reply reply = withPassword().header("Accept", "application/pkcs12")
                .postCsr("formats/serverkeygen", csr(Pki.p256(), "CN=it-p12-device",
                        PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString(P12_PASSWORD)));

        assertEquals(200, reply.status(), reply::toString);
        assertEquals("application/pkcs12", reply.requiredHeader("Content-Type"));
        assertEquals("no-store", reply.requiredHeader("Cache-Control"));
        Path p12 = Files.write(dir.resolve("device.p12"), reply.base64Body());

        Run info = run("openssl", "pkcs12", "-in", p12.toString(), "-passin", "pass:" + P12_PASSWORD, "-nodes", "-info");
        assertEquals(0, info.status(), info.output());
        assertTrue(info.output().contains("MAC: sha256"), info.output());
        assertTrue(info.output().contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC"), info.output());
        assertTrue(info.output().contains("-----BEGIN PRIVATE KEY-----"), info.output());
        assertTrue(info.output().contains("subject=CN = it-p12-device"), info.output());

        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        Path chain = dir.resolve("chain.pem");
        assertEquals(0, run("openssl", "pkcs12", "-in", p12.toString(), "-passin", "pass:" + P12_PASSWORD, "-nocerts", "-nodes",
                "-out", key.toString()).status());
        assertEquals(0, run("openssl", "pkcs12", "-in", p12.toString(), "-passin", "pass:" + P12_PASSWORD, "-clcerts", "-nokeys",
                "-out", cert.toString()).status());
        assertEquals(0, run("openssl", "pkcs12", "-in", p12.toString(), "-passin", "pass:" + P12_PASSWORD, "-cacerts", "-nokeys",
                "-out", chain.toString()).status());
        Run fromKey = run("openssl", "pkey", "-in", key.toString(), "-pubout");
        Run fromCert = run("openssl", "x509", "-in", cert.toString(), "-noout", "-pubkey");
        assertTrue(fromKey.output().startsWith("-----BEGIN PUBLIC KEY-----"), fromKey.output());
        assertEquals(fromKey.output(), fromCert.output(), "the certificate's public key is the private key's");
        // the CA chain in the file is the one the client trusts, and it issued the certificate
        Run verify = run("openssl", "verify", "-CAfile", chain.toString(), cert.toString());
        assertEquals(0, verify.status(), verify.output());
        assertEquals(Pki.readCertificate(chain), target.ca());

        Run wrong = run("openssl", "pkcs12", "-in", p12.toString(), "-passin", "pass:wrong-password", "-nodes", "-info");
        assertNotEquals(0, wrong.status(), wrong.output());
        assertTrue(wrong.output().contains("Mac verify error"), wrong.output());
    }

    @Test
    void pkcs12WithoutAChallengePasswordIs400() throws Exception {
        EstHttp.Reply reply = withPassword().header("Accept", "application/pkcs12")
                .postCsr("formats/serverkeygen", csr(Pki.p256(), "CN=it-p12-nopass"));
        assertEquals(400, reply.status(), reply::toString);
        assertEquals("400 a PKCS#12 reply (Accept: application/pkcs12) is protected by the request's challengePassword "
                + "attribute, and the request has none\n", reply.text());
    }

    @Test
    void anEncryptedKeyPackageForTheTlsClientCertificateDecodesAndDecryptsToTheIssuedKey() throws Exception {
        Path dir = Files.createTempDirectory("est4j-ekp");
        KeyPair clientKeys = Pki.p256();
        X509Certificate client = enrollWithPassword(clientKeys, "CN=it-ekp-client");
        byte[] ski = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(client.getExtensionValue("2.5.29.14")).getOctets())
                .getKeyIdentifier();
        EstHttp asClient = new EstHttp(target.estBase(), Pki.tls(target.ca(), Pki.clientKey(clientKeys.getPrivate(), client, target.ca())))
                .header("Accept", "application/cms");

        EstHttp.Reply reply = asClient.postCsr("formats/serverkeygen",
                csr(Pki.p256(), "CN=it-ekp-client", ASYMM_DECRYPT_KEY_ID, new DEROctetString(ski)));

        assertEquals(200, reply.status(), reply::toString);
        assertTrue(reply.requiredHeader("Content-Type").startsWith("multipart/mixed; boundary="), reply::toString);
        List<Part> parts = parts(reply);
        assertEquals(2, parts.size());
        assertEquals("application/cms", parts.get(0).headers().get("content-type"));
        assertEquals("application/pkcs7-mime; smime-type=certs-only", parts.get(1).headers().get("content-type"));
        byte[] keyPart = Base64.getMimeDecoder().decode(parts.get(0).body());
        X509Certificate issued = Pki.certsOnly(Base64.getMimeDecoder().decode(parts.get(1).body())).get(0);
        Pki.pkixValidate(issued, target.ca());

        // pyasn1-modules: SignedData of id-ct-KP-encryptedKeyPkg, pkgID = the serial's octets, the [0] EnvelopedData choice
        Path enveloped = dir.resolve("enveloped.der");
        Run decoded = run("/usr/bin/python3", decoder().toString(), Files.write(dir.resolve("key-part.der"), keyPart).toString(),
                enveloped.toString());
        assertEquals(0, decoded.status(), decoded.output());
        Map<String, String> values = values(decoded.output());
        assertEquals("1.2.840.113549.1.7.2", values.get("outer"), decoded.output());
        assertEquals("2.16.840.1.101.2.1.2.78.2", values.get("eContentType"), decoded.output());
        assertEquals(HexFormat.of().formatHex(issued.getSerialNumber().toByteArray()), values.get("pkgID"), decoded.output());
        assertEquals("enveloped", values.get("choice"), decoded.output());
        assertEquals("2.16.840.1.101.2.1.2.78.5", values.get("innerContentType"), decoded.output());
        assertEquals("kari", values.get("recipientInfo"), decoded.output());

        // signed by the EST server
        CMSSignedData signed = new CMSSignedData(keyPart);
        assertTrue(signed.getSignerInfos().getSigners().iterator().next().verify(new JcaSimpleSignerInfoVerifierBuilder()
                .setProvider("BC").build(Pki.readCertificate(target.estHome().resolve("tls-server.pem")))));

        // openssl cms and the client's key in Java decrypt the EnvelopedData pyasn1 found to the issued certificate's key
        Files.writeString(dir.resolve("client.pem"), pem("CERTIFICATE", client.getEncoded()));
        Files.writeString(dir.resolve("client.key"), pem("PRIVATE KEY", clientKeys.getPrivate().getEncoded()));
        Run decrypt = run("openssl", "cms", "-decrypt", "-binary", "-inform", "DER", "-in", enveloped.toString(),
                "-recip", dir.resolve("client.pem").toString(), "-inkey", dir.resolve("client.key").toString(),
                "-out", dir.resolve("akp.der").toString());
        assertEquals(0, decrypt.status(), decrypt.output());
        byte[] keyPackage = new CMSEnvelopedData(Files.readAllBytes(enveloped)).getRecipientInfos().getRecipients().iterator().next()
                .getContent(new JceKeyAgreeEnvelopedRecipient(clientKeys.getPrivate()).setProvider("BC"));
        assertArrayEquals(keyPackage, Files.readAllBytes(dir.resolve("akp.der")));
        Run akp = run("/usr/bin/python3", decoder().toString(), "--akp", dir.resolve("akp.der").toString());
        assertTrue(akp.output().contains("keys=1\nkeyAlgorithm=1.2.840.10045.2.1\n"), akp.output());
        ASN1Sequence keys = ASN1Sequence.getInstance(keyPackage);
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                PrivateKeyInfo.getInstance(keys.getObjectAt(0)).getEncoded()));
        java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(new byte[] {42});
        byte[] signature = s.sign();
        s.initVerify(issued.getPublicKey());
        s.update(new byte[] {42});
        assertTrue(s.verify(signature), "the delivered private key belongs to the issued certificate");
    }

    @Test
    void anEncryptedKeyPackageWithoutAKeyToEncryptForIs400AndOtherAcceptsKeepRfc7030() throws Exception {
        EstHttp.Reply refused = withPassword().header("Accept", "application/cms")
                .postCsr("formats/serverkeygen", csr(Pki.p256(), "CN=it-ekp-nokey"));
        assertEquals(400, refused.status(), refused::toString);
        assertTrue(refused.text().startsWith("400 an encrypted key package (Accept: application/cms) needs a key to encrypt for"),
                refused::toString);

        EstHttp.Reply classic = withPassword().header("Accept", "*/*")
                .postCsr("formats/serverkeygen", csr(Pki.p256(), "CN=it-classic"));
        assertEquals(200, classic.status(), classic::toString);
        assertEquals("application/pkcs8", parts(classic).get(0).headers().get("content-type"));
    }

    // ---- helpers ----

    private EstHttp withPassword() throws Exception {
        return new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic(target.user(), target.password());
    }

    private X509Certificate enrollWithPassword(KeyPair keys, String subject) throws Exception {
        EstHttp.Reply reply = withPassword().postCsr("simpleenroll", Pki.csr(keys, subject).getEncoded());
        assertEquals(200, reply.status(), reply::toString);
        return Pki.certsOnly(reply.base64Body()).get(0);
    }

    private static byte[] csr(KeyPair keys, String subject, Object... attributes) throws Exception {
        JcaPKCS10CertificationRequestBuilder b = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic());
        for (int i = 0; i < attributes.length; i += 2) {
            b.addAttribute((ASN1ObjectIdentifier) attributes[i], (ASN1Encodable) attributes[i + 1]);
        }
        return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())).getEncoded();
    }

    /** est-jaxrs's pyasn1-modules decoder of an encrypted key package (the unit tests run the same script). */
    private static Path decoder() {
        Path script = Path.of(System.getProperty("user.dir")).resolve(
                "../est-jaxrs/src/test/resources/org/est4j/jaxrs/keygen/decode_encrypted_key_package.py").normalize();
        assertTrue(Files.isRegularFile(script), "missing " + script);
        return script;
    }

    private static Map<String, String> values(String output) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return values;
    }

    record Part(Map<String, String> headers, String body) {
    }

    /** The parts of a multipart/mixed reply, header names lower case. */
    private static List<Part> parts(EstHttp.Reply reply) {
        String type = reply.requiredHeader("Content-Type");
        String boundary = type.substring(type.indexOf("boundary=") + 9);
        String text = new String(reply.body(), StandardCharsets.US_ASCII);
        assertTrue(text.endsWith("--" + boundary + "--\r\n"), "closing delimiter");
        List<Part> parts = new ArrayList<>();
        for (String chunk : text.split("--" + boundary)) {
            if (chunk.isBlank() || chunk.startsWith("--")) {
                continue;
            }
            String part = chunk.substring(2);
            int end = part.indexOf("\r\n\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : part.substring(0, end).split("\r\n")) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            parts.add(new Part(headers, part.substring(end + 4).strip()));
        }
        return parts;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private record Run(int status, String output) {
    }

    private static Run run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        return new Run(p.exitValue(), output);
    }
}

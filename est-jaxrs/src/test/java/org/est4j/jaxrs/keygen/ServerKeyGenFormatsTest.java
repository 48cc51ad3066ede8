package org.est4j.jaxrs.keygen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.cms.jcajce.JceKEKEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.est4j.jaxrs.EnrollmentHandler;
import org.est4j.jaxrs.EstEndpointConfig;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.EstReply;
import org.est4j.jaxrs.HttpRequestInfo;
import org.est4j.jaxrs.TestPki;
import org.est4j.jaxrs.auth.ClientCertificateValidator;
import org.est4j.jaxrs.auth.HashedCredentialStore;
import org.est4j.jaxrs.auth.PasswordHashes;
import org.est4j.jaxrs.codec.BouncyCastle;
import org.est4j.jaxrs.codec.ResponseSigner;
import org.est4j.jaxrs.policy.LabelPolicies;
import org.est4j.jaxrs.policy.LabelPolicy;
import org.est4j.spi.CaCertificates;
import org.est4j.spi.CaCertificatesRequest;
import org.est4j.spi.CaService;
import org.est4j.spi.EnrollmentRequest;
import org.est4j.spi.EnrollmentResult;
import org.est4j.spi.Issued;
import org.est4j.spi.KeyGenerationSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 8295 section 8's {@code /serverkeygen} formats without a container, each read back by a decoder other than
 * BouncyCastle: the PKCS#12 file by {@code openssl pkcs12} (and the JDK's keystore), the encrypted key package by
 * pyasn1-modules ({@code rfc5652}, {@code rfc6032}, {@code rfc7191}, {@code rfc5958}) and {@code openssl cms}.
 */
class ServerKeyGenFormatsTest {

    private static final TestPki.Ca CA = TestPki.ca("Keygen CA");
    private static final TestPki.Ca SERVER = TestPki.ca("EST response signer");
    private static final byte[] KEK_ID = {7, 7, 7};
    private static final byte[] KEK = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final String PASSWORD = "s3cret-pass";
    private static final String P12_PASSWORD = "Pkcs12-Passw0rd";
    private static final ASN1ObjectIdentifier DECRYPT_KEY_ID = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.37");
    private static final ASN1ObjectIdentifier ASYMM_DECRYPT_KEY_ID = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.54");
    private static final String DECODER = "/usr/bin/python3";

    /** Issues every request from {@link #CA}; counts them. */
    static final class Ca implements CaService {
        final List<EnrollmentRequest> seen = new ArrayList<>();

        @Override
        public CaCertificates caCertificates(CaCertificatesRequest request) {
            return new CaCertificates(List.of(CA.certificate()));
        }

        @Override
        public EnrollmentResult enroll(EnrollmentRequest request) {
            seen.add(request);
            return new Issued(CA.issue(request.csr().subject().getName(), request.csr().publicKey(), null,
                    KeyPurposeId.id_kp_clientAuth), List.of(CA.certificate()));
        }
    }

    @TempDir
    Path work;

    private final Ca ca = new Ca();

    private EnrollmentHandler handler(Optional<ResponseSigner> signer) {
        return new EnrollmentHandler(ca, new EstEndpointConfig(8192, "est4j",
                new ClientCertificateValidator(List.of(CA.certificate())),
                new HashedCredentialStore(Map.of("est", PasswordHashes.hash(PASSWORD.toCharArray()))),
                new LabelPolicies(LabelPolicy.DEFAULTS, Map.of(
                        "keygen", LabelPolicy.DEFAULTS.withServerKeyGen(KeyGenerationSpec.ec("secp256r1")))),
                new KeyEncryptionKeys(Map.of("070707", new SecretKeySpec(KEK, "AES")), List.of()), signer));
    }

    private final EnrollmentHandler handler = handler(Optional.of(new ResponseSigner(SERVER.key().getPrivate(),
            List.of(SERVER.certificate()))));

    private EstReply post(EnrollmentHandler h, String accept, byte[] csr, X509Certificate... tlsChain) throws Exception {
        byte[] body = Base64.getMimeEncoder().encode(csr);
        String authorization = tlsChain.length > 0 ? null
                : "Basic " + Base64.getEncoder().encodeToString(("est:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequestInfo http = new HttpRequestInfo("application/pkcs10", body.length, authorization, List.of(tlsChain), "192.0.2.1");
        return h.serverKeyGen(Optional.of("keygen"), http, accept, new ByteArrayInputStream(body));
    }

    private static byte[] csr(String subject, Object... attributes) {
        return TestPki.csr(TestPki.ecKey(), subject, null, attributes);
    }

    // ---- PKCS#12 ----

    @Test
    void pkcs12OpensWithOpensslAndHoldsTheKeyOfTheIssuedCertificate() throws Exception {
        EstReply reply = post(handler, "application/pkcs12",
                csr("CN=p12-device", PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString(P12_PASSWORD)));

        assertEquals(200, reply.status());
        assertEquals("application/pkcs12", reply.headers().get("Content-Type"));
        assertEquals("base64", reply.headers().get("Content-Transfer-Encoding"));
        assertEquals("no-store", reply.headers().get("Cache-Control"));
        assertEquals(Integer.toString(reply.body().length), reply.headers().get("Content-Length"));
        Path p12 = Files.write(work.resolve("reply.p12"), Base64.getMimeDecoder().decode(reply.body()));

        Run info = run("openssl", "pkcs12", "-in", p12.toString(), "-passin", "pass:" + P12_PASSWORD, "-nodes", "-info");
        assertEquals(0, info.status(), info.output());
        assertTrue(info.output().contains("MAC: sha256"), info.output());
        assertTrue(info.output().contains("Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC"), info.output());
        assertTrue(info.output().contains("PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC"), info.output());
        assertTrue(info.output().contains("-----BEGIN PRIVATE KEY-----"), info.output());
        assertTrue(info.output().contains("subject=CN = p12-device"), info.output());
        assertTrue(info.output().contains("subject=CN = Keygen CA"), "the CA chain is in the file: " + info.output());

        // the certificate's public key is the private key's, as openssl derives them
        Run key = run("openssl", "pkcs12", "-in", p12.toString(), "-passin", "pass:" + P12_PASSWORD, "-nocerts", "-nodes",
                "-out", work.resolve("key.pem").toString());
        assertEquals(0, key.status(), key.output());
        Run cert = run("openssl", "pkcs12", "-in", p12.toString(), "-passin", "pass:" + P12_PASSWORD, "-clcerts", "-nokeys",
                "-out", work.resolve("cert.pem").toString());
        assertEquals(0, cert.status(), cert.output());
        Run fromKey = run("openssl", "pkey", "-in", work.resolve("key.pem").toString(), "-pubout");
        Run fromCert = run("openssl", "x509", "-in", work.resolve("cert.pem").toString(), "-noout", "-pubkey");
        assertTrue(fromKey.output().contains("-----BEGIN PUBLIC KEY-----"), fromKey.output());
        assertEquals(fromKey.output(), fromCert.output());
        // the password never reached the CA: neither as the parsed attribute nor inside the template's DER
        assertEquals(1, ca.seen.size());
        assertTrue(ca.seen.get(0).csr().challengePassword().isEmpty());
        assertFalse(new String(ca.seen.get(0).csr().der(), StandardCharsets.ISO_8859_1).contains(P12_PASSWORD));
        assertEquals(new X500Principal("CN=p12-device"), ca.seen.get(0).csr().subject());

        // the JDK's own PKCS#12 reader agrees
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, P12_PASSWORD.toCharArray());
        }
        String alias = store.aliases().nextElement();
        assertTrue(store.isKeyEntry(alias));
        assertKeyMatches((X509Certificate) store.getCertificate(alias), (PrivateKey) store.getKey(alias, P12_PASSWORD.toCharArray()));
    }

    @Test
    void pkcs12WithAWrongPasswordDoesNotOpen() throws Exception {
        EstReply reply = post(handler, "application/pkcs12",
                csr("CN=p12-wrong", PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString(P12_PASSWORD)));
        Path p12 = Files.write(work.resolve("reply.p12"), Base64.getMimeDecoder().decode(reply.body()));

        Run wrong = run("openssl", "pkcs12", "-in", p12.toString(), "-passin", "pass:not-the-password", "-nodes", "-info");
        assertNotEquals(0, wrong.status(), wrong.output());
        assertTrue(wrong.output().contains("Mac verify error"), wrong.output());
        assertFalse(wrong.output().contains("BEGIN PRIVATE KEY"), wrong.output());
    }

    @Test
    void pkcs12WithoutAChallengePasswordIs400BeforeAnyKeyIsGenerated() {
        EstProtocolException e = assertThrows(EstProtocolException.class,
                () -> post(handler, "application/pkcs12", csr("CN=p12-nopass")));
        assertEquals(400, e.status());
        assertEquals("a PKCS#12 reply (Accept: application/pkcs12) is protected by the request's challengePassword "
                + "attribute, and the request has none", e.getMessage());
        assertTrue(ca.seen.isEmpty(), "no certificate for a key that could not be delivered");
    }

    // ---- RFC 6032 encrypted key package ----

    @Test
    void anEncryptedKeyPackageForASharedKeyIsSignedAndAsksForAReceipt() throws Exception {
        EstReply reply = post(handler, "application/cms", csr("CN=ekp-kek", DECRYPT_KEY_ID, new DEROctetString(KEK_ID)));

        assertEquals(200, reply.status());
        assertTrue(reply.headers().get("Content-Type").startsWith("multipart/mixed; boundary="));
        assertEquals("no-store", reply.headers().get("Cache-Control"));
        List<String> parts = parts(reply);
        assertEquals(2, parts.size());
        assertEquals(Map.of("Content-Type", "application/cms", "Content-Transfer-Encoding", "base64"), headersOfPart(parts.get(0)));
        assertEquals("application/pkcs7-mime; smime-type=certs-only", headersOfPart(parts.get(1)).get("Content-Type"));
        X509Certificate issued = certificate(bodyOf(parts.get(1)));

        Map<String, String> decoded = decode(bodyOf(parts.get(0)));
        assertEquals("1.2.840.113549.1.7.2", decoded.get("outer"), "a SignedData");
        assertEquals("2.16.840.1.101.2.1.2.78.2", decoded.get("eContentType"), "id-ct-KP-encryptedKeyPkg");
        assertEquals("2.16.840.1.101.2.1.2.78.2", decoded.get("signedContentType"));
        assertEquals(HexFormat.of().formatHex(issued.getSerialNumber().toByteArray()), decoded.get("pkgID"));
        assertEquals("2.16.840.1.101.2.1.16.0", decoded.get("receiptsTo"), "receipts to the signer's distinguished name");
        assertEquals("enveloped", decoded.get("choice"));
        assertEquals("a0", decoded.get("firstOctet"), "[0] IMPLICIT, constructed");
        assertEquals("2.16.840.1.101.2.1.2.78.5", decoded.get("innerContentType"), "id-ct-KP-aKeyPackage");
        assertEquals("kekri", decoded.get("recipientInfo"));

        CMSSignedData signed = new CMSSignedData(bodyOf(parts.get(0)));
        assertTrue(signed.getSignerInfos().getSigners().iterator().next()
                .verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BouncyCastle.PROVIDER).build(SERVER.certificate())));

        RecipientInformation recipient = new CMSEnvelopedData(Files.readAllBytes(work.resolve("enveloped.der")))
                .getRecipientInfos().getRecipients().iterator().next();
        byte[] keyPackage = recipient.getContent(new JceKEKEnvelopedRecipient(new SecretKeySpec(KEK, "AES")).setProvider(BouncyCastle.PROVIDER));
        assertTheKeyPackageHoldsTheKeyOf(issued, keyPackage);
    }

    @Test
    void anEncryptedKeyPackageForTheTlsClientCertificateDecryptsWithOpensslAndTheClientKey() throws Exception {
        KeyPair clientKeys = TestPki.ecKey();
        X509Certificate client = CA.issue("CN=tls-client", clientKeys.getPublic(), null, KeyPurposeId.id_kp_clientAuth);
        byte[] ski = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(client.getPublicKey()).getKeyIdentifier();

        EstReply reply = post(handler, "application/cms; encapsulatingContent=2.16.840.1.101.2.1.2.78.2",
                csr("CN=tls-client", ASYMM_DECRYPT_KEY_ID, new DEROctetString(ski)), client);

        assertEquals(200, reply.status());
        List<String> parts = parts(reply);
        assertEquals("application/cms", headersOfPart(parts.get(0)).get("Content-Type"));
        X509Certificate issued = certificate(bodyOf(parts.get(1)));
        Map<String, String> decoded = decode(bodyOf(parts.get(0)));
        assertEquals("enveloped", decoded.get("choice"));
        assertEquals("kari", decoded.get("recipientInfo"), "ECDH to the TLS certificate's key");

        // openssl decrypts what pyasn1 found inside the [0] choice, pyasn1 decodes what it decrypted
        Path keyPem = pem(work.resolve("client-key.pem"), "PRIVATE KEY", clientKeys.getPrivate().getEncoded());
        Path certPem = pem(work.resolve("client.pem"), "CERTIFICATE", client.getEncoded());
        Run decrypt = run("openssl", "cms", "-decrypt", "-binary", "-inform", "DER", "-in", work.resolve("enveloped.der").toString(),
                "-inkey", keyPem.toString(), "-recip", certPem.toString(), "-out", work.resolve("akp.der").toString());
        assertEquals(0, decrypt.status(), decrypt.output());
        Run akp = run(DECODER, script().toString(), "--akp", work.resolve("akp.der").toString());
        assertEquals(0, akp.status(), akp.output());
        assertTrue(akp.output().contains("keys=1\nkeyAlgorithm=1.2.840.10045.2.1\n"), akp.output());

        // and the client's key in Java opens it to the key of the issued certificate
        RecipientInformation recipient = new CMSEnvelopedData(Files.readAllBytes(work.resolve("enveloped.der")))
                .getRecipientInfos().getRecipients().iterator().next();
        byte[] keyPackage = recipient.getContent(new JceKeyAgreeEnvelopedRecipient(clientKeys.getPrivate()).setProvider(BouncyCastle.PROVIDER));
        assertTheKeyPackageHoldsTheKeyOf(issued, keyPackage);
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(work.resolve("akp.der")), keyPackage));
    }

    @Test
    void withoutAResponseSignerTheEncryptedKeyPackageIsSentUnsigned() throws Exception {
        EstReply reply = post(handler(Optional.empty()), "application/cms", csr("CN=ekp-unsigned", DECRYPT_KEY_ID, new DEROctetString(KEK_ID)));

        List<String> parts = parts(reply);
        X509Certificate issued = certificate(bodyOf(parts.get(1)));
        Map<String, String> decoded = decode(bodyOf(parts.get(0)));
        assertEquals("2.16.840.1.101.2.1.2.78.2", decoded.get("outer"), "a ContentInfo of id-ct-KP-encryptedKeyPkg");
        assertFalse(decoded.containsKey("pkgID"));
        assertEquals("enveloped", decoded.get("choice"));
        assertEquals("2.16.840.1.101.2.1.2.78.5", decoded.get("innerContentType"));
        byte[] keyPackage = new CMSEnvelopedData(Files.readAllBytes(work.resolve("enveloped.der"))).getRecipientInfos().getRecipients()
                .iterator().next().getContent(new JceKEKEnvelopedRecipient(new SecretKeySpec(KEK, "AES")).setProvider(BouncyCastle.PROVIDER));
        assertTheKeyPackageHoldsTheKeyOf(issued, keyPackage);
    }

    @Test
    void anEncryptedKeyPackageWithoutAKeyToEncryptForIs400BeforeAnyKeyIsGenerated() {
        EstProtocolException e = assertThrows(EstProtocolException.class,
                () -> post(handler, "application/cms", csr("CN=ekp-nokey")));
        assertEquals(400, e.status());
        assertEquals("an encrypted key package (Accept: application/cms) needs a key to encrypt for: name one in the request "
                + "with a DecryptKeyIdentifier or an AsymmetricDecryptKeyIdentifier attribute", e.getMessage());
        assertTrue(ca.seen.isEmpty());

        EstProtocolException unknown = assertThrows(EstProtocolException.class,
                () -> post(handler, "application/cms", csr("CN=ekp-unknown", DECRYPT_KEY_ID, new DEROctetString(new byte[] {9}))));
        assertEquals(400, unknown.status());
        assertTrue(ca.seen.isEmpty());
    }

    // ---- today's reply stays ----

    @Test
    void anyOtherAcceptKeepsRfc7030sReply() throws Exception {
        for (String accept : new String[] {null, "*/*", "multipart/mixed", "text/plain", "application/pkcs12;q=0",
                "application/pkcs12, multipart/mixed"}) {
            EstReply reply = post(handler, accept,
                    csr("CN=classic", PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString(P12_PASSWORD)));
            assertEquals(200, reply.status(), accept);
            assertTrue(reply.headers().get("Content-Type").startsWith("multipart/mixed; boundary="), accept);
            List<String> parts = parts(reply);
            assertEquals("application/pkcs8", headersOfPart(parts.get(0)).get("Content-Type"), accept);
            assertKeyMatches(certificate(bodyOf(parts.get(1))),
                    KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(bodyOf(parts.get(0)))));
        }
        // and RFC 7030's encrypted form is still what a decryption key identifier gets without application/cms
        EstReply encrypted = post(handler, "*/*", csr("CN=classic-kek", DECRYPT_KEY_ID, new DEROctetString(KEK_ID)));
        assertEquals("application/pkcs7-mime; smime-type=server-generated-key", headersOfPart(parts(encrypted).get(0)).get("Content-Type"));
    }

    // ---- helpers ----

    /** Runs the pyasn1 decoder on a key part; its key=value lines. The EnvelopedData it found is left in enveloped.der. */
    private Map<String, String> decode(byte[] keyPart) throws Exception {
        Path in = Files.write(work.resolve("key-part.der"), keyPart);
        Run decoded = run(DECODER, script().toString(), in.toString(), work.resolve("enveloped.der").toString());
        assertEquals(0, decoded.status(), decoded.output());
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : decoded.output().split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return values;
    }

    private Path script() throws IOException {
        Path script = work.resolve("decode_encrypted_key_package.py");
        if (!Files.exists(script)) {
            try (InputStream in = ServerKeyGenFormatsTest.class.getResourceAsStream("decode_encrypted_key_package.py")) {
                Files.write(script, in.readAllBytes());
            }
        }
        return script;
    }

    private static void assertTheKeyPackageHoldsTheKeyOf(X509Certificate issued, byte[] asymmetricKeyPackage) throws Exception {
        ASN1Sequence keys = ASN1Sequence.getInstance(asymmetricKeyPackage);
        assertEquals(1, keys.size());
        PrivateKeyInfo key = PrivateKeyInfo.getInstance(keys.getObjectAt(0));
        assertKeyMatches(issued, KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded())));
    }

    private static void assertKeyMatches(X509Certificate cert, PrivateKey key) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(new byte[] {1});
        byte[] sig = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(new byte[] {1});
        assertTrue(s.verify(sig), "the private key belongs to " + cert.getSubjectX500Principal());
    }

    /** The one certificate of a certs-only part, read by the JDK. */
    private static X509Certificate certificate(byte[] certsOnly) throws Exception {
        List<? extends java.security.cert.Certificate> certs = new ArrayList<>(CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(certsOnly)));
        assertEquals(1, certs.size());
        return (X509Certificate) certs.get(0);
    }

    private static Path pem(Path file, String type, byte[] der) throws IOException {
        return Files.writeString(file, "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n");
    }

    private static Map<String, String> headersOfPart(String part) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : part.substring(0, part.indexOf("\r\n\r\n")).split("\r\n")) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        return headers;
    }

    private static List<String> parts(EstReply reply) {
        String type = reply.headers().get("Content-Type");
        String boundary = type.substring(type.indexOf("boundary=") + 9);
        String text = new String(reply.body(), StandardCharsets.US_ASCII);
        assertTrue(text.endsWith("--" + boundary + "--\r\n"), "closing delimiter");
        List<String> parts = new ArrayList<>();
        for (String chunk : text.split("--" + boundary)) {
            if (!chunk.isBlank() && !chunk.startsWith("--")) {
                parts.add(chunk.substring(2));
            }
        }
        return parts;
    }

    private static byte[] bodyOf(String part) {
        return Base64.getMimeDecoder().decode(part.substring(part.indexOf("\r\n\r\n") + 4).strip());
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

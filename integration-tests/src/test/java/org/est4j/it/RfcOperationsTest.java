package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.X509TrustManager;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JceKEKEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.est.EnrollmentResponse;
import org.bouncycastle.est.jcajce.JcaJceUtils;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.est4j.war.Admin;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * The rest of RFC 7030 on the real Tomcat with the local CA, each on a label configured for it:
 * {@code /serverkeygen} (plain, and encrypted for a shared AES key or for the client's RSA certificate),
 * pending enrollments with manual approval through {@link Admin}, RFC 7030 section 3.7 queueing of an unknown
 * user, {@code /csrattrs} enforcement, and draft-02's PEM-armoured responses. Clients: BouncyCastle's EST
 * client where it has the operation, the JDK HTTP client plus {@code openssl} where it does not.
 */
class RfcOperationsTest extends OwnConfigurationScenarios {

    /** The shared key of the symmetric key-delivery test: identifier and AES-256 key. */
    private static final byte[] KEK_ID = "device-kek-1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEK = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final String MULTIPART = "multipart/mixed; boundary=";

    /** Distinguishes this run's queued requests from those of earlier runs on the same data directory. */
    private static final String RUN = Long.toString(System.nanoTime(), 36);


    static {
        Pki.registerBouncyCastle();
    }

    @Deployment(testable = false)
    static WebArchive est4jWithEveryOperation() throws IOException {
        Path home = Path.of(System.getProperty("est.home"));
        EstHomeConfig.append("RfcOperationsTest", """
                label.keygen.ca = default
                label.keygen.server-keygen = true
                label.keygen.server-keygen.key-algorithm = EC-P384
                label.legacy.ca = default
                label.legacy.responses = draft02-pem
                label.legacy.server-keygen = true
                label.queue.ca = default
                label.queue.incomplete-auth = queue
                ca.manual.approval = manual
                ca.manual.retry-after-seconds = 7
                label.manual.ca = manual
                ca.strict.csr-attributes = challengePassword, extensionRequest=subjectAltName
                ca.strict.csr-template-subject = CN
                ca.strict.csr-template-key = ecPublicKey=secp256r1
                label.strict.ca = strict
                label.strict.csr-attributes.enforce = true
                client-auth.ra-trust-anchors = ca.pem
                label.ra.ca = default
                label.ra.channel-binding = required
                label.ra.channel-binding.ra-exempt = true
                label.digest.ca = default
                label.digest.http-auth = digest
                label.both.ca = default
                label.both.http-auth = digest, basic
                auth.throttle.free-failures = 3
                label.restricted.ca = default
                label.restricted.allowed-clients = user:est
                label.restricted.allowed-subjects = CN=*.restricted.example
                auth.throttle.max-delay-seconds = 30
                """);
        Files.writeString(home.resolve("server-keygen-keks.properties"),
                HexFormat.of().formatHex(KEK_ID) + " = " + Base64.getEncoder().encodeToString(KEK) + "\n", StandardCharsets.UTF_8);
        return EstTarget.rootWar();
    }

    // ---- /serverkeygen -------------------------------------------------------------------------------

    @Test
    void serverkeygenIs501WhereNotEnabled() throws Exception {
        EstHttp.Reply reply = withPassword().postCsr("serverkeygen", Pki.csr(Pki.p256(), "CN=keygen-off").getEncoded());
        assertEquals(501, reply.status(), reply::toString);
        EstScenarios.assertOneLineText(reply);
    }

    @Test
    void bcClientGetsAServerGeneratedKeyAndItsCertificate() throws Exception {
        KeyPair template = Pki.p256();
        EnrollmentResponse response = bcClient("keygen").simpleEnrollWithServersideCreation(
                Pki.csr(template, "CN=keygen-bc,O=est4j-it", "keygen-bc.example.org"), EstScenarios.preemptiveBasicFor(target));
        assertTrue(response.isCompleted());
        X509Certificate cert = Pki.toCertificates(response.getStore().getMatches(null)).get(0);
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(response.getPrivateKeyInfo().getEncoded()));
        assertKeyMatches(cert, key);
        assertEquals(new javax.security.auth.x500.X500Principal(new X500Name("CN=keygen-bc,O=est4j-it").getEncoded()),
                cert.getSubjectX500Principal(), "the subject comes from the request");
        assertNotEquals(Base64.getEncoder().encodeToString(template.getPublic().getEncoded()),
                Base64.getEncoder().encodeToString(cert.getPublicKey().getEncoded()), "RFC 7030 4.4.1: the request's key is ignored");
        Pki.pkixValidate(cert, target.ca());
    }

    @Test
    void serverkeygenAnswersTwoBase64PartsWithExactTypesAndNoStore() throws Exception {
        EstHttp.Reply reply = withPassword().postCsr("keygen/serverkeygen", Pki.csr(Pki.p256(), "CN=keygen-raw").getEncoded());

        assertEquals(200, reply.status(), reply::toString);
        assertTrue(reply.requiredHeader("Content-Type").startsWith(MULTIPART), reply::toString);
        assertEquals("no-store", reply.requiredHeader("Cache-Control"));
        List<Part> parts = parts(reply);
        assertEquals(2, parts.size());
        assertEquals("application/pkcs8", parts.get(0).headers().get("content-type"));
        assertEquals("base64", parts.get(0).headers().get("content-transfer-encoding"));
        assertEquals(EstScenarios.CERTS_ONLY, parts.get(1).headers().get("content-type"));
        assertEquals("base64", parts.get(1).headers().get("content-transfer-encoding"));

        byte[] pkcs8 = Base64.getMimeDecoder().decode(parts.get(0).body());
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(pkcs8); // PKCS#8, not the SEC1/PKCS#1 form
        assertEquals("1.2.840.10045.2.1", info.getPrivateKeyAlgorithm().getAlgorithm().getId());
        assertEquals("1.3.132.0.34", info.getPrivateKeyAlgorithm().getParameters().toString(), "the label asks for P-384");
        X509Certificate cert = Pki.certsOnly(Base64.getMimeDecoder().decode(parts.get(1).body())).get(0);
        assertKeyMatches(cert, KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));

        // openssl reads the key part as it is
        Path der = Files.createTempFile("keygen", ".der");
        Files.write(der, pkcs8);
        String text = run("openssl", "pkey", "-inform", "DER", "-in", der.toString(), "-noout", "-text");
        assertTrue(text.contains("NIST CURVE: P-384") || text.contains("secp384r1"), text);
    }

    /** The README's curl + openssl + awk commands for /serverkeygen, verbatim. */
    @Test
    void readmeServerKeyGenFlowWithCurlAndOpenssl() throws Exception {
        Path script = Path.of(RfcOperationsTest.class.getResource("/readme-keygen.sh").toURI());
        EstScenarios.assertReadmeShowsTheScriptVerbatim(script);
        Path work = Files.createDirectories(Path.of("target", "readme-keygen", RUN).toAbsolutePath());
        String output = run("bash", script.toString(), target.authority(), target.estHome().toString(), work.toString());
        assertTrue(output.contains("sensor-9.pem: OK") && output.contains("key matches certificate"), output);
        assertEquals(new javax.security.auth.x500.X500Principal("CN=sensor-9"),
                Pki.readCertificate(work.resolve("sensor-9.pem")).getSubjectX500Principal());
    }

    @Test
    void serverkeygenEncryptsTheKeyForASharedSymmetricKey() throws Exception {
        PKCS10CertificationRequest csr = csrWithAttribute(Pki.p256(), "CN=keygen-kek",
                new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.37"), new DEROctetString(KEK_ID));
        EstHttp.Reply reply = withPassword().postCsr("keygen/serverkeygen", csr.getEncoded());

        EncryptedKey encrypted = encryptedKey(reply);
        byte[] envelopedData = encrypted.envelopedData();
        X509Certificate cert = encrypted.certificate();

        // BouncyCastle
        CMSEnvelopedData enveloped = new CMSEnvelopedData(wrap(envelopedData));
        RecipientInformation recipient = enveloped.getRecipientInfos().getRecipients().iterator().next();
        byte[] keyPackage = recipient.getContent(new JceKEKEnvelopedRecipient(new SecretKeySpec(KEK, "AES")).setProvider("BC"));
        assertKeyMatches(cert, keyFromPackage(keyPackage));

        // openssl cms, with the same shared key
        Path env = Files.createTempFile("enveloped", ".der");
        Path out = Files.createTempFile("keypackage", ".der");
        Files.write(env, wrap(envelopedData));
        run("openssl", "cms", "-decrypt", "-inform", "DER", "-in", env.toString(), "-binary",
                "-secretkey", HexFormat.of().formatHex(KEK), "-secretkeyid", HexFormat.of().formatHex(KEK_ID), "-out", out.toString());
        assertArrayEquals(keyPackage, Files.readAllBytes(out));
    }

    @Test
    void serverkeygenEncryptsTheKeyForTheClientsRsaCertificate() throws Exception {
        KeyPair rsa = Pki.rsa2048();
        X509Certificate clientCert = enrollWithPassword(rsa, "CN=keygen-rsa-client");
        byte[] ski = SubjectKeyIdentifier.getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(
                clientCert.getExtensionValue("2.5.29.14")).getOctets()).getKeyIdentifier();
        PKCS10CertificationRequest csr = csrWithAttribute(Pki.p256(), "CN=keygen-asym",
                new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.54"), new DEROctetString(ski));

        EstHttp.Reply reply = new EstHttp(target.estBase(), Pki.tls(target.ca(), Pki.clientKey(rsa.getPrivate(), clientCert, target.ca())))
                .postCsr("keygen/serverkeygen", csr.getEncoded());

        EncryptedKey encrypted = encryptedKey(reply);
        byte[] envelopedData = encrypted.envelopedData();
        X509Certificate cert = encrypted.certificate();

        CMSEnvelopedData enveloped = new CMSEnvelopedData(wrap(envelopedData));
        byte[] keyPackage = enveloped.getRecipientInfos().getRecipients().iterator().next()
                .getContent(new JceKeyTransEnvelopedRecipient(rsa.getPrivate()).setProvider("BC"));
        assertKeyMatches(cert, keyFromPackage(keyPackage));

        Path dir = Files.createTempDirectory("keygen-rsa");
        Files.write(dir.resolve("env.der"), wrap(envelopedData));
        Files.writeString(dir.resolve("client.pem"), pem("CERTIFICATE", clientCert.getEncoded()));
        Files.writeString(dir.resolve("client.key"), pem("PRIVATE KEY", rsa.getPrivate().getEncoded()));
        run("openssl", "cms", "-decrypt", "-inform", "DER", "-in", dir.resolve("env.der").toString(), "-binary",
                "-recip", dir.resolve("client.pem").toString(), "-inkey", dir.resolve("client.key").toString(),
                "-out", dir.resolve("kp.der").toString());
        assertArrayEquals(keyPackage, Files.readAllBytes(dir.resolve("kp.der")));
    }

    @Test
    void serverkeygenWithAnUnknownDecryptKeyIdentifierIs400() throws Exception {
        PKCS10CertificationRequest csr = csrWithAttribute(Pki.p256(), "CN=keygen-unknown-kek",
                new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.37"), new DEROctetString(new byte[] {1, 2, 3}));
        EstHttp.Reply reply = withPassword().postCsr("keygen/serverkeygen", csr.getEncoded());
        assertEquals(400, reply.status(), reply::toString);
        assertTrue(reply.text().contains("DecryptKeyIdentifier"), reply::toString);
    }

    // ---- /fullcmc --------------------------------------------------------------------------------------

    private static final String CMC_REQUEST = "application/pkcs7-mime; smime-type=CMC-request";

    @Test
    void fullCmcWithAPkcs10RequestAnswersASignedPkiResponseWithTheCertificate() throws Exception {
        KeyPair keys = Pki.p256();
        byte[] transactionId = {0x11, 0x22, 0x33};
        byte[] nonce = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        byte[] request = CmcMessages.pkcs10Request(keys, "CN=cmc-pkcs10", null, null, transactionId, nonce);

        EstHttp.Reply reply = withPassword().post("fullcmc", CMC_REQUEST, Base64.getMimeEncoder().encode(request));

        assertEquals(200, reply.status(), reply::toString);
        assertEquals("application/pkcs7-mime; smime-type=CMC-response", reply.requiredHeader("Content-Type"));
        CmcMessages.Response response = CmcMessages.parseResponse(reply.base64Body(), serverCertificate());
        assertTrue(response.signatureValid(), "signed by the EST server (id-kp-cmcRA)");
        assertTrue(response.statusFor(CmcMessages.REQUEST_BODY_PART_ID).isSuccess(), response::toString);
        assertTrue(response.sameTransactionId(transactionId));
        assertArrayEquals(nonce, response.recipientNonce());
        X509Certificate cert = response.certificateFor(keys.getPublic());
        assertEquals("CN=cmc-pkcs10", cert.getSubjectX500Principal().getName());
        Pki.pkixValidate(cert, target.ca());
    }

    @Test
    void fullCmcWithACrmfRequestSignedByTheClientsCertificate() throws Exception {
        KeyPair signerKeys = Pki.p256();
        X509Certificate signer = enrollWithPassword(signerKeys, "CN=cmc-signer");
        KeyPair keys = Pki.p256();
        byte[] request = CmcMessages.crmfRequest(keys, "CN=cmc-crmf", signer, signerKeys.getPrivate(), new byte[] {5});

        EstHttp.Reply reply = withPassword().post("fullcmc", CMC_REQUEST, Base64.getMimeEncoder().encode(request));

        assertEquals(200, reply.status(), reply::toString);
        CmcMessages.Response response = CmcMessages.parseResponse(reply.base64Body(), serverCertificate());
        assertTrue(response.statusFor(CmcMessages.REQUEST_BODY_PART_ID).isSuccess(), response::toString);
        Pki.pkixValidate(response.certificateFor(keys.getPublic()), target.ca());
    }

    @Test
    void fullCmcRevokesTheClientsOwnCertificateAndRefusesSomeoneElses() throws Exception {
        KeyPair mine = Pki.p256();
        X509Certificate myCert = enrollWithPassword(mine, "CN=cmc-revoke-mine");
        X509Certificate theirs = enrollWithPassword(Pki.p256(), "CN=cmc-revoke-theirs");
        EstHttp asHolder = new EstHttp(target.estBase(), Pki.tls(target.ca(), Pki.clientKey(mine.getPrivate(), myCert, target.ca())));

        EstHttp.Reply other = asHolder.post("fullcmc", CMC_REQUEST, Base64.getMimeEncoder().encode(
                CmcMessages.revokeRequest(theirs.getIssuerX500Principal(), theirs.getSerialNumber(), 0, myCert, mine.getPrivate())));
        assertEquals(200, other.status(), "a refusal the CMC layer can express is a CMC status, not an HTTP error");
        CmcMessages.Status refused = CmcMessages.parseResponse(other.base64Body(), serverCertificate())
                .statusFor(CmcMessages.REVOKE_BODY_PART_ID);
        assertEquals("failed", refused.status());
        assertEquals("badIdentity", refused.failInfo());

        EstHttp.Reply own = asHolder.post("fullcmc", CMC_REQUEST, Base64.getMimeEncoder().encode(
                CmcMessages.revokeRequest(myCert.getIssuerX500Principal(), myCert.getSerialNumber(), 1, myCert, mine.getPrivate())));
        CmcMessages.Response ok = CmcMessages.parseResponse(own.base64Body(), serverCertificate());
        assertTrue(ok.statusFor(CmcMessages.REVOKE_BODY_PART_ID).isSuccess(), ok::toString);
        assertTrue(Files.readString(target.estHome().resolve("ca/default/revoked.log"))
                .contains(" " + myCert.getSerialNumber().toString(16) + " 1 "), "recorded with reason keyCompromise");

        // from now on the revoked certificate authenticates nothing: neither a renewal nor an enrollment
        EstHttp.Reply renewal = asHolder.postCsr("simplereenroll", Pki.csr(mine, "CN=cmc-revoke-mine").getEncoded());
        assertEquals(401, renewal.status(), renewal::toString);
        assertEquals("401 the TLS client certificate is not accepted: certificate revoked\n", renewal.text());
        EstHttp.Reply enrollment = asHolder.postCsr("simpleenroll", Pki.csr(Pki.p256(), "CN=cmc-revoke-new").getEncoded());
        assertEquals(401, enrollment.status(), enrollment::toString);
        assertEquals(401, asHolder.post("fullcmc", CMC_REQUEST, Base64.getMimeEncoder().encode(CmcMessages.revokeRequest(
                theirs.getIssuerX500Principal(), theirs.getSerialNumber(), 0, myCert, mine.getPrivate()))).status());
    }

    /**
     * {@code Admin revoke}, run while the server runs (as an administrator would, on the same data directory):
     * the certificate is refused from the next request on, and RA status goes with it.
     */
    @Test
    void aCertificateRevokedWithTheAdminCommandIsRefusedAtOnce() throws Exception {
        KeyPair keys = Pki.p256();
        X509Certificate certificate = enrollWithPassword(keys, "CN=admin-revoked");
        EstHttp device = new EstHttp(target.estBase(), Pki.tls(target.ca(), Pki.clientKey(keys.getPrivate(), certificate, target.ca())));
        assertEquals(200, device.postCsr("simplereenroll", Pki.csr(keys, "CN=admin-revoked").getEncoded()).status(), "good before");

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int status = org.est4j.war.Admin.run(new String[] {"revoke", certificate.getSerialNumber().toString(16), "keyCompromise"},
                target.estHome(), new java.io.PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status, out::toString);

        EstHttp.Reply after = device.postCsr("simplereenroll", Pki.csr(keys, "CN=admin-revoked").getEncoded());
        assertEquals(401, after.status(), after::toString);
        assertEquals("401 the TLS client certificate is not accepted: certificate revoked\n", after.text());
        assertEquals(204, device.get("csrattrs").status(), "csrattrs needs no authentication: the revoked client is anonymous there");
    }

    @Test
    void fullCmcThatIsNotCmsIs400AndAPkcs10ContentTypeIs415() throws Exception {
        EstHttp.Reply garbage = withPassword().post("fullcmc", CMC_REQUEST, Base64.getMimeEncoder().encode(new byte[] {0x30, 3, 1, 1, 0}));
        assertEquals(400, garbage.status(), garbage::toString);
        EstScenarios.assertOneLineText(garbage);
        EstHttp.Reply wrongType = withPassword().post("fullcmc", "application/pkcs10", new byte[] {'A'});
        assertEquals(415, wrongType.status(), wrongType::toString);
    }

    private X509Certificate serverCertificate() throws Exception {
        return Pki.readCertificate(target.estHome().resolve("tls-server.pem"));
    }

    // ---- pending, manual approval, RFC 7030 section 3.7 -------------------------------------------------

    @Test
    void manualApprovalIs202UntilAnAdministratorApprovesThenTheRepetitionIsIssued() throws Exception {
        KeyPair keys = Pki.p256();
        byte[] csr = Pki.csr(keys, "CN=manual-approval-1-" + RUN).getEncoded();

        EstHttp.Reply first = withPassword().postCsr("manual/simpleenroll", csr);
        assertEquals(202, first.status(), first::toString);
        assertEquals("7", first.requiredHeader("Retry-After"));
        assertEquals(202, withPassword().postCsr("manual/simpleenroll", csr).status(), "still waiting: queued once");

        String id = queuedId("CN=manual-approval-1-" + RUN);
        assertEquals(0, admin("approve", id, "checked by the test"));

        EstHttp.Reply issued = withPassword().postCsr("manual/simpleenroll", csr);
        assertEquals(200, issued.status(), issued::toString);
        X509Certificate cert = Pki.certsOnly(issued.base64Body()).get(0);
        assertEquals("CN=manual-approval-1-" + RUN, cert.getSubjectX500Principal().getName());
        assertArrayEquals(keys.getPublic().getEncoded(), cert.getPublicKey().getEncoded());

        assertEquals(202, withPassword().postCsr("manual/simpleenroll", csr).status(), "an approval is used once");
    }

    @Test
    void aRejectedRequestIs403() throws Exception {
        byte[] csr = Pki.csr(Pki.p256(), "CN=manual-rejected-" + RUN).getEncoded();
        assertEquals(202, withPassword().postCsr("manual/simpleenroll", csr).status());
        assertEquals(0, admin("reject", queuedId("CN=manual-rejected-" + RUN), "unknown device"));

        EstHttp.Reply reply = withPassword().postCsr("manual/simpleenroll", csr);
        assertEquals(403, reply.status(), reply::toString);
        assertTrue(reply.text().contains("rejected"), reply::toString);
    }

    @Test
    void bcClientWaitsOnAPendingEnrollmentAndGetsItOnceApproved() throws Exception {
        PKCS10CertificationRequest csr = Pki.csr(Pki.p256(), "CN=manual-bc-" + RUN);
        EnrollmentResponse pending = bcClient("manual").simpleEnroll(false, csr, EstScenarios.preemptiveBasicFor(target));
        assertFalse(pending.isCompleted());
        assertTrue(pending.getNotBefore() > System.currentTimeMillis() + 5_000, "Retry-After 7 s");
        assertEquals(0, admin("approve", queuedId("CN=manual-bc-" + RUN), ""));

        EnrollmentResponse issued = bcClient("manual").simpleEnroll(false, csr, EstScenarios.preemptiveBasicFor(target));
        assertTrue(issued.isCompleted());
    }

    /** RFC 7030 section 3.7: a user the server does not know is queued for a person instead of refused. */
    @Test
    void anUnknownUserIsQueuedOnALabelThatQueuesIncompleteAuthentication() throws Exception {
        byte[] csr = Pki.csr(Pki.p256(), "CN=unknown-user-device-" + RUN).getEncoded();
        EstHttp stranger = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic("factory-line-7", "one-time-pin");

        EstHttp.Reply reply = stranger.postCsr("queue/simpleenroll", csr);
        assertEquals(202, reply.status(), reply::toString);
        String listing = adminOutput("list");
        assertTrue(listing.contains("UNKNOWN HTTP user factory-line-7"), listing);

        assertEquals(0, admin("approve", queuedId("CN=unknown-user-device-" + RUN), ""));
        assertEquals(200, stranger.postCsr("queue/simpleenroll", csr).status());

        // the same stranger on a label that refuses: 401 as always; a known user with a wrong password: 401 as always
        assertEquals(401, stranger.postCsr("simpleenroll", csr).status());
        assertEquals(401, new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic(target.user(), "wrong")
                .postCsr("queue/simpleenroll", csr).status());
    }

    /**
     * RFC 7030 section 3.7 with a certificate of an unknown PKI. Only where the TLS layer passes such a certificate
     * to the application (Tomcat's OpenSSL connector with optionalNoCA, or a proxy) can est4j queue it; JSSE and
     * Elytron end the handshake, which the container tests assert.
     */
    @Test
    void aSelfSignedCertificateIsQueuedWhereTheTlsLayerPassesItOn() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("tomcat-openssl".equals(System.getProperty("arquillian.launch")),
                "only the OpenSSL connector (optionalNoCA) lets a self-signed certificate reach est4j");
        KeyPair keys = Pki.p256();
        X509Certificate selfSigned = Pki.selfSigned(keys, "CN=factory-fresh-" + RUN);
        EstHttp device = new EstHttp(target.estBase(), Pki.tls(target.ca(), Pki.clientKey(keys.getPrivate(), selfSigned)));
        byte[] csr = Pki.csr(keys, "CN=factory-fresh-" + RUN).getEncoded();

        assertEquals(401, device.postCsr("simpleenroll", csr).status(), "refused where the label does not queue");
        assertEquals(202, device.postCsr("queue/simpleenroll", csr).status());
        assertTrue(adminOutput("list").contains("UNVERIFIED TLS certificate CN=factory-fresh-" + RUN));
        assertEquals(0, admin("approve", queuedId("CN=factory-fresh-" + RUN), "serial checked on the label"));
        EstHttp.Reply issued = device.postCsr("queue/simpleenroll", csr);
        assertEquals(200, issued.status(), issued::toString);
        Pki.pkixValidate(Pki.certsOnly(issued.base64Body()).get(0), target.ca());
    }

    // ---- HTTP Digest, one-time passwords, throttling ----------------------------------------------------

    /** BouncyCastle's HttpAuth answers the Digest challenge (RFC 7616, SHA-256, qop=auth) with the initial user. */
    @Test
    void bcClientEnrollsWithHttpDigest() throws Exception {
        KeyPair keys = Pki.p256();
        org.bouncycastle.est.HttpAuth digest = new org.bouncycastle.est.HttpAuth(EstScenarios.REALM, target.user(),
                target.password().toCharArray(), new java.security.SecureRandom(),
                new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder().build());
        EnrollmentResponse response = bcClient("digest").simpleEnroll(false, Pki.csr(keys, "CN=digest-bc"), digest);
        assertTrue(response.isCompleted());
        assertArrayEquals(keys.getPublic().getEncoded(),
                Pki.toCertificates(response.getStore().getMatches(null)).get(0).getPublicKey().getEncoded());
    }

    /** curl --digest (the flow the README shows), then the same Authorization header once more: a replay, 401. */
    @Test
    void curlEnrollsWithDigestAndAReplayedHeaderIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("digest-curl");
        Files.write(dir.resolve("device.csr"), Base64.getMimeEncoder().encode(Pki.csr(Pki.p256(), "CN=digest-curl").getEncoded()));
        String url = target.estBase() + "digest/simpleenroll";
        String out = run("curl", "-sS", "--fail-with-body", "--digest", "-u", target.user() + ":" + target.password(), "--cacert",
                target.estHome().resolve("ca.pem").toString(), "-H", "Content-Type: application/pkcs10",
                "--data-binary", "@" + dir.resolve("device.csr"), "-o", dir.resolve("device.p7").toString(), "-w", "%{http_code}", url);
        assertEquals("200", out.strip());
        assertEquals("CN=digest-curl", Pki.certsOnly(Base64.getMimeDecoder().decode(Files.readAllBytes(dir.resolve("device.p7"))))
                .get(0).getSubjectX500Principal().getName());

        EstHttp.Reply challenge = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).postCsr("both/simpleenroll",
                Pki.csr(Pki.p256(), "CN=x").getEncoded());
        assertEquals(401, challenge.status());
        List<String> offered = challenge.response().headers().allValues("WWW-Authenticate");
        assertEquals(2, offered.size(), offered::toString);
        assertTrue(offered.get(0).startsWith("Digest realm=\"est4j\", qop=\"auth\", algorithm=\"SHA-256\", nonce=\""), offered::toString);
        assertEquals("Basic realm=\"est4j\"", offered.get(1));

        String header = digestAuthorization(offered.get(0), target.user(), target.password(), "/.well-known/est/digest/simpleenroll");
        byte[] csr = Pki.csr(Pki.p256(), "CN=digest-replay").getEncoded();
        EstHttp first = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).header("Authorization", header);
        assertEquals(200, first.postCsr("digest/simpleenroll", csr).status());
        EstHttp.Reply replay = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).header("Authorization", header)
                .postCsr("digest/simpleenroll", csr);
        assertEquals(401, replay.status(), replay::toString);
        assertTrue(replay.text().contains("replayed"), replay::toString);
    }

    /** RFC 7030 section 3.2.3: user name "" with a one-time password from Admin add-otp, good exactly once. */
    @Test
    void aOneTimePasswordEnrollsOnce() throws Exception {
        String otp = adminOutput("add-otp", "1").strip();
        byte[] csr = Pki.csr(Pki.p256(), "CN=otp-device").getEncoded();
        EstHttp.Reply first = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic("", otp).postCsr("simpleenroll", csr);
        assertEquals(200, first.status(), first::toString);
        EstHttp.Reply again = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic("", otp).postCsr("simpleenroll", csr);
        assertEquals(401, again.status(), again::toString);
        assertTrue(again.text().contains("one-time password"), again::toString);
    }

    /** Password guessing is slowed down: after 3 failures (this deployment's setting) 429 with Retry-After. */
    @Test
    void repeatedFailuresOfOneUserAreAnswered429() throws Exception {
        String user = "guessed-" + RUN;
        byte[] csr = Pki.csr(Pki.p256(), "CN=guess").getEncoded();
        for (int i = 0; i < 3; i++) {
            assertEquals(401, new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic(user, "guess-" + i)
                    .postCsr("simpleenroll", csr).status());
        }
        EstHttp.Reply slowed = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic(user, "guess-4").postCsr("simpleenroll", csr);
        assertEquals(429, slowed.status(), slowed::toString);
        assertTrue(Integer.parseInt(slowed.requiredHeader("Retry-After")) >= 1);
        EstScenarios.assertOneLineText(slowed);
        assertEquals(200, withPassword().postCsr("simpleenroll", csr).status(), "other users are not affected");
    }

    /** An RFC 7616 Authorization header for the challenge, computed independently of est4j. */
    private static String digestAuthorization(String challenge, String user, String password, String uri) throws Exception {
        Matcher nonce = Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge);
        Matcher opaque = Pattern.compile("opaque=\"([^\"]+)\"").matcher(challenge);
        assertTrue(nonce.find() && opaque.find());
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        java.util.function.Function<String, String> h = text -> HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
        String response = h.apply(h.apply(user + ":est4j:" + password) + ":" + nonce.group(1) + ":00000001:abc:auth:" + h.apply("POST:" + uri));
        return "Digest username=\"" + user + "\", realm=\"est4j\", nonce=\"" + nonce.group(1) + "\", uri=\"" + uri
                + "\", algorithm=SHA-256, qop=auth, nc=00000001, cnonce=\"abc\", response=\"" + response + "\", opaque=\""
                + opaque.group(1) + "\"";
    }

    /** Label policy: only the user "est", only subjects under restricted.example; anything else is 403 with the reason. */
    @Test
    void aLabelsAuthorizationPolicyLimitsClientsAndSubjects() throws Exception {
        assertEquals(200, withPassword().postCsr("restricted/simpleenroll", Pki.csr(Pki.p256(), "CN=dev.restricted.example").getEncoded())
                .status());
        EstHttp.Reply subject = withPassword().postCsr("restricted/simpleenroll", Pki.csr(Pki.p256(), "CN=elsewhere.example").getEncoded());
        assertEquals(403, subject.status(), subject::toString);
        assertTrue(subject.text().contains("CN=elsewhere.example"), subject::toString);
        String otp = adminOutput("add-otp", "1").strip();
        EstHttp.Reply client = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic("", otp)
                .postCsr("restricted/simpleenroll", Pki.csr(Pki.p256(), "CN=otp.restricted.example").getEncoded());
        assertEquals(403, client.status(), client::toString);
        assertTrue(client.text().contains("may not enroll under this label"), client::toString);
    }

    // ---- registration authority ----------------------------------------------------------------------

    /**
     * An RA certificate (clientAuth + id-kp-cmcRA, issued by the CA named in client-auth.ra-trust-anchors) enrolls
     * another subject on a label that requires linking: the RA attests possession. A plain client is refused there.
     */
    @Test
    void aRegistrationAuthorityEnrollsOthersWhereLinkingIsOtherwiseRequired() throws Exception {
        KeyPair raKeys = Pki.p256();
        X509Certificate ra = issueWithDefaultCaKey(raKeys, "CN=factory-ra-" + RUN);
        EstHttp asRa = new EstHttp(target.estBase(), Pki.tls(target.ca(), Pki.clientKey(raKeys.getPrivate(), ra, target.ca())));

        KeyPair deviceKeys = Pki.p256();
        EstHttp.Reply reply = asRa.postCsr("ra/simpleenroll", Pki.csr(deviceKeys, "CN=ra-enrolled-device").getEncoded());
        assertEquals(200, reply.status(), reply::toString);
        X509Certificate device = Pki.certsOnly(reply.base64Body()).get(0);
        assertEquals("CN=ra-enrolled-device", device.getSubjectX500Principal().getName());
        assertArrayEquals(deviceKeys.getPublic().getEncoded(), device.getPublicKey().getEncoded());

        EstHttp.Reply plain = withPassword().postCsr("ra/simpleenroll", Pki.csr(Pki.p256(), "CN=not-via-ra").getEncoded());
        assertEquals(400, plain.status(), plain::toString);
        assertTrue(plain.text().contains("linking is required"), plain::toString);
    }

    /** An RA certificate as the organisation's CA would issue it: signed with the local CA's key. */
    private X509Certificate issueWithDefaultCaKey(KeyPair keys, String subject) throws Exception {
        PrivateKey caKey;
        try (org.bouncycastle.openssl.PEMParser pem = new org.bouncycastle.openssl.PEMParser(
                Files.newBufferedReader(target.estHome().resolve("ca/default/ca-key.pem")))) {
            caKey = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) pem.readObject());
        }
        java.time.Instant now = java.time.Instant.now();
        org.bouncycastle.cert.X509v3CertificateBuilder builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
                target.ca(), java.math.BigInteger.valueOf(now.toEpochMilli()), java.util.Date.from(now.minusSeconds(300)),
                java.util.Date.from(now.plusSeconds(86400)), new javax.security.auth.x500.X500Principal(subject), keys.getPublic());
        builder.addExtension(org.bouncycastle.asn1.x509.Extension.extendedKeyUsage, false,
                new org.bouncycastle.asn1.x509.ExtendedKeyUsage(new org.bouncycastle.asn1.x509.KeyPurposeId[] {
                        org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth, org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_cmcRA}));
        String algorithm = caKey.getAlgorithm().startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA"; // BC says "ECDSA"
        return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(caKey)));
    }

    // ---- /csrattrs enforcement, draft-02 dialect ------------------------------------------------------------

    @Test
    void enforcedCsrAttributesRefuseARequestThatLacksThemAndNameWhat() throws Exception {
        EstHttp.Reply attrs = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).get("strict/csrattrs");
        assertEquals(200, attrs.status(), attrs::toString);
        Path der = Files.createTempFile("csrattrs", ".der");
        Files.write(der, attrs.base64Body());
        String parsed = run("openssl", "asn1parse", "-inform", "DER", "-in", der.toString());
        assertTrue(parsed.contains(":1.2.840.113549.1.9.16.2.61") && parsed.contains("challengePassword"),
                () -> "the RFC 9908 template next to the RFC 7030 items:\n" + parsed);
        assertTrue(bcClient("strict").getCSRAttributes().getAttributesResponse()
                .hasRequirement(PKCSObjectIdentifiers.pkcs_9_at_challengePassword), "BouncyCastle's client reads the same answer");

        EstHttp.Reply bare = withPassword().postCsr("strict/simpleenroll", Pki.csr(Pki.p256(), "CN=strict-bare").getEncoded());
        assertEquals(400, bare.status(), bare::toString);
        assertTrue(bare.text().contains("1.2.840.113549.1.9.7") && bare.text().contains("2.5.29.17"), bare::toString);

        KeyPair keys = Pki.p256();
        PKCS10CertificationRequest complete = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=strict-complete"), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString("anything"))
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, Pki.csr(keys, "CN=x", "strict.example.org")
                        .getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues().getObjectAt(0))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        EstHttp.Reply ok = withPassword().postCsr("strict/simpleenroll", complete.getEncoded());
        assertEquals(200, ok.status(), ok::toString);
    }

    @Test
    void draft02LabelAnswersPemArmouredResponses() throws Exception {
        EstHttp.Reply cacerts = new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).get("legacy/CACerts");
        assertEquals(200, cacerts.status(), cacerts::toString);
        assertTrue(cacerts.text().startsWith("-----BEGIN PKCS7-----\n"), cacerts::toString);
        assertFalse(cacerts.header("Content-Transfer-Encoding").isPresent());
        assertEquals(List.of(target.ca()), Pki.certsOnly(unpem(cacerts.text())));

        EstHttp.Reply enrolled = withPassword().post("legacy/simpleEnroll", "application/x-est-pkcs10",
                pem("CERTIFICATE REQUEST", Pki.csr(Pki.p256(), "CN=draft-02-pem").getEncoded()).getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, enrolled.status(), enrolled::toString);
        assertTrue(enrolled.text().startsWith("-----BEGIN PKCS7-----\n"), enrolled::toString);
        assertEquals("CN=draft-02-pem", Pki.certsOnly(unpem(enrolled.text())).get(0).getSubjectX500Principal().getName());

        EstHttp.Reply keygen = withPassword().post("legacy/serverKeyGen", "application/x-est-pkcs10",
                pem("CERTIFICATE REQUEST", Pki.csr(Pki.p256(), "CN=draft-02-keygen").getEncoded()).getBytes(StandardCharsets.US_ASCII));
        assertEquals(200, keygen.status(), keygen::toString);
        List<Part> parts = parts(keygen);
        assertTrue(parts.get(0).body().startsWith("-----BEGIN PRIVATE KEY-----"), keygen::toString);
        assertTrue(parts.get(1).body().startsWith("-----BEGIN PKCS7-----"), keygen::toString);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private EstHttp withPassword() throws Exception {
        return new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic(target.user(), target.password());
    }

    /** BouncyCastle's client on a label. */
    private org.bouncycastle.est.ESTService bcClient(String label) {
        X509TrustManager[] trust = JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(target.ca(), null)), null);
        return new JsseESTServiceBuilder(target.authority(), trust).withLabel(label).build();
    }

    private X509Certificate enrollWithPassword(KeyPair keys, String subject) throws Exception {
        EstHttp.Reply reply = withPassword().postCsr("simpleenroll", Pki.csr(keys, subject).getEncoded());
        assertEquals(200, reply.status(), reply::toString);
        return Pki.certsOnly(reply.base64Body()).get(0);
    }

    private static PKCS10CertificationRequest csrWithAttribute(KeyPair keys, String subject, ASN1ObjectIdentifier type,
                                                               org.bouncycastle.asn1.ASN1Encodable value) throws Exception {
        return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic()).addAttribute(type, value)
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    }

    record EncryptedKey(byte[] envelopedData, X509Certificate certificate) {
    }

    /** A 200 /serverkeygen reply with an encrypted key part: its EnvelopedData (signature checked) and the certificate. */
    private EncryptedKey encryptedKey(EstHttp.Reply reply) throws Exception {
        assertEquals(200, reply.status(), reply::toString);
        List<Part> parts = parts(reply);
        assertEquals("application/pkcs7-mime; smime-type=server-generated-key", parts.get(0).headers().get("content-type"));
        return new EncryptedKey(verifiedSignedContent(Base64.getMimeDecoder().decode(parts.get(0).body())),
                Pki.certsOnly(Base64.getMimeDecoder().decode(parts.get(1).body())).get(0));
    }

    /** The SignedData of an encrypted key part, verified with the EST server's certificate; returns its content. */
    private byte[] verifiedSignedContent(byte[] der) throws Exception {
        CMSSignedData signed = new CMSSignedData(der);
        assertEquals(CMSObjectIdentifiers.envelopedData, signed.getSignedContentTypeOID() == null ? null
                : new ASN1ObjectIdentifier(signed.getSignedContentTypeOID()));
        X509Certificate server = serverCertificate();
        SignerInformation signer = signed.getSignerInfos().getSigners().iterator().next();
        assertTrue(signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider("BC").build(server)),
                "the key package is signed by the EST server");
        return (byte[]) signed.getSignedContent().getContent();
    }

    /** EnvelopedData as a ContentInfo, the form CMS tools (openssl cms) read. */
    private static byte[] wrap(byte[] envelopedData) throws IOException {
        return new ContentInfo(CMSObjectIdentifiers.envelopedData, EnvelopedData.getInstance(envelopedData)).getEncoded("DER");
    }

    /** The private key of an RFC 5958 AsymmetricKeyPackage holding one key. */
    private static PrivateKey keyFromPackage(byte[] keyPackage) throws Exception {
        ASN1Sequence sequence = ASN1Sequence.getInstance(keyPackage);
        assertEquals(1, sequence.size());
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(sequence.getObjectAt(0));
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    }

    private static void assertKeyMatches(X509Certificate cert, PrivateKey key) throws Exception {
        java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(new byte[] {42});
        byte[] sig = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(new byte[] {42});
        assertTrue(s.verify(sig), "the private key belongs to the certificate");
    }

    record Part(Map<String, String> headers, String body) {
    }

    /** Splits a multipart/mixed reply at its boundary (RFC 2046 section 5.1.1). */
    static List<Part> parts(EstHttp.Reply reply) {
        String type = reply.requiredHeader("Content-Type");
        assertTrue(type.startsWith(MULTIPART), reply::toString);
        String boundary = type.substring(MULTIPART.length());
        String[] chunks = reply.text().split("(^|\r\n)--" + Pattern.quote(boundary));
        List<Part> parts = new ArrayList<>();
        for (String chunk : chunks) {
            if (chunk.isBlank() || chunk.startsWith("--")) {
                continue;
            }
            String c = chunk.startsWith("\r\n") ? chunk.substring(2) : chunk;
            int split = c.indexOf("\r\n\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : c.substring(0, split).split("\r\n")) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).strip().toLowerCase(), line.substring(colon + 1).strip());
            }
            parts.add(new Part(headers, c.substring(split + 4)));
        }
        return parts;
    }

    private String queuedId(String subject) throws IOException {
        Matcher m = Pattern.compile("(?m)^([0-9a-f]{32})  PENDING\\n(?:    .*\\n)*?    subject: " + Pattern.quote(subject) + "\\n")
                .matcher(adminOutput("list"));
        assertTrue(m.find(), "queued: " + subject);
        return m.group(1);
    }

    private int admin(String... args) throws IOException {
        return Admin.run(args, target.estHome(), new PrintStream(new ByteArrayOutputStream()), System.err);
    }

    private String adminOutput(String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Admin.run(args, target.estHome(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(String text) {
        return Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z0-9 ]+-----", ""));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + ": " + output);
        return output;
    }
}

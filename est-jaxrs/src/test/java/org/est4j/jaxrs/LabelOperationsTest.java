package org.est4j.jaxrs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JceKEKEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.est4j.jaxrs.auth.ClientCertificateValidator;
import org.est4j.jaxrs.auth.HashedCredentialStore;
import org.est4j.jaxrs.auth.PasswordHashes;
import org.est4j.jaxrs.codec.BouncyCastle;
import org.est4j.jaxrs.codec.ResponseSigner;
import org.est4j.jaxrs.keygen.KeyEncryptionKeys;
import org.est4j.jaxrs.policy.LabelPolicies;
import org.est4j.jaxrs.policy.LabelPolicy;
import org.est4j.spi.CaCertificates;
import org.est4j.spi.CaCertificatesRequest;
import org.est4j.spi.CaException;
import org.est4j.spi.CaService;
import org.est4j.spi.CsrAttributes;
import org.est4j.spi.CsrAttributesRequest;
import org.est4j.spi.EnrollmentRequest;
import org.est4j.spi.EnrollmentResult;
import org.est4j.spi.Issued;
import org.est4j.spi.KeyGenerationSpec;
import org.est4j.spi.Pending;
import org.junit.jupiter.api.Test;

/**
 * The per-label options without a container: server-side key generation (off, plain, encrypted), the draft-02
 * PEM dialect, RFC 7030 section 3.7 queueing of incomplete authentication, and csrattrs enforcement.
 */
class LabelOperationsTest {

    private static final org.est4j.jaxrs.policy.ChannelBindingCheck.Mode REQUIRED = org.est4j.jaxrs.policy.ChannelBindingCheck.Mode.REQUIRED;

    private static final TestPki.Ca CA = TestPki.ca("Label CA");
    private static final TestPki.Ca SERVER = TestPki.ca("EST server");
    private static final byte[] KEK_ID = {7, 7, 7};
    private static final byte[] KEK = new byte[32];
    private static final String PASSWORD = "s3cret-pass";

    /** Issues everything; the unverified go pending; "iot" asks for a challengePassword and a SAN. */
    static final class Ca implements CaService {
        final List<EnrollmentRequest> seen = new ArrayList<>();

        @Override
        public CaCertificates caCertificates(CaCertificatesRequest request) {
            return new CaCertificates(List.of(CA.certificate()));
        }

        @Override
        public EnrollmentResult enroll(EnrollmentRequest request) {
            seen.add(request);
            if (!request.client().isAuthenticated()) {
                return new Pending(Duration.ofSeconds(30));
            }
            return new Issued(CA.issue(request.csr().subject().getName(), request.csr().publicKey(), null,
                    KeyPurposeId.id_kp_clientAuth), List.of(CA.certificate()));
        }

        @Override
        public Optional<CsrAttributes> csrAttributes(CsrAttributesRequest request) {
            if (request.label().equals(Optional.of("keygen"))) {
                // the RFC 9908 form: an EC P-256 key, a CN and an O, and a subjectAltName
                return Optional.of(new CsrAttributes(List.of(new CsrAttributes.Template(
                        List.of(new CsrAttributes.SubjectField("2.5.4.3", Optional.empty()),
                                new CsrAttributes.SubjectField("2.5.4.10", Optional.of("Example"))),
                        Optional.of(new CsrAttributes.KeyTemplate("1.2.840.10045.2.1", Optional.of("1.2.840.10045.3.1.7"))),
                        List.of(new CsrAttributes.ExtensionTemplate("2.5.29.17", false, Optional.empty()))))));
            }
            return Optional.of(new CsrAttributes(List.of(new CsrAttributes.Oid("1.2.840.113549.1.9.7"),
                    new CsrAttributes.Attribute("1.2.840.113549.1.9.14", List.of("2.5.29.17")))));
        }
    }

    private final Ca ca = new Ca();
    private final EnrollmentHandler handler = new EnrollmentHandler(ca, new EstEndpointConfig(8192, "est4j",
            new ClientCertificateValidator(List.of(CA.certificate())),
            new HashedCredentialStore(Map.of("est", PasswordHashes.hash(PASSWORD.toCharArray()))),
            new LabelPolicies(LabelPolicy.DEFAULTS, Map.of(
                    "keygen", LabelPolicy.DEFAULTS.withServerKeyGen(KeyGenerationSpec.ec("secp384r1")),
                    "legacy", LabelPolicy.DEFAULTS.withServerKeyGen(KeyGenerationSpec.ec("secp256r1"))
                            .withResponses(LabelPolicy.ResponseDialect.DRAFT02_PEM),
                    "queue", LabelPolicy.DEFAULTS.withIncompleteAuth(LabelPolicy.IncompleteAuthentication.QUEUE),
                    "iot", LabelPolicy.DEFAULTS.withEnforcedCsrAttributes(),
                    "linked", LabelPolicy.DEFAULTS.withChannelBinding(REQUIRED, false))),
            new KeyEncryptionKeys(Map.of("070707", new SecretKeySpec(KEK, "AES")), List.of()),
            Optional.of(new ResponseSigner(SERVER.key().getPrivate(), List.of(SERVER.certificate())))));

    private static HttpRequestInfo http(String authorization, byte[] body) {
        return new HttpRequestInfo("application/pkcs10", body.length, authorization, List.of(), "192.0.2.1");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private EstReply post(String operation, String label, String user, String password, byte[] csr) throws CaException {
        byte[] body = Base64.getMimeEncoder().encode(csr);
        HttpRequestInfo info = http(user == null ? null : basic(user, password), body);
        Optional<String> l = Optional.ofNullable(label);
        return switch (operation) {
            case "serverkeygen" -> handler.serverKeyGen(l, info, new ByteArrayInputStream(body));
            default -> handler.enroll(l, info, new ByteArrayInputStream(body));
        };
    }

    private static Map<String, String> headersOfPart(String part) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (String line : part.substring(0, part.indexOf("\r\n\r\n")).split("\r\n")) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
        return headers;
    }

    /** The two parts of a multipart reply: headers and body text. */
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

    private static void assertKeyMatches(X509Certificate cert, PrivateKey key) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(new byte[] {1});
        byte[] sig = s.sign();
        s.initVerify(cert.getPublicKey());
        s.update(new byte[] {1});
        assertTrue(s.verify(sig));
    }

    @Test
    void serverKeyGenIsNotOfferedWhereTheLabelDoesNotEnableIt() {
        byte[] csr = TestPki.csr(TestPki.ecKey(), "CN=nokeygen", null);
        EstProtocolException e = assertThrows(EstProtocolException.class, () -> post("serverkeygen", null, "est", PASSWORD, csr));
        assertEquals(501, ErrorReplies.of(e).status());
        assertTrue(e.getMessage().contains("not enabled"), e.getMessage());
        assertTrue(ca.seen.isEmpty());
    }

    @Test
    void serverKeyGenAnswersPkcs8AndCertsOnlyForANewKeyOfTheLabelsType() throws Exception {
        KeyPair requestKey = TestPki.ecKey();
        EstReply reply = post("serverkeygen", "keygen", "est", PASSWORD, TestPki.csr(requestKey, "CN=keygen-1", null));

        assertEquals(200, reply.status());
        assertTrue(reply.headers().get("Content-Type").startsWith("multipart/mixed; boundary="));
        assertEquals("no-store", reply.headers().get("Cache-Control"));
        List<String> parts = parts(reply);
        assertEquals(2, parts.size());
        assertEquals(Map.of("Content-Type", "application/pkcs8", "Content-Transfer-Encoding", "base64"), headersOfPart(parts.get(0)));
        assertEquals(Map.of("Content-Type", "application/pkcs7-mime; smime-type=certs-only", "Content-Transfer-Encoding", "base64"),
                headersOfPart(parts.get(1)));
        byte[] pkcs8 = bodyOf(parts.get(0));
        assertEquals("1.3.132.0.34", PrivateKeyInfo.getInstance(pkcs8).getPrivateKeyAlgorithm().getParameters().toString());
        X509Certificate cert = (X509Certificate) new CMSSignedData(bodyOf(parts.get(1))).getCertificates().getMatches(null)
                .stream().map(h -> {
                    try {
                        return new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(h);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).findFirst().orElseThrow();
        assertKeyMatches(cert, KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
        assertFalse(java.util.Arrays.equals(requestKey.getPublic().getEncoded(), cert.getPublicKey().getEncoded()));
    }

    @Test
    void serverKeyGenIgnoresTheRequestsSignature() throws Exception {
        byte[] csr = TestPki.csr(TestPki.ecKey(), "CN=keygen-badsig", null);
        csr[csr.length - 5] ^= 1; // the signature no longer verifies: irrelevant for a template
        assertEquals(200, post("serverkeygen", "keygen", "est", PASSWORD, csr).status());
    }

    @Test
    void serverKeyGenEncryptsForASharedKeyAndSignsWithTheServerKey() throws Exception {
        byte[] csr = TestPki.csr(TestPki.ecKey(), "CN=keygen-kek", null,
                new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.37"), new DEROctetString(KEK_ID));
        EstReply reply = post("serverkeygen", "keygen", "est", PASSWORD, csr);

        List<String> parts = parts(reply);
        assertEquals("application/pkcs7-mime; smime-type=server-generated-key", headersOfPart(parts.get(0)).get("Content-Type"));
        CMSSignedData signed = new CMSSignedData(bodyOf(parts.get(0)));
        assertEquals(CMSObjectIdentifiers.envelopedData.getId(), signed.getSignedContentTypeOID());
        assertTrue(signed.getSignerInfos().getSigners().iterator().next()
                .verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(BouncyCastle.PROVIDER).build(SERVER.certificate())));
        byte[] envelopedData = (byte[]) signed.getSignedContent().getContent();
        CMSEnvelopedData enveloped = new CMSEnvelopedData(
                new ContentInfo(CMSObjectIdentifiers.envelopedData, EnvelopedData.getInstance(envelopedData)).getEncoded());
        assertEquals("2.16.840.1.101.2.1.2.78.5", enveloped.getContentEncryptionAlgorithm() == null ? null
                : EnvelopedData.getInstance(envelopedData).getEncryptedContentInfo().getContentType().getId());
        byte[] keyPackage = enveloped.getRecipientInfos().getRecipients().iterator().next()
                .getContent(new JceKEKEnvelopedRecipient(new SecretKeySpec(KEK, "AES")).setProvider(BouncyCastle.PROVIDER));
        PrivateKeyInfo key = PrivateKeyInfo.getInstance(ASN1Sequence.getInstance(keyPackage).getObjectAt(0));
        assertInstanceOf(PrivateKey.class, KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded())));
    }

    @Test
    void anUnknownDecryptKeyIdentifierIs400BeforeAnyKeyIsGenerated() {
        byte[] csr = TestPki.csr(TestPki.ecKey(), "CN=keygen-unknown", null,
                new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.37"), new DEROctetString(new byte[] {9}));
        EstProtocolException e = assertThrows(EstProtocolException.class, () -> post("serverkeygen", "keygen", "est", PASSWORD, csr));
        assertEquals(400, e.status());
        assertTrue(ca.seen.isEmpty(), "no certificate for a key that could not be delivered");
    }

    @Test
    void theDraft02DialectAnswersPemWithoutTransferEncoding() throws Exception {
        EstReply reply = post("simpleenroll", "legacy", "est", PASSWORD, TestPki.csr(TestPki.ecKey(), "CN=legacy", null));
        String text = new String(reply.body(), StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("-----BEGIN PKCS7-----\n") && text.endsWith("-----END PKCS7-----\n"), text);
        assertFalse(reply.headers().containsKey("Content-Transfer-Encoding"));
        assertEquals("application/pkcs7-mime; smime-type=certs-only", reply.headers().get("Content-Type"));

        EstReply cacerts = handler.caCertificates(Optional.of("legacy"), "192.0.2.1");
        assertTrue(new String(cacerts.body(), StandardCharsets.US_ASCII).startsWith("-----BEGIN PKCS7-----\n"));
    }

    @Test
    void anUnknownUserIsPassedOnUnverifiedWhereTheLabelQueuesAndRefusedElsewhere() throws Exception {
        byte[] csr = TestPki.csr(TestPki.ecKey(), "CN=stranger", null);
        EstReply reply = post("simpleenroll", "queue", "stranger", "pin-1234", csr);
        assertEquals(202, reply.status());
        EnrollmentRequest seen = ca.seen.get(0);
        assertFalse(seen.client().isAuthenticated());
        assertEquals(Optional.of("stranger"), seen.client().unverified().orElseThrow().claimedUsername());

        assertEquals(401, assertThrows(EstProtocolException.class, () -> post("simpleenroll", null, "stranger", "pin-1234", csr)).status());
        assertEquals(401, assertThrows(EstProtocolException.class, () -> post("simpleenroll", "queue", "est", "wrong", csr)).status(),
                "a known user with a wrong password is never queued");
        assertEquals(401, assertThrows(EstProtocolException.class, () -> post("simpleenroll", "queue", null, null, csr)).status(),
                "a client that presents nothing is challenged");
    }

    @Test
    void anRfc9908TemplateIsEnforcedToo() throws Exception {
        org.est4j.jaxrs.codec.DecodedCsr bare = org.est4j.jaxrs.codec.CsrDecoder.decode(TestPki.csr(TestPki.ecKey(), "CN=t", null));
        CsrAttributes asked = ca.csrAttributes(new CsrAttributesRequest(Optional.of("keygen"),
                org.est4j.spi.AuthenticatedClient.anonymous("192.0.2.1"))).orElseThrow();
        EstProtocolException e = assertThrows(EstProtocolException.class,
                () -> org.est4j.jaxrs.policy.CsrAttributesCheck.check(asked, bare));
        assertTrue(e.getMessage().contains("subject field 2.5.4.10") && e.getMessage().contains("extension 2.5.29.17"), e.getMessage());

        org.est4j.jaxrs.policy.CsrAttributesCheck.check(asked, org.est4j.jaxrs.codec.CsrDecoder.decode(TestPki.csr(TestPki.ecKey(),
                "CN=t,O=Example", new org.bouncycastle.asn1.x509.GeneralName[] {TestPki.dns("t.example")})));
        EstProtocolException wrongValue = assertThrows(EstProtocolException.class, () -> org.est4j.jaxrs.policy.CsrAttributesCheck
                .check(asked, org.est4j.jaxrs.codec.CsrDecoder.decode(TestPki.csr(TestPki.ecKey(), "CN=t,O=Other",
                        new org.bouncycastle.asn1.x509.GeneralName[] {TestPki.dns("t.example")}))));
        assertTrue(wrongValue.getMessage().contains("2.5.4.10 = Example"), wrongValue.getMessage());
    }

    @Test
    void anEnforcingLabelRefusesARequestLackingWhatCsrattrsAsksAndNamesEveryItem() throws Exception {
        EstProtocolException e = assertThrows(EstProtocolException.class,
                () -> post("simpleenroll", "iot", "est", PASSWORD, TestPki.csr(TestPki.ecKey(), "CN=bare", null)));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("1.2.840.113549.1.9.7") && e.getMessage().contains("2.5.29.17"), e.getMessage());

        byte[] complete = TestPki.csr(TestPki.ecKey(), "CN=complete", new org.bouncycastle.asn1.x509.GeneralName[] {TestPki.dns("d.example")},
                PKCSObjectIdentifiers.pkcs_9_at_challengePassword, new DERPrintableString("x"));
        assertEquals(200, post("simpleenroll", "iot", "est", PASSWORD, complete).status());
        assertEquals(200, post("simpleenroll", null, "est", PASSWORD, TestPki.csr(TestPki.ecKey(), "CN=bare", null)).status(),
                "not enforced on the unlabelled path");
    }

    /** RFC 7030 section 3.5: the CSR carries this session's tls-unique; another session's value or none is refused. */
    @Test
    void aRequiredChannelBindingMustBeTheSessionsOwn() throws Exception {
        byte[] binding = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        org.est4j.jaxrs.auth.ChannelBinding session = new org.est4j.jaxrs.auth.ChannelBinding("tls-unique", binding);
        KeyPair key = TestPki.ecKey();
        byte[] linked = Base64.getMimeEncoder().encode(TestPki.csr(key, "CN=linked", null, PKCSObjectIdentifiers.pkcs_9_at_challengePassword,
                new DERPrintableString(Base64.getEncoder().encodeToString(binding))));
        byte[] replayed = Base64.getMimeEncoder().encode(TestPki.csr(key, "CN=linked", null, PKCSObjectIdentifiers.pkcs_9_at_challengePassword,
                new DERPrintableString(Base64.getEncoder().encodeToString(new byte[12]))));
        byte[] unlinked = Base64.getMimeEncoder().encode(TestPki.csr(key, "CN=linked", null));

        assertEquals(200, linkedEnroll(linked, Optional.of(session)).status());
        EstProtocolException mismatch = assertThrows(EstProtocolException.class, () -> linkedEnroll(replayed, Optional.of(session)));
        assertTrue(mismatch.getMessage().contains("not the tls-unique of this TLS session"), mismatch.getMessage());
        EstProtocolException missing = assertThrows(EstProtocolException.class, () -> linkedEnroll(unlinked, Optional.of(session)));
        assertTrue(missing.getMessage().contains("linking is required"), missing.getMessage());
        EstProtocolException noSource = assertThrows(EstProtocolException.class, () -> linkedEnroll(linked, Optional.empty()));
        assertTrue(noSource.getMessage().contains("offers no channel binding"), noSource.getMessage());
        assertEquals(400, noSource.status());
    }

    private EstReply linkedEnroll(byte[] body, Optional<org.est4j.jaxrs.auth.ChannelBinding> binding) throws CaException {
        return handler.enroll(Optional.of("linked"), new HttpRequestInfo("application/pkcs10", body.length, basic("est", PASSWORD),
                List.of(), "192.0.2.1", binding), new ByteArrayInputStream(body));
    }

    @Test
    void ifPresentChecksOnlyWhatIsThere() {
        org.est4j.jaxrs.auth.ChannelBinding session = new org.est4j.jaxrs.auth.ChannelBinding("tls-exporter", new byte[32]);
        org.est4j.jaxrs.policy.ChannelBindingCheck.Mode mode = org.est4j.jaxrs.policy.ChannelBindingCheck.Mode.IF_PRESENT;
        org.est4j.jaxrs.policy.ChannelBindingCheck.check(mode, Optional.empty(), Optional.of(session));
        org.est4j.jaxrs.policy.ChannelBindingCheck.check(mode, Optional.of("anything"), Optional.empty());
        org.est4j.jaxrs.policy.ChannelBindingCheck.check(mode, Optional.of(Base64.getEncoder().encodeToString(new byte[32])), Optional.of(session));
        assertThrows(EstProtocolException.class,
                () -> org.est4j.jaxrs.policy.ChannelBindingCheck.check(mode, Optional.of("not base64 !"), Optional.of(session)));
    }

    /** RFC 7030 section 2.2.3: an RA certificate (id-kp-cmcRA from an RA anchor) is told to the CA, and may attest possession. */
    @Test
    void aRegistrationAuthorityIsRecognisedAndMayAttestPossession() throws Exception {
        TestPki.Ca raCa = TestPki.ca("RA anchor");
        KeyPair raKey = TestPki.ecKey();
        X509Certificate ra = raCa.issue("CN=factory RA", raKey.getPublic(), null, KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_cmcRA);
        KeyPair plainKey = TestPki.ecKey();
        X509Certificate notAnRa = CA.issue("CN=device with cmcRA", plainKey.getPublic(), null, KeyPurposeId.id_kp_clientAuth,
                KeyPurposeId.id_kp_cmcRA);
        java.util.function.Function<Boolean, EnrollmentHandler> handlerAttesting = attests -> new EnrollmentHandler(ca,
                new EstEndpointConfig(8192, "est4j", new ClientCertificateValidator(List.of(CA.certificate())),
                        new HashedCredentialStore(Map.of()),
                        new LabelPolicies(LabelPolicy.DEFAULTS.withChannelBinding(REQUIRED, attests), Map.of()),
                        KeyEncryptionKeys.NONE, Optional.empty(), new ClientCertificateValidator(List.of(raCa.certificate())),
                        org.est4j.jaxrs.auth.HttpAuthentication.BASIC_ONLY));
        byte[] body = Base64.getMimeEncoder().encode(TestPki.csr(TestPki.ecKey(), "CN=someone-else", null));

        EstReply reply = handlerAttesting.apply(true).enroll(Optional.empty(),
                new HttpRequestInfo("application/pkcs10", body.length, null, List.of(ra), "192.0.2.7"), new ByteArrayInputStream(body));
        assertEquals(200, reply.status(), "no binding needed: the RA attests possession");
        EnrollmentRequest seen = ca.seen.get(ca.seen.size() - 1);
        assertTrue(seen.client().methods().contains(org.est4j.spi.AuthenticationMethod.REGISTRATION_AUTHORITY));
        assertTrue(seen.client().methods().contains(org.est4j.spi.AuthenticationMethod.TLS_CLIENT_CERTIFICATE));

        assertEquals(400, assertThrows(EstProtocolException.class, () -> handlerAttesting.apply(false).enroll(Optional.empty(),
                new HttpRequestInfo("application/pkcs10", body.length, null, List.of(ra), "192.0.2.7"), new ByteArrayInputStream(body)))
                .status(), "without the exemption an RA links like anyone");
        assertEquals(400, assertThrows(EstProtocolException.class, () -> handlerAttesting.apply(true).enroll(Optional.empty(),
                new HttpRequestInfo("application/pkcs10", body.length, null, List.of(notAnRa), "192.0.2.8"), new ByteArrayInputStream(body)))
                .status(), "id-kp-cmcRA from a CA that is not an RA anchor makes no RA");
    }
}

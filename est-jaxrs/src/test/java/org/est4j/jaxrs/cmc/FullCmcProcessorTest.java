package org.est4j.jaxrs.cmc;

import org.bouncycastle.asn1.cmc.PKIData;

import static org.est4j.jaxrs.cmc.CmcTestMessages.control;
import static org.est4j.jaxrs.cmc.CmcTestMessages.crmf;
import static org.est4j.jaxrs.cmc.CmcTestMessages.pkcs10;
import static org.est4j.jaxrs.cmc.CmcTestMessages.pkiData;
import static org.est4j.jaxrs.cmc.CmcTestMessages.signed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.cmc.CMCFailInfo;
import org.bouncycastle.asn1.cmc.CMCObjectIdentifiers;
import org.bouncycastle.asn1.cmc.RevokeRequest;
import org.bouncycastle.asn1.cmc.TaggedAttribute;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.TestPki;
import org.est4j.jaxrs.codec.CertsOnlyEncoder;
import org.est4j.jaxrs.codec.ResponseSigner;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.AuthenticationMethod;
import org.est4j.spi.CaException;
import org.est4j.spi.CaUnavailableException;
import org.est4j.spi.CertificationRequest;
import org.est4j.spi.CsrRejectedException;
import org.est4j.spi.EnrollmentForbiddenException;
import org.est4j.spi.RevocationRequest;
import org.est4j.spi.SubjectAltName;
import org.est4j.spi.UnknownLabelException;

class FullCmcProcessorTest {

    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
    private static final byte[] TRANSACTION_ID = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
    private static final byte[] SENDER_NONCE = "client-nonce-123".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final InMemoryCa ca = new InMemoryCa();
    private final KeyPair raKey = TestPki.ecKey();
    private final X509Certificate raCert = ca.ca.issue("CN=est4j RA", raKey.getPublic(), null, KeyPurposeId.id_kp_cmcRA);
    private final FullCmcProcessor processor = new FullCmcProcessor(ca,
            new ResponseSigner(raKey.getPrivate(), List.of(raCert, ca.ca.certificate())), Clock.fixed(NOW, ZoneOffset.UTC));

    /** The EST client: authenticated by a TLS certificate, which also signs its CMC messages. */
    private final KeyPair clientKey = TestPki.ecKey();
    private final X509Certificate clientCert = ca.ca.issue("CN=device-client", clientKey.getPublic(), null);
    private final AuthenticatedClient client = new AuthenticatedClient(List.of(clientCert), Optional.empty(),
            Set.of(AuthenticationMethod.TLS_CLIENT_CERTIFICATE), "192.0.2.10");

    private static List<TaggedAttribute> transactionControls() {
        return List.of(control(1, CMCObjectIdentifiers.id_cmc_transactionId, new ASN1Integer(new BigInteger(1, TRANSACTION_ID))),
                control(2, CMCObjectIdentifiers.id_cmc_senderNonce, new DEROctetString(SENDER_NONCE)));
    }

    private CmcTestMessages.Response send(byte[] request) throws UnknownLabelException {
        return CmcTestMessages.parse(processor.process(Optional.empty(), request, client), raCert);
    }

    private static X509Certificate certificateFor(CmcTestMessages.Response response, PublicKey key) {
        return response.certificates().stream().filter(c -> c.getPublicKey().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no certificate for the requested key"));
    }

    private static boolean hasCertificateFor(CmcTestMessages.Response response, PublicKey key) {
        return response.certificates().stream().anyMatch(c -> c.getPublicKey().equals(key));
    }

    @Test
    void issuesAPkcs10RequestAndEchoesTransactionIdAndNonce() throws Exception {
        KeyPair key = TestPki.ecKey();
        byte[] csr = TestPki.csr(key, "CN=device-1", null);
        CmcTestMessages.Response response = send(signed(pkiData(transactionControls(), pkcs10(3, csr)),
                clientCert, clientKey.getPrivate()));

        CmcTestMessages.Status status = response.only();
        assertTrue(status.isSuccess(), status.toString());
        assertEquals(List.of(3L), status.bodyList());
        X509Certificate issued = certificateFor(response, key.getPublic());
        assertEquals(new X500Principal("CN=device-1"), issued.getSubjectX500Principal());
        assertTrue(response.certificates().contains(raCert), "the signer's certificate");
        assertTrue(response.certificates().contains(ca.ca.certificate()), "the chain");
        assertEquals(new BigInteger(1, TRANSACTION_ID), new BigInteger(response.transactionId()));
        assertArrayEquals(SENDER_NONCE, response.recipientNonce());
        assertEquals(16, response.senderNonce().length);

        CertificationRequest seen = ca.enrollments.get(0).csr();
        assertEquals(CertificationRequest.Format.PKCS10, seen.format());
        assertArrayEquals(csr, seen.der());
        assertEquals(client, ca.enrollments.get(0).client());
    }

    @Test
    void eachBodyPartsDecisionGoesToTheEvents() throws Exception {
        List<org.est4j.jaxrs.events.Decision> decisions = new java.util.ArrayList<>();
        FullCmcProcessor reporting = new FullCmcProcessor(ca, new ResponseSigner(raKey.getPrivate(), List.of(raCert, ca.ca.certificate())),
                new org.est4j.jaxrs.events.EstEvents() {
                    @Override
                    public void decided(org.est4j.jaxrs.events.Decision decision) {
                        decisions.add(decision);
                    }
                });
        KeyPair key = TestPki.ecKey();
        CmcTestMessages.Response response = CmcTestMessages.parse(reporting.process(Optional.empty(),
                signed(pkiData(transactionControls(), pkcs10(3, TestPki.csr(key, "CN=audited", null))), clientCert, clientKey.getPrivate()),
                client), raCert);
        X509Certificate issued = certificateFor(response, key.getPublic());
        assertEquals(1, decisions.size());
        assertEquals(org.est4j.jaxrs.events.Decision.Outcome.ISSUED, decisions.get(0).outcome());
        assertEquals("fullcmc", decisions.get(0).operation());
        assertEquals(Optional.of(issued.getSerialNumber()), decisions.get(0).serial());
    }

    @Test
    void eachResponseHasAFreshSenderNonce() throws Exception {
        byte[] request = signed(pkiData(transactionControls(), pkcs10(3, TestPki.csr(TestPki.ecKey(), "CN=d", null))),
                clientCert, clientKey.getPrivate());
        assertTrue(!Arrays.equals(send(request).senderNonce(), send(request).senderNonce()));
    }

    @Test
    void issuesACrmfRequestWithSignaturePop() throws Exception {
        KeyPair key = TestPki.ecKey();
        CmcTestMessages.Response response = send(signed(pkiData(transactionControls(),
                crmf(7, key, "CN=crmf-device,O=Example", CmcTestMessages.Pop.SIGNATURE, TestPki.dns("crmf.example"))),
                clientCert, clientKey.getPrivate()));

        assertTrue(response.only().isSuccess(), response.only().toString());
        assertEquals(List.of(7L), response.only().bodyList());
        assertNotNull(certificateFor(response, key.getPublic()));
        CertificationRequest seen = ca.enrollments.get(0).csr();
        assertEquals(CertificationRequest.Format.CRMF, seen.format());
        assertEquals(new X500Principal("CN=crmf-device,O=Example"), seen.subject());
        assertEquals(List.of(new SubjectAltName(SubjectAltName.Type.DNS_NAME, "crmf.example")), seen.subjectAltNames());
        assertEquals("2.5.29.17", seen.requestedExtensions().get(0).oid());
        assertEquals("EC", seen.publicKey().getAlgorithm());
        assertTrue(seen.hasSamePublicKeyAs(key.getPublic()));
    }

    @Test
    void refusesACrmfPopSignedWithAnotherKeyWithoutAskingTheCa() throws Exception {
        CmcTestMessages.Response response = send(signed(pkiData(transactionControls(),
                crmf(7, TestPki.ecKey(), "CN=x", CmcTestMessages.Pop.SIGNATURE_BY_OTHER_KEY)), clientCert, clientKey.getPrivate()));

        assertTrue(response.only().isFailed());
        assertEquals(CMCFailInfo.popFailed, response.only().failInfo());
        assertEquals(List.of(7L), response.only().bodyList());
        assertTrue(ca.enrollments.isEmpty());
    }

    @Test
    void refusesRaVerifiedPopFromAClientWithoutAnRaCertificate() throws Exception {
        CmcTestMessages.Response response = send(signed(pkiData(transactionControls(),
                crmf(7, TestPki.ecKey(), "CN=x", CmcTestMessages.Pop.RA_VERIFIED)), clientCert, clientKey.getPrivate()));

        assertEquals(CMCFailInfo.popFailed, response.only().failInfo());
        assertTrue(response.only().statusString().contains("id-kp-cmcRA"), response.only().statusString());
        assertTrue(ca.enrollments.isEmpty());
    }

    @Test
    void acceptsRaVerifiedPopFromAnRa() throws Exception {
        AuthenticatedClient ra = new AuthenticatedClient(List.of(raCert), Optional.empty(),
                Set.of(AuthenticationMethod.TLS_CLIENT_CERTIFICATE), "192.0.2.20");
        KeyPair key = TestPki.ecKey();
        byte[] request = signed(pkiData(transactionControls(), crmf(7, key, "CN=behind-ra", CmcTestMessages.Pop.RA_VERIFIED)),
                raCert, raKey.getPrivate());
        CmcTestMessages.Response response = CmcTestMessages.parse(processor.process(Optional.empty(), request, ra), raCert);

        assertTrue(response.only().isSuccess(), response.only().toString());
        assertNotNull(certificateFor(response, key.getPublic()));
    }

    @Test
    void refusesACrmfRequestWithoutPop() throws Exception {
        CmcTestMessages.Response response = send(signed(pkiData(transactionControls(),
                crmf(7, TestPki.ecKey(), "CN=x", CmcTestMessages.Pop.NONE)), clientCert, clientKey.getPrivate()));

        assertEquals(CMCFailInfo.popFailed, response.only().failInfo());
        assertTrue(response.only().statusString().contains("signingKey"), response.only().statusString());
    }

    @Test
    void refusesAPkcs10RequestWhoseOwnSignatureIsBroken() throws Exception {
        byte[] csr = TestPki.csr(TestPki.ecKey(), "CN=device-1", null);
        csr[csr.length - 5] ^= 0x01; // inside the signature's INTEGER
        CmcTestMessages.Response response = send(signed(pkiData(transactionControls(), pkcs10(3, csr)),
                clientCert, clientKey.getPrivate()));

        CmcTestMessages.Status status = response.only();
        assertTrue(status.isFailed());
        assertEquals(CMCFailInfo.popFailed, status.failInfo());
        assertEquals(List.of(3L), status.bodyList());
        assertTrue(status.statusString().contains("signature"), status.statusString());
        assertTrue(ca.enrollments.isEmpty());
    }

    @Test
    void answersBadMessageCheckWhenTheSignedContentWasAltered() throws Exception {
        KeyPair key = TestPki.ecKey();
        byte[] request = signed(pkiData(transactionControls(), pkcs10(3, TestPki.csr(key, "CN=device-1", null))),
                clientCert, clientKey.getPrivate());
        int at = indexOf(request, TRANSACTION_ID);
        request[at + 3] ^= 0x01; // still a well-formed INTEGER, no longer what was signed

        CmcTestMessages.Response response = send(request);

        CmcTestMessages.Status status = response.only();
        assertTrue(status.isFailed());
        assertEquals(CMCFailInfo.badMessageCheck, status.failInfo());
        assertEquals(List.of(0L), status.bodyList());
        assertNotNull(status.statusString());
        assertTrue(!hasCertificateFor(response, key.getPublic()));
        assertTrue(ca.enrollments.isEmpty());
    }

    @Test
    void answersBadMessageCheckForAnUnsignedPkiData() throws Exception {
        org.bouncycastle.cms.CMSSignedDataGenerator g = new org.bouncycastle.cms.CMSSignedDataGenerator();
        byte[] request = g.generate(new org.bouncycastle.cms.CMSProcessableByteArray(CMCObjectIdentifiers.id_cct_PKIData,
                pkiData(transactionControls(), pkcs10(3, TestPki.csr(TestPki.ecKey(), "CN=d", null))).getEncoded()), true)
                .getEncoded();

        CmcTestMessages.Response response = send(request);

        assertEquals(CMCFailInfo.badMessageCheck, response.only().failInfo());
        assertTrue(ca.enrollments.isEmpty());
    }

    @Test
    void acceptsAPkiDataSignedWithTheKeyBeingCertified() throws Exception {
        KeyPair key = TestPki.ecKey();
        byte[] request = CmcTestMessages.selfSigned(pkiData(transactionControls(), pkcs10(3, TestPki.csr(key, "CN=self", null))), key);

        CmcTestMessages.Response response = send(request);

        assertTrue(response.only().isSuccess(), response.only().toString());
        assertNotNull(certificateFor(response, key.getPublic()));
    }

    @Test
    void refusesASubjectKeyIdentifierThatNamesNoRequestKey() throws Exception {
        byte[] request = CmcTestMessages.selfSigned(pkiData(transactionControls(),
                pkcs10(3, TestPki.csr(TestPki.ecKey(), "CN=self", null))), TestPki.ecKey());

        CmcTestMessages.Response response = send(request);

        assertEquals(CMCFailInfo.badMessageCheck, response.only().failInfo());
        assertTrue(ca.enrollments.isEmpty());
    }

    @Test
    void answersPendingWithAPendInfo() throws Exception {
        ca.pending = Duration.ofMinutes(10);
        byte[] csr = TestPki.csr(TestPki.ecKey(), "CN=later", null);
        CmcTestMessages.Response response = send(signed(pkiData(transactionControls(), pkcs10(3, csr)),
                clientCert, clientKey.getPrivate()));

        CmcTestMessages.Status status = response.only();
        assertTrue(status.isPending(), status.toString());
        assertEquals(List.of(3L), status.bodyList());
        assertNotNull(status.pendInfo());
        assertArrayEquals(Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(csr), 16), status.pendInfo().getPendToken());
        assertEquals(NOW.plus(Duration.ofMinutes(10)), status.pendInfo().getPendTime().getDate().toInstant());
        assertEquals(2, response.certificates().size(), "the signer chain only");
    }

    @Test
    void mapsAForbiddenEnrollmentToBadIdentity() throws Exception {
        ca.failure = new EnrollmentForbiddenException("device-1 may not enroll on this label");
        CmcTestMessages.Response response = send(signed(pkiData(transactionControls(),
                pkcs10(3, TestPki.csr(TestPki.ecKey(), "CN=device-1", null))), clientCert, clientKey.getPrivate()));

        assertEquals(CMCFailInfo.badIdentity, response.only().failInfo());
        assertEquals("device-1 may not enroll on this label", response.only().statusString());
    }

    @Test
    void mapsTheOtherCaFailures() throws Exception {
        assertEquals(CMCFailInfo.badRequest, failureFor(new CsrRejectedException("key too short")).failInfo());
        CmcTestMessages.Status later = failureFor(new CaUnavailableException("HSM offline"));
        assertEquals(CMCFailInfo.tryLater, later.failInfo());
        assertEquals("HSM offline", later.statusString());
        CmcTestMessages.Status internal = failureFor(new CaException("db host 10.0.0.7 unreachable"));
        assertEquals(CMCFailInfo.internalCAError, internal.failInfo());
        assertTrue(!internal.statusString().contains("10.0.0.7"), "CA internals stay in the log");
    }

    private CmcTestMessages.Status failureFor(CaException e) throws Exception {
        ca.failure = e;
        return send(signed(pkiData(transactionControls(), pkcs10(3, TestPki.csr(TestPki.ecKey(), "CN=d", null))),
                clientCert, clientKey.getPrivate())).only();
    }

    @Test
    void anUnknownLabelIsNotACmcStatus() {
        ca.failure = new UnknownLabelException("nope");
        byte[] request = signed(pkiData(transactionControls(), pkcs10(3, TestPki.csr(TestPki.ecKey(), "CN=d", null))),
                clientCert, clientKey.getPrivate());
        assertThrows(UnknownLabelException.class, () -> processor.process(Optional.of("nope"), request, client));
    }

    @Test
    void passesARevokeRequestToTheCa() throws Exception {
        ca.revokes = true;
        RevokeRequest revoke = new RevokeRequest(new X500Name("CN=CMC Test CA"), new ASN1Integer(4711),
                CRLReason.lookup(CRLReason.keyCompromise), new ASN1GeneralizedTime("20291231000000Z"),
                new DEROctetString("secret".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), new DERUTF8String("lost laptop"));
        CmcTestMessages.Response response = send(signed(pkiData(List.of(control(5, CMCObjectIdentifiers.id_cmc_revokeRequest, revoke)))
                , clientCert, clientKey.getPrivate()));

        assertTrue(response.only().isSuccess(), response.only().toString());
        assertEquals(List.of(5L), response.only().bodyList());
        RevocationRequest seen = ca.revocations.get(0);
        assertEquals(new X500Principal("CN=CMC Test CA"), seen.issuer());
        assertEquals(BigInteger.valueOf(4711), seen.serialNumber());
        assertEquals(CRLReason.keyCompromise, seen.reason());
        assertEquals(Optional.of(Instant.parse("2029-12-31T00:00:00Z")), seen.invalidityDate());
        assertEquals(Optional.of("lost laptop"), seen.comment());
        assertEquals(client, seen.client());
    }

    @Test
    void aCaWithoutRevocationAnswersUnsupportedExt() throws Exception {
        RevokeRequest revoke = new RevokeRequest(new X500Name("CN=CMC Test CA"), new ASN1Integer(4711),
                CRLReason.lookup(CRLReason.superseded), null, null, null);
        CmcTestMessages.Response response = send(signed(pkiData(List.of(control(5, CMCObjectIdentifiers.id_cmc_revokeRequest, revoke))),
                clientCert, clientKey.getPrivate()));

        assertEquals(CMCFailInfo.unsupportedExt, response.only().failInfo());
        assertEquals(List.of(5L), response.only().bodyList());
    }

    @Test
    void refusesIdentityProofV2AndProcessesNothingElse() throws Exception {
        TaggedAttribute proof = control(4, CMCObjectIdentifiers.id_cmc_identityProofV2,
                new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                        new org.bouncycastle.asn1.x509.AlgorithmIdentifier(new ASN1ObjectIdentifier("1.3.14.3.2.26")),
                        new org.bouncycastle.asn1.x509.AlgorithmIdentifier(new ASN1ObjectIdentifier("1.2.840.113549.2.7"), DERNull.INSTANCE),
                        new DEROctetString(new byte[20])}));
        CmcTestMessages.Response response = send(signed(pkiData(List.of(proof),
                pkcs10(3, TestPki.csr(TestPki.ecKey(), "CN=d", null))), clientCert, clientKey.getPrivate()));

        CmcTestMessages.Status refused = response.statusFor(4);
        assertEquals(CMCFailInfo.unsupportedExt, refused.failInfo());
        assertTrue(refused.statusString().contains("identityProofV2"), refused.statusString());
        assertTrue(refused.statusString().contains("TLS or HTTP"), refused.statusString());
        assertTrue(response.statusFor(3).isFailed());
        assertTrue(ca.enrollments.isEmpty(), "CMC controls are critical: nothing is issued past a refused one");
    }

    @Test
    void namesAnUnknownControlByItsOid() throws Exception {
        CmcTestMessages.Response response = send(signed(pkiData(List.of(
                control(9, new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), DERNull.INSTANCE))), clientCert, clientKey.getPrivate()));

        assertEquals(CMCFailInfo.unsupportedExt, response.only().failInfo());
        assertTrue(response.only().statusString().contains("1.3.6.1.4.1.99999.1"), response.only().statusString());
    }

    @Test
    void answersTwoRequestsWithTwoStatusesAndTwoCertificates() throws Exception {
        KeyPair first = TestPki.ecKey();
        KeyPair second = TestPki.ecKey();
        CmcTestMessages.Response response = send(signed(pkiData(transactionControls(),
                pkcs10(3, TestPki.csr(first, "CN=first", null)),
                crmf(4, second, "CN=second", CmcTestMessages.Pop.SIGNATURE)), clientCert, clientKey.getPrivate()));

        assertEquals(2, response.statuses().size());
        assertTrue(response.statusFor(3).isSuccess());
        assertTrue(response.statusFor(4).isSuccess());
        assertNotNull(certificateFor(response, first.getPublic()));
        assertNotNull(certificateFor(response, second.getPublic()));
        assertEquals(4, response.certificates().size(), "RA, CA and the two issued, without duplicates");
    }

    @Test
    void refusesDuplicateBodyPartIdsAsAMessageFailure() throws Exception {
        CmcTestMessages.Response response = send(signed(pkiData(transactionControls(),
                pkcs10(2, TestPki.csr(TestPki.ecKey(), "CN=d", null))), clientCert, clientKey.getPrivate()));

        assertEquals(CMCFailInfo.badRequest, response.only().failInfo());
        assertEquals(List.of(0L), response.only().bodyList());
        assertTrue(ca.enrollments.isEmpty());
    }

    @Test
    void signsWithRsaAndEd25519SignersToo() throws Exception {
        for (String algorithm : List.of("RSA", "Ed25519")) {
            KeyPair signerKey = java.security.KeyPairGenerator.getInstance(algorithm).generateKeyPair();
            X509Certificate signerCert = ca.ca.issue("CN=" + algorithm + " RA", signerKey.getPublic(), null);
            FullCmcProcessor other = new FullCmcProcessor(ca, new ResponseSigner(signerKey.getPrivate(), List.of(signerCert)));
            byte[] request = signed(pkiData(transactionControls(), pkcs10(3, TestPki.csr(TestPki.ecKey(), "CN=d", null))),
                    clientCert, clientKey.getPrivate());

            CmcTestMessages.Response response = CmcTestMessages.parse(other.process(Optional.empty(), request, client), signerCert);

            assertTrue(response.only().isSuccess(), algorithm);
        }
    }

    @Test
    void bytesThatAreNotCmsAreAnHttp400() {
        EstProtocolException e = assertThrows(EstProtocolException.class,
                () -> processor.process(Optional.empty(), "not CMS at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII), client));
        assertEquals(400, e.status());
    }

    @Test
    void aSignedDataOfAnotherContentTypeIsAnHttp400() {
        byte[] certsOnly = CertsOnlyEncoder.encode(List.of(ca.ca.certificate()));
        EstProtocolException e = assertThrows(EstProtocolException.class,
                () -> processor.process(Optional.empty(), certsOnly, client));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("id-cct-PKIData"), e.getMessage());
    }

    @Test
    void aRequestWithoutNoncesGetsNoRecipientNonce() throws Exception {
        CmcTestMessages.Response response = send(signed(pkiData(List.of(),
                pkcs10(1, TestPki.csr(TestPki.ecKey(), "CN=d", null))), clientCert, clientKey.getPrivate()));
        assertTrue(response.only().isSuccess());
        assertNull(response.transactionId());
        assertNull(response.recipientNonce());
        assertNotNull(response.senderNonce());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    // ---- found by fuzzing: malformed messages that ended in a 500 --------------------------------------------

    private static byte[] fuzzSeed(String path) throws java.io.IOException {
        try (java.io.InputStream in = FullCmcProcessorTest.class.getResourceAsStream("/org/est4j/jaxrs/fuzz/FullCmcFuzzTestInputs/" + path)) {
            return in.readAllBytes();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"body/signerinfos-iae-032a8fb0.der", "body/signerinfos-iae-3e401e76.der",
            "body/signerinfos-ise-7167a9cb.der", "body/pkidata-ise-80985b41.der", "body/pkidata-ise-94389069.der",
            "body/pkidata-ise-a4f04b1b.der"})
    void aMalformedSignedDataOrPkiDataIsA400(String seed) throws Exception {
        byte[] der = org.est4j.jaxrs.codec.Base64Transfer.decode(fuzzSeed(seed));
        org.est4j.jaxrs.EstProtocolException e = assertThrows(org.est4j.jaxrs.EstProtocolException.class,
                () -> processor.process(Optional.empty(), der, client));
        assertEquals(400, e.status());
    }

    @Test
    void aRevokeCommentThatIsNotUtf8IsABadRequest() throws Exception {
        PKIData data = PKIData.getInstance(fuzzSeed("signedPkiData/revoke-comment-invalid-utf8-a531ac22.der"));
        CmcTestMessages.Response response = send(CmcTestMessages.signed(data, clientCert, clientKey.getPrivate()));
        assertTrue(response.statuses().stream().anyMatch(st -> CMCFailInfo.badRequest.equals(st.failInfo())
                && st.statusString().contains("not valid UTF-8")), response::toString);
    }
}

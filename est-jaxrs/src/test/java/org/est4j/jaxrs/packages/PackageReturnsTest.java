package org.est4j.jaxrs.packages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.est4j.jaxrs.ErrorReplies;
import org.est4j.jaxrs.EstEndpointConfig;
import org.est4j.jaxrs.EstReply;
import org.est4j.jaxrs.HttpRequestInfo;
import org.est4j.jaxrs.TestPki;
import org.est4j.jaxrs.auth.ClientCertificateValidator;
import org.est4j.jaxrs.auth.EstAuthenticator;
import org.est4j.jaxrs.auth.HashedCredentialStore;
import org.est4j.jaxrs.auth.PasswordHashes;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.DistributedPackage;
import org.est4j.spi.PackageKind;
import org.est4j.spi.PackageRequest;
import org.est4j.spi.PackageReturn;
import org.est4j.spi.PackageReturn.Outcome;
import org.est4j.spi.PackageService;
import org.junit.jupiter.api.Test;

/**
 * The {@code /return} POSTs without a container: every status a client can see, and what the package service is
 * asked to record. The client messages come from {@link ReturnMessages}; {@link #messagesAreWhatTheRfcsSay} has
 * pyasn1-modules decode one of each, so the builders (and with them est4j's decoder) follow the RFC modules.
 */
class PackageReturnsTest {

    private static final TestPki.Ca CA = TestPki.ca("Returns CA");
    private static final String PASSWORD = "s3cret-pass";
    private static final int MAX = 16 * 1024;
    private static final EstEndpointConfig CONFIG = new EstEndpointConfig(MAX, "est4j",
            new ClientCertificateValidator(List.of(CA.certificate())),
            new HashedCredentialStore(Map.of("est", PasswordHashes.hash(PASSWORD.toCharArray()))));

    private static final KeyPair CLIENT_KEY = TestPki.ecKey();
    private static final X509Certificate CLIENT = CA.issue("CN=device-1", CLIENT_KEY.getPublic(), null, KeyPurposeId.id_kp_clientAuth);
    private static final KeyPair OTHER_KEY = TestPki.ecKey();
    private static final X509Certificate OTHER = CA.issue("CN=device-2", OTHER_KEY.getPublic(), null, KeyPurposeId.id_kp_clientAuth);
    private static final KeyPair VENDOR_KEY = TestPki.ecKey();
    private static final X509Certificate VENDOR = TestPki.selfSigned("CN=Firmware Signer", VENDOR_KEY);

    private static final ASN1Encodable FIRMWARE_NAME = ReturnMessages.preferredFirmwareName("1.3.6.1.4.1.99999.5", 42);
    private static final ASN1Sequence QUERY_REF = ReturnMessages.tampMsgRef("urn:device-1", 7);
    private static final ASN1Sequence UPDATE_REF = ReturnMessages.tampMsgRef("urn:device-1", 8);
    private static final ASN1Sequence COMMUNITY_REF = ReturnMessages.tampMsgRef(null, 9);
    private static final ASN1Sequence ADJUST_REF = ReturnMessages.tampMsgRef("urn:device-1", 10);

    /** A package service that gives device-1 one package of each kind and device-2 a key package of its own. */
    static final class InMemoryPackages implements PackageService {
        final List<PackageReturn> recorded = new ArrayList<>();
        final List<PackageRequest> asked = new ArrayList<>();

        @Override
        public List<DistributedPackage> packages(PackageRequest request) {
            asked.add(request);
            String subject = request.client().certificate().map(c -> c.getSubjectX500Principal().getName()).orElse("");
            if (!subject.equals("CN=device-1")) {
                return List.of(new DistributedPackage("keys-of-device-2", PackageKind.SYMMETRIC_KEYS, new byte[] {4, 0}));
            }
            return switch (request.kind()) {
                case SYMMETRIC_KEYS -> List.of(new DistributedPackage("keys-0", PackageKind.SYMMETRIC_KEYS, new byte[] {4, 0}),
                        new DistributedPackage("keys-1", PackageKind.SYMMETRIC_KEYS, new byte[] {4, 0}));
                case FIRMWARE -> List.of(new DistributedPackage("other-firmware", PackageKind.FIRMWARE, ReturnMessages.firmwarePackage(
                                ReturnMessages.legacyFirmwareName("v0"), new byte[] {9}, VENDOR_KEY.getPrivate(), VENDOR)),
                        new DistributedPackage("fw-1", PackageKind.FIRMWARE, ReturnMessages.firmwarePackage(FIRMWARE_NAME,
                                new byte[] {1, 2, 3}, VENDOR_KEY.getPrivate(), VENDOR)),
                        new DistributedPackage("not-cms", PackageKind.FIRMWARE, new byte[] {1, 2, 3}));
                case TAMP -> List.of(tamp("query-7", ReturnMessages.TAMP_STATUS_QUERY, QUERY_REF),
                        tamp("update-8", ReturnMessages.TAMP_UPDATE, UPDATE_REF),
                        tamp("community-9", ReturnMessages.TAMP_COMMUNITY_UPDATE, COMMUNITY_REF),
                        tamp("adjust-10", ReturnMessages.TAMP_SEQ_NUM_ADJUST, ADJUST_REF));
                case EE_CERTIFICATES -> List.of();
            };
        }

        private static DistributedPackage tamp(String id, String type, ASN1Sequence ref) {
            return new DistributedPackage(id, PackageKind.TAMP,
                    ReturnMessages.tampMessage(type, ref, OTHER_KEY.getPublic(), VENDOR_KEY.getPrivate(), VENDOR));
        }

        @Override
        public boolean exists(Optional<String> label, PackageKind kind, String packageId) {
            return kind == PackageKind.SYMMETRIC_KEYS && packageId.equals("keys-of-device-2");
        }

        @Override
        public void recordReturn(PackageReturn returned) {
            recorded.add(returned);
        }
    }

    private final InMemoryPackages packages = new InMemoryPackages();
    private final PackageReturns returns = new PackageReturns(packages, CONFIG, EstAuthenticator.CertificateStatusSource.NONE);

    private static HttpRequestInfo tls(String contentType, byte[] body, X509Certificate... chain) {
        return new HttpRequestInfo(contentType, body.length, null, List.of(chain), "192.0.2.7");
    }

    private EstReply post(Optional<PackageKind> kind, HttpRequestInfo http, byte[] body) {
        try {
            return returns.accept(Optional.empty(), http, new ByteArrayInputStream(body), kind);
        } catch (Throwable t) {
            return ErrorReplies.of(t);
        }
    }

    /** Posted as a device does: application/cms, binary DER, over TLS with device-1's certificate. */
    private EstReply post(PackageKind kind, byte[] der) {
        return post(Optional.of(kind), tls("application/cms", der, CLIENT, CA.certificate()), der);
    }

    private static String text(EstReply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    private PackageReturn onlyRecorded() {
        assertEquals(1, packages.recorded.size(), "recorded returns");
        return packages.recorded.get(0);
    }

    private void assertRecorded(EstReply reply, Optional<PackageKind> kind, String id, Outcome outcome, String detail, byte[] der) {
        assertEquals(204, reply.status(), () -> text(reply));
        assertEquals(0, reply.body().length);
        PackageReturn recorded = onlyRecorded();
        assertEquals(kind, recorded.kind());
        assertEquals(id, recorded.packageId());
        assertEquals(outcome, recorded.outcome());
        assertEquals(detail, recorded.detail());
        assertArrayEquals(der, recorded.message());
        assertEquals(Optional.of(CLIENT), recorded.client().certificate());
        assertEquals(Optional.empty(), recorded.label());
    }

    private void assertRefused(EstReply reply, int status, String reasonPart) {
        assertEquals(status, reply.status(), () -> text(reply));
        assertTrue(text(reply).contains(reasonPart), () -> "reason: " + text(reply));
        assertTrue(packages.recorded.isEmpty(), "nothing recorded");
    }

    // ---- accepted ----

    @Test
    void keyPackageReceiptIsRecordedAgainstTheKeyPackage() {
        byte[] der = ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId("keys-1"), CLIENT_KEY.getPrivate(), CLIENT);
        EstReply reply = post(PackageKind.SYMMETRIC_KEYS, der);
        assertRecorded(reply, Optional.of(PackageKind.SYMMETRIC_KEYS), "keys-1", Outcome.ACCEPTED, "KeyPackageReceipt", der);
        assertEquals(PackageKind.SYMMETRIC_KEYS, packages.asked.get(0).kind());
        assertEquals(Optional.of(CLIENT), packages.asked.get(0).client().certificate());
    }

    @Test
    void base64BodiesAreAcceptedLikeEstRequests() {
        byte[] der = ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId("keys-1"), CLIENT_KEY.getPrivate(), CLIENT);
        byte[] base64 = Base64.getMimeEncoder().encode(der);
        EstReply reply = post(Optional.of(PackageKind.SYMMETRIC_KEYS), tls("application/cms; smime-type=whatever", base64, CLIENT), base64);
        assertRecorded(reply, Optional.of(PackageKind.SYMMETRIC_KEYS), "keys-1", Outcome.ACCEPTED, "KeyPackageReceipt", der);
    }

    @Test
    void keyPackageErrorIsRecordedAsFailedWithItsCode() {
        byte[] der = ReturnMessages.keyPackageError(ReturnMessages.pkgId("keys-0"), 61, CLIENT_KEY.getPrivate(), CLIENT);
        assertRecorded(post(PackageKind.SYMMETRIC_KEYS, der), Optional.of(PackageKind.SYMMETRIC_KEYS), "keys-0", Outcome.FAILED,
                "KeyPackageError noDecryptKey (61)", der);
    }

    @Test
    void keyPackageErrorWithAnOidCode() {
        byte[] der = ReturnMessages.signed(ReturnMessages.KEY_PACKAGE_ERROR, ReturnMessages.keyPackageErrorContent(
                ReturnMessages.pkgId("keys-1"), new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.66"), CLIENT), CLIENT_KEY.getPrivate(), CLIENT);
        assertRecorded(post(PackageKind.SYMMETRIC_KEYS, der), Optional.of(PackageKind.SYMMETRIC_KEYS), "keys-1", Outcome.FAILED,
                "KeyPackageError 1.3.6.1.4.1.99999.66", der);
    }

    @Test
    void firmwareLoadReceiptIsMatchedByTheFirmwarePackageId() {
        byte[] der = ReturnMessages.firmwareLoadReceipt(FIRMWARE_NAME, CLIENT_KEY.getPrivate(), CLIENT);
        assertRecorded(post(PackageKind.FIRMWARE, der), Optional.of(PackageKind.FIRMWARE), "fw-1", Outcome.ACCEPTED,
                "FirmwarePackageLoadReceipt", der);
    }

    @Test
    void firmwareLoadErrorWithALegacyName() {
        byte[] der = ReturnMessages.firmwareLoadError(ReturnMessages.legacyFirmwareName("v0"), 34, CLIENT_KEY.getPrivate(), CLIENT);
        assertRecorded(post(PackageKind.FIRMWARE, der), Optional.of(PackageKind.FIRMWARE), "other-firmware", Outcome.FAILED,
                "FirmwarePackageLoadError badFirmware (34), vendor error code 7", der);
    }

    @Test
    void tampStatusResponseAnswersTheStatusQuery() {
        byte[] der = ReturnMessages.tampStatusResponse(QUERY_REF, CLIENT_KEY.getPrivate(), CLIENT);
        assertRecorded(post(PackageKind.TAMP, der), Optional.of(PackageKind.TAMP), "query-7", Outcome.ACCEPTED, "TAMPStatusResponse", der);
    }

    @Test
    void tampUpdateConfirmWithSuccess() {
        byte[] der = ReturnMessages.tampUpdateConfirm(UPDATE_REF, List.of(0), CLIENT_KEY.getPrivate(), CLIENT);
        assertRecorded(post(PackageKind.TAMP, der), Optional.of(PackageKind.TAMP), "update-8", Outcome.ACCEPTED, "TAMPUpdateConfirm", der);
    }

    @Test
    void tampUpdateConfirmWithAFailedUpdateIsAFailure() {
        byte[] der = ReturnMessages.tampUpdateConfirm(UPDATE_REF, List.of(0, 20), CLIENT_KEY.getPrivate(), CLIENT);
        assertRecorded(post(PackageKind.TAMP, der), Optional.of(PackageKind.TAMP), "update-8", Outcome.FAILED,
                "TAMPUpdateConfirm status success (0), improperTAAddition (20)", der);
    }

    @Test
    void tampCommunityUpdateConfirm() {
        byte[] der = ReturnMessages.tampCommunityUpdateConfirm(COMMUNITY_REF, 0, CLIENT_KEY.getPrivate(), CLIENT);
        assertRecorded(post(PackageKind.TAMP, der), Optional.of(PackageKind.TAMP), "community-9", Outcome.ACCEPTED,
                "TAMPCommunityUpdateConfirm", der);
    }

    @Test
    void sequenceNumberAdjustConfirm() {
        byte[] der = ReturnMessages.seqNumberAdjustConfirm(ADJUST_REF, 0, CLIENT_KEY.getPrivate(), CLIENT);
        assertRecorded(post(PackageKind.TAMP, der), Optional.of(PackageKind.TAMP), "adjust-10", Outcome.ACCEPTED,
                "SequenceNumberAdjustConfirm", der);
    }

    @Test
    void tampErrorIsRecordedAsFailed() {
        byte[] der = ReturnMessages.tampError(ReturnMessages.TAMP_UPDATE, 21, UPDATE_REF, CLIENT_KEY.getPrivate(), CLIENT);
        assertRecorded(post(PackageKind.TAMP, der), Optional.of(PackageKind.TAMP), "update-8", Outcome.FAILED,
                "TAMPError seqNumFailure (21) for TAMPUpdate", der);
    }

    @Test
    void serverKeyGenReceiptIsRecordedUnderTheSerialNumber() {
        BigInteger serial = new BigInteger("00f3a1b2c3d4e5", 16);
        byte[] der = ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId(serial), CLIENT_KEY.getPrivate(), CLIENT);
        EstReply reply = post(Optional.empty(), tls("application/cms", der, CLIENT), der);
        assertRecorded(reply, Optional.empty(), "f3a1b2c3d4e5", Outcome.ACCEPTED, "KeyPackageReceipt", der);
        assertTrue(packages.asked.isEmpty(), "no package lookup for a server-generated key");
    }

    @Test
    void serverKeyGenErrorIsRecordedAsFailed() {
        byte[] der = ReturnMessages.keyPackageError(ReturnMessages.pkgId(BigInteger.valueOf(4711)), 5, CLIENT_KEY.getPrivate(), CLIENT);
        EstReply reply = post(Optional.empty(), tls("application/cms", der, CLIENT), der);
        assertRecorded(reply, Optional.empty(), "1267", Outcome.FAILED, "KeyPackageError badCertificate (5)", der);
    }

    @Test
    void labelIsPassedOn() throws Exception {
        byte[] der = ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId("keys-1"), CLIENT_KEY.getPrivate(), CLIENT);
        EstReply reply = returns.accept(Optional.of("iot"), tls("application/cms", der, CLIENT), new ByteArrayInputStream(der),
                Optional.of(PackageKind.SYMMETRIC_KEYS));
        assertEquals(204, reply.status());
        assertEquals(Optional.of("iot"), onlyRecorded().label());
        assertEquals(Optional.of("iot"), packages.asked.get(0).label());
    }

    // ---- refused ----

    @Test
    void aMessageTypeThatDoesNotBelongOnThePathIs400() {
        byte[] receipt = ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId("keys-1"), CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(PackageKind.FIRMWARE, receipt), 400,
                "/firmware/return must be a FirmwarePackageLoadReceipt or FirmwarePackageLoadError, but its eContentType is KeyPackageReceipt");
        byte[] firmware = ReturnMessages.firmwareLoadReceipt(FIRMWARE_NAME, CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(PackageKind.TAMP, firmware), 400, "eContentType is FirmwarePackageLoadReceipt");
        assertRefused(post(Optional.empty(), tls("application/cms", firmware, CLIENT), firmware), 400,
                "/serverkeygen/return must be a KeyPackageReceipt or KeyPackageError");
        byte[] data = ReturnMessages.signed("1.2.840.113549.1.7.1", new byte[] {4, 1, 0}, CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(PackageKind.SYMMETRIC_KEYS, data), 400, "eContentType is 1.2.840.113549.1.7.1");
    }

    @Test
    void anUnsignedMessageIs400() {
        byte[] der = ReturnMessages.unsigned(ReturnMessages.KEY_PACKAGE_RECEIPT,
                ReturnMessages.keyPackageReceiptContent(ReturnMessages.pkgId("keys-1"), CLIENT));
        assertRefused(post(PackageKind.SYMMETRIC_KEYS, der), 400, "a receipt must be a signed CMS message: the SignedData has no SignerInfo");
    }

    @Test
    void aBareContentInfoThatIsNotSignedDataIs400() throws Exception {
        byte[] der = new org.bouncycastle.asn1.cms.ContentInfo(org.bouncycastle.asn1.cms.CMSObjectIdentifiers.data,
                new org.bouncycastle.asn1.DEROctetString(new byte[] {1})).getEncoded("DER");
        assertRefused(post(PackageKind.SYMMETRIC_KEYS, der), 400, "a receipt must be a signed CMS message");
    }

    @Test
    void aMessageSignedByAnotherKeyIs403() {
        byte[] der = ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId("keys-1"), OTHER_KEY.getPrivate(), OTHER);
        assertRefused(post(PackageKind.SYMMETRIC_KEYS, der), 403, "signed by a certificate other than the client's TLS certificate");
    }

    @Test
    void aTamperedMessageIs400() {
        byte[] der = ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId("keys-1"), CLIENT_KEY.getPrivate(), CLIENT);
        int at = indexOf(der, "keys-1".getBytes(StandardCharsets.US_ASCII));
        der[at + 5] = '0'; // now names keys-0, which device-1 was also given
        assertRefused(post(PackageKind.SYMMETRIC_KEYS, der), 400, "the receipt's signature does not verify: the message was altered");
    }

    @Test
    void aReferenceTheClientWasNotGivenIs404() {
        byte[] keys = ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId("keys-9"), CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(PackageKind.SYMMETRIC_KEYS, keys), 404,
                "no symmetrickeys package distributed to this client matches this KeyPackageReceipt (pkgID 'keys-9')");
        byte[] firmware = ReturnMessages.firmwareLoadReceipt(ReturnMessages.preferredFirmwareName("1.3.6.1.4.1.99999.5", 43),
                CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(PackageKind.FIRMWARE, firmware), 404,
                "no firmware package distributed to this client matches this FirmwarePackageLoadReceipt (firmware package 1.3.6.1.4.1.99999.5 version 43)");
        byte[] tamp = ReturnMessages.tampStatusResponse(ReturnMessages.tampMsgRef("urn:device-1", 8), CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(PackageKind.TAMP, tamp), 404, "no tamp package distributed to this client matches this TAMPStatusResponse");
        byte[] otherTarget = ReturnMessages.tampStatusResponse(ReturnMessages.tampMsgRef("urn:device-2", 7), CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(PackageKind.TAMP, otherTarget), 404, "TAMPStatusQuery seqNum 7");
    }

    @Test
    void aConfirmMustAnswerTheKindOfMessageItNames() {
        // seqNum 7 and its target are the status query's: an update confirm cannot acknowledge it
        byte[] der = ReturnMessages.tampUpdateConfirm(QUERY_REF, List.of(0), CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(PackageKind.TAMP, der), 404, "(TAMPUpdate seqNum 7)");
    }

    @Test
    void anotherClientsKeyPackageIs403() {
        byte[] der = ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId("keys-of-device-2"), CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(PackageKind.SYMMETRIC_KEYS, der), 403,
                "names symmetrickeys package 'keys-of-device-2', which was not distributed to this client (or was already acknowledged by it)");
    }

    @Test
    void aClientWithoutATlsCertificateIs403() {
        byte[] der = ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId("keys-1"), CLIENT_KEY.getPrivate(), CLIENT);
        String basic = "Basic " + Base64.getEncoder().encodeToString(("est:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequestInfo http = new HttpRequestInfo("application/cms", der.length, basic, List.of(), "192.0.2.7");
        assertRefused(post(Optional.of(PackageKind.SYMMETRIC_KEYS), http, der), 403,
                "a receipt can only be accepted from a client authenticated with its TLS certificate");
    }

    @Test
    void anAnonymousClientIs401() {
        byte[] der = ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId("keys-1"), CLIENT_KEY.getPrivate(), CLIENT);
        EstReply reply = post(Optional.of(PackageKind.SYMMETRIC_KEYS), tls("application/cms", der), der);
        assertEquals(401, reply.status());
        assertTrue(packages.recorded.isEmpty());
    }

    @Test
    void aCertificateFromAnotherCaIsNotAuthentication() {
        KeyPair key = TestPki.ecKey();
        X509Certificate selfSigned = TestPki.selfSigned("CN=device-1", key);
        byte[] der = ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId("keys-1"), key.getPrivate(), selfSigned);
        assertEquals(401, post(Optional.of(PackageKind.SYMMETRIC_KEYS), tls("application/cms", der, selfSigned), der).status());
        assertTrue(packages.recorded.isEmpty());
    }

    @Test
    void aWrongMediaTypeIs415() {
        byte[] der = ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId("keys-1"), CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(Optional.of(PackageKind.SYMMETRIC_KEYS), tls("application/pkcs7-mime", der, CLIENT), der), 415,
                "a receipt must be sent with Content-Type application/cms (received 'application/pkcs7-mime')");
        assertRefused(post(Optional.of(PackageKind.SYMMETRIC_KEYS), tls(null, der, CLIENT), der), 415, "(received none)");
    }

    @Test
    void anOversizedBodyIs413() {
        byte[] big = new byte[MAX + 1];
        assertRefused(post(Optional.of(PackageKind.FIRMWARE), tls("application/cms", big, CLIENT), big), 413, "larger than the limit");
        // chunked: no declared length, counted while read
        HttpRequestInfo chunked = new HttpRequestInfo("application/cms", -1, null, List.of(CLIENT), "192.0.2.7");
        assertRefused(post(Optional.of(PackageKind.FIRMWARE), chunked, big), 413, "larger than the limit of " + MAX + " bytes");
    }

    @Test
    void garbageIs400() {
        byte[] text = "hello, this is not CMS".getBytes(StandardCharsets.US_ASCII);
        assertRefused(post(PackageKind.TAMP, text), 400, "not valid base64");
        byte[] base64Junk = Base64.getEncoder().encode(new byte[] {0x30, 0x03, 0x02, 0x01, 0x05});
        assertRefused(post(PackageKind.TAMP, base64Junk), 400, "a receipt must be a signed CMS message");
        byte[] derJunk = new byte[300];
        derJunk[0] = 0x30;
        derJunk[1] = (byte) 0x82;
        derJunk[2] = 0x01;
        derJunk[3] = 0x28;
        assertRefused(post(PackageKind.TAMP, derJunk), 400, "a receipt must be a signed CMS message");
        assertRefused(post(PackageKind.TAMP, new byte[0]), 400, "the request body is empty");
    }

    @Test
    void aMalformedReceiptSaysWhatWasExpected() {
        byte[] noReceivedBy = ReturnMessages.signed(ReturnMessages.KEY_PACKAGE_RECEIPT, der(new org.bouncycastle.asn1.DERSequence(
                new org.bouncycastle.asn1.DEROctetString(ReturnMessages.pkgId("keys-1")))), CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(PackageKind.SYMMETRIC_KEYS, noReceivedBy), 400,
                "the KeyPackageReceipt is malformed: expected receivedBy (a SIREntityName SEQUENCE), the SEQUENCE ended");
        byte[] notAsn1 = ReturnMessages.signed(ReturnMessages.FIRMWARE_LOAD_RECEIPT, new byte[] {1, 2, 3}, CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(PackageKind.FIRMWARE, notAsn1), 400, "the FirmwarePackageLoadReceipt is malformed: expected FirmwarePackageLoadReceipt");
        byte[] badTarget = ReturnMessages.tampStatusResponse(new org.bouncycastle.asn1.DERSequence(new ASN1Encodable[] {
                new org.bouncycastle.asn1.DERTaggedObject(false, 9, org.bouncycastle.asn1.DERNull.INSTANCE),
                new org.bouncycastle.asn1.ASN1Integer(7)}), CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(PackageKind.TAMP, badTarget), 400, "the TAMPStatusResponse is malformed: expected a TargetIdentifier tagged [1] to [5]");
    }

    @Test
    void anErrorThatNamesNoPackageIs400() {
        byte[] keyError = ReturnMessages.keyPackageError(null, 1, CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(PackageKind.SYMMETRIC_KEYS, keyError), 400, "(errorOf is absent)");
        byte[] firmwareError = ReturnMessages.firmwareLoadError(null, 27, CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(PackageKind.FIRMWARE, firmwareError), 400,
                "the FirmwarePackageLoadError (FirmwarePackageLoadError wrongHardware (27), vendor error code 7) does not say which firmware package");
        byte[] tampError = ReturnMessages.tampError(ReturnMessages.TAMP_UPDATE, 1, null, CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(PackageKind.TAMP, tampError), 400, "(msgRef is absent)");
    }

    @Test
    void serverKeyGenReceiptsNeedAPackageService() {
        PackageReturns none = new PackageReturns(PackageDistribution.NONE, CONFIG, EstAuthenticator.CertificateStatusSource.NONE);
        byte[] der = ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId(BigInteger.TEN), CLIENT_KEY.getPrivate(), CLIENT);
        EstReply reply;
        try {
            reply = none.accept(Optional.empty(), tls("application/cms", der, CLIENT), new ByteArrayInputStream(der), Optional.empty());
        } catch (Throwable t) {
            reply = ErrorReplies.of(t);
        }
        assertEquals(501, reply.status());
    }

    @Test
    void aSignerTheSignedDataDoesNotIncludeMustBeTheClient() throws Exception {
        // RFC 5652 makes the certificates optional: the client's own TLS certificate stands in for a missing one
        byte[] withoutCertificate = withoutCertificates(
                ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId("keys-1"), CLIENT_KEY.getPrivate(), CLIENT));
        assertRecorded(post(PackageKind.SYMMETRIC_KEYS, withoutCertificate), Optional.of(PackageKind.SYMMETRIC_KEYS), "keys-1",
                Outcome.ACCEPTED, "KeyPackageReceipt", withoutCertificate);
        packages.recorded.clear();
        byte[] otherWithoutCertificate = withoutCertificates(
                ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId("keys-1"), OTHER_KEY.getPrivate(), OTHER));
        assertRefused(post(PackageKind.SYMMETRIC_KEYS, otherWithoutCertificate), 403,
                "names neither a certificate in the SignedData nor the client's TLS certificate");
    }

    @Test
    void aServerKeyGenPkgIdMustBeASerialNumber() {
        byte[] der = ReturnMessages.keyPackageReceipt(new byte[21], CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(Optional.empty(), tls("application/cms", der, CLIENT), der), 400, "(1 to 20 octets); it has 21");
        byte[] empty = ReturnMessages.keyPackageReceipt(new byte[0], CLIENT_KEY.getPrivate(), CLIENT);
        assertRefused(post(Optional.empty(), tls("application/cms", empty, CLIENT), empty), 400, "it has 0");
    }

    @Test
    void signaturesAreWhatOpensslVerifies() throws Exception {
        // openssl, not BouncyCastle, says which of the messages est4j accepted or refused are intact
        byte[] good = ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId("keys-1"), CLIENT_KEY.getPrivate(), CLIENT);
        byte[] tampered = good.clone();
        tampered[indexOf(tampered, "keys-1".getBytes(StandardCharsets.US_ASCII)) + 5] = '0';
        assertEquals(0, opensslVerify(good));
        assertTrue(opensslVerify(tampered) != 0, "openssl accepted the tampered receipt");
        assertEquals(204, post(PackageKind.SYMMETRIC_KEYS, good).status());
        assertEquals(400, post(PackageKind.SYMMETRIC_KEYS, tampered).status());
    }

    private static int opensslVerify(byte[] der) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("receipt", ".der");
        try {
            java.nio.file.Files.write(file, der);
            Process p = new ProcessBuilder("openssl", "cms", "-verify", "-noverify", "-binary", "-inform", "DER", "-in", file.toString(),
                    "-out", "/dev/null").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    private static byte[] withoutCertificates(byte[] signed) throws Exception {
        org.bouncycastle.cms.CMSSignedData data = new org.bouncycastle.cms.CMSSignedData(signed);
        return org.bouncycastle.cms.CMSSignedData.replaceCertificatesAndCRLs(data, new org.bouncycastle.util.CollectionStore<>(List.of()),
                null, null).getEncoded("DER");
    }

    // ---- the builders against the RFC modules ----

    @Test
    void messagesAreWhatTheRfcsSay() throws Exception {
        byte[][] messages = {
                ReturnMessages.keyPackageReceipt(ReturnMessages.pkgId("keys-1"), CLIENT_KEY.getPrivate(), CLIENT),
                ReturnMessages.keyPackageError(ReturnMessages.pkgId("keys-0"), 61, CLIENT_KEY.getPrivate(), CLIENT),
                ReturnMessages.firmwareLoadReceipt(FIRMWARE_NAME, CLIENT_KEY.getPrivate(), CLIENT),
                ReturnMessages.firmwareLoadError(ReturnMessages.legacyFirmwareName("v0"), 34, CLIENT_KEY.getPrivate(), CLIENT),
                ReturnMessages.tampStatusResponse(QUERY_REF, CLIENT_KEY.getPrivate(), CLIENT),
                ReturnMessages.tampUpdateConfirm(UPDATE_REF, List.of(0, 20), CLIENT_KEY.getPrivate(), CLIENT),
                ReturnMessages.tampCommunityUpdateConfirm(COMMUNITY_REF, 0, CLIENT_KEY.getPrivate(), CLIENT),
                ReturnMessages.seqNumberAdjustConfirm(ADJUST_REF, 0, CLIENT_KEY.getPrivate(), CLIENT),
                ReturnMessages.tampError(ReturnMessages.TAMP_UPDATE, 21, UPDATE_REF, CLIENT_KEY.getPrivate(), CLIENT),
                ReturnMessages.firmwarePackage(FIRMWARE_NAME, new byte[] {1, 2, 3}, VENDOR_KEY.getPrivate(), VENDOR),
                ReturnMessages.tampMessage(ReturnMessages.TAMP_UPDATE, UPDATE_REF, OTHER_KEY.getPublic(), VENDOR_KEY.getPrivate(), VENDOR),
                ReturnMessages.tampMessage(ReturnMessages.TAMP_COMMUNITY_UPDATE, COMMUNITY_REF, OTHER_KEY.getPublic(), VENDOR_KEY.getPrivate(), VENDOR),
        };
        List<Map<String, String>> d = Pyasn1Receipts.decode(messages);
        String keys1 = "6b6579732d31"; // "keys-1"

        assertEquals(ReturnMessages.KEY_PACKAGE_RECEIPT, d.get(0).get("type"));
        assertEquals(keys1, d.get(0).get("receiptOf.pkgID"));
        assertEquals("v2", d.get(0).get("version"));
        assertEquals("2.16.840.1.101.2.1.16.0", d.get(0).get("receivedBy.sirenType"));

        assertEquals(ReturnMessages.KEY_PACKAGE_ERROR, d.get(1).get("type"));
        assertEquals("6b6579732d30", d.get(1).get("errorOf.pkgID"));
        assertEquals("noDecryptKey", d.get(1).get("errorCode.enum"));

        assertEquals(ReturnMessages.FIRMWARE_LOAD_RECEIPT, d.get(2).get("type"));
        assertEquals("1.3.6.1.4.1.99999.5", d.get(2).get("fwPkgName.preferred.fwPkgID"));
        assertEquals("42", d.get(2).get("fwPkgName.preferred.verNum"));
        assertEquals("v1", d.get(2).get("version"));

        assertEquals(ReturnMessages.FIRMWARE_LOAD_ERROR, d.get(3).get("type"));
        assertEquals("badFirmware", d.get(3).get("errorCode"));
        assertEquals("7", d.get(3).get("vendorErrorCode"));
        assertEquals("7630", d.get(3).get("fwPkgName.legacy"));

        assertEquals(ReturnMessages.TAMP_STATUS_RESPONSE, d.get(4).get("type"));
        assertEquals("7", d.get(4).get("query.seqNum"));
        assertEquals("urn:device-1", d.get(4).get("query.target.uri"));
        assertEquals("1", d.get(4).get("response.terseResponse.taKeyIds.size"));

        assertEquals(ReturnMessages.TAMP_UPDATE_CONFIRM, d.get(5).get("type"));
        assertEquals("8", d.get(5).get("update.seqNum"));
        assertEquals("success", d.get(5).get("confirm.terseConfirm.0"));
        assertEquals("improperTAAddition", d.get(5).get("confirm.terseConfirm.1"));

        assertEquals(ReturnMessages.TAMP_COMMUNITY_UPDATE_CONFIRM, d.get(6).get("type"));
        assertEquals("NULL", d.get(6).get("update.target.allModules"));
        assertEquals("success", d.get(6).get("commConfirm.terseCommConfirm"));

        assertEquals(ReturnMessages.TAMP_SEQ_NUM_ADJUST_CONFIRM, d.get(7).get("type"));
        assertEquals("10", d.get(7).get("adjust.seqNum"));
        assertEquals("success", d.get(7).get("status"));

        assertEquals(ReturnMessages.TAMP_ERROR, d.get(8).get("type"));
        assertEquals(ReturnMessages.TAMP_UPDATE, d.get(8).get("msgType"));
        assertEquals("seqNumFailure", d.get(8).get("status"));
        assertEquals("8", d.get(8).get("msgRef.seqNum"));

        assertEquals(ReturnMessages.FIRMWARE_PACKAGE, d.get(9).get("type"));
        assertEquals("1.3.6.1.4.1.99999.5", d.get(9).get("firmwarePackageID.name.preferred.fwPkgID"));
        // the receipt's fwPkgName and the package's firmwarePackageID name are the same DER, which est4j compares
        assertEquals(d.get(2).get("fwPkgName.der"), d.get(9).get("firmwarePackageID.name.der"));

        assertEquals(ReturnMessages.TAMP_UPDATE, d.get(10).get("type"));
        assertEquals(d.get(5).get("update.der"), d.get(10).get("msgRef.der"));
        assertEquals("1", d.get(10).get("updates.size"));
        assertEquals(ReturnMessages.TAMP_COMMUNITY_UPDATE, d.get(11).get("type"));
        assertEquals(d.get(6).get("update.der"), d.get(11).get("msgRef.der"));
    }

    private static byte[] der(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded("DER");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}

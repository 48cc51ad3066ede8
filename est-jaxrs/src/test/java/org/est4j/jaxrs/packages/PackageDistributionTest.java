package org.est4j.jaxrs.packages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.est4j.jaxrs.ErrorReplies;
import org.est4j.jaxrs.EstEndpointConfig;
import org.est4j.jaxrs.EstReply;
import org.est4j.jaxrs.HttpRequestInfo;
import org.est4j.jaxrs.TestPki;
import org.est4j.jaxrs.auth.ClientCertificateValidator;
import org.est4j.jaxrs.auth.HashedCredentialStore;
import org.est4j.jaxrs.auth.PasswordHashes;
import org.est4j.jaxrs.codec.ResponseSigner;
import org.est4j.jaxrs.keygen.KeyEncryptionKeys;
import org.est4j.jaxrs.policy.LabelPolicies;
import org.est4j.jaxrs.policy.LabelPolicy;
import org.est4j.spi.CaException;
import org.est4j.spi.DistributedPackage;
import org.est4j.spi.PackageKind;

/**
 * {@code /pal} and the package GETs as a client sees them: status, media type and a body that Python ({@code xml.etree},
 * {@code json}, {@code pyasn1-modules}) and {@code openssl} decode.
 */
class PackageDistributionTest {

    private static final String PASSWORD = "pw-for-packages";
    private static final String BASE = "https://est.example:8443/.well-known/est";
    private static final TestPki.Ca CA = PackageFixtures.CA;
    private static final TestPki.Ca SERVER = TestPki.ca("EST Server");
    private static final TestPki.Ca FIRMWARE_SIGNER = TestPki.ca("Firmware Signer");

    private static final KeyPair EC_KEY = TestPki.ecKey();
    private static final X509Certificate EC_CLIENT = PackageFixtures.client("CN=device-ec", EC_KEY, 200);
    private static final KeyPair RSA_KEY = PackageFixtures.rsaKey();
    private static final X509Certificate RSA_CLIENT = PackageFixtures.client("CN=device-rsa", RSA_KEY, 200);

    private static final String FIRMWARE_TYPE = "1.2.840.113549.1.9.16.1.16";
    /** Everything a file name or database key could hold that markup, JSON or a URL query must not take literally. */
    private static final String HOSTILE_ID = "fw <2>&\"'\\ é\u0001%2F?id=x#frag&id=y+z";

    private static final byte[] KEY_BYTES = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    private static final byte[] SYMMETRIC = PackageFixtures.symmetricKeyPackage(KEY_BYTES);
    private static final byte[] FIRMWARE_1 = PackageFixtures.signed(FIRMWARE_TYPE, "firmware one".getBytes(StandardCharsets.UTF_8), FIRMWARE_SIGNER);
    private static final byte[] FIRMWARE_2 = PackageFixtures.signed(FIRMWARE_TYPE, "firmware two".getBytes(StandardCharsets.UTF_8), FIRMWARE_SIGNER);
    private static final byte[] TAMP_QUERY = PackageFixtures.signed("2.16.840.1.101.2.1.2.77.1", new byte[] {0x30, 0x00}, SERVER);
    private static final byte[] TAMP_UPDATE = PackageFixtures.signed("2.16.840.1.101.2.1.2.77.3", new byte[] {0x30, 0x00}, SERVER);
    private static final byte[] TAMP_COMMUNITY = PackageFixtures.signed("2.16.840.1.101.2.1.2.77.7", new byte[] {0x30, 0x00}, SERVER);
    private static final byte[] TAMP_ADJUST = PackageFixtures.signed("2.16.840.1.101.2.1.2.77.10", new byte[] {0x30, 0x00}, SERVER);

    private final PackageFixtures.Ca ca = new PackageFixtures.Ca();
    private final PackageFixtures.Packages packages = fullPackages();
    private PackageDistribution distribution = new PackageDistribution(ca, packages, config(true));

    @TempDir
    Path dir;

    private static EstEndpointConfig config(boolean signer) {
        return new EstEndpointConfig(4096, "est4j", new ClientCertificateValidator(List.of(CA.certificate())),
                new HashedCredentialStore(Map.of("est", PasswordHashes.hash(PASSWORD.toCharArray()))),
                new LabelPolicies(LabelPolicy.DEFAULTS, Map.of("short", LabelPolicy.DEFAULTS.withReenrollNoticeDays(5))),
                KeyEncryptionKeys.NONE,
                signer ? Optional.of(new ResponseSigner(SERVER.key().getPrivate(), List.of(SERVER.certificate()))) : Optional.empty());
    }

    private static PackageFixtures.Packages fullPackages() {
        PackageFixtures.Packages p = new PackageFixtures.Packages();
        p.labelWide.add(cert("CN=peer-for-all"));
        p.add(cert("CN=peer-of-mine"));
        p.add(new DistributedPackage("keys-1", PackageKind.SYMMETRIC_KEYS, SYMMETRIC));
        p.add(new DistributedPackage("fw-1.bin", PackageKind.FIRMWARE, FIRMWARE_1));
        p.add(new DistributedPackage(HOSTILE_ID, PackageKind.FIRMWARE, FIRMWARE_2));
        p.add(new DistributedPackage("tamp-query", PackageKind.TAMP, TAMP_QUERY));
        p.add(new DistributedPackage("not-tamp", PackageKind.TAMP, new byte[] {0x04, 0x01, 0x00}));
        p.add(new DistributedPackage("tamp-update", PackageKind.TAMP, TAMP_UPDATE));
        p.add(new DistributedPackage("tamp-community", PackageKind.TAMP, TAMP_COMMUNITY));
        p.add(new DistributedPackage("tamp-adjust", PackageKind.TAMP, TAMP_ADJUST));
        return p;
    }

    private static DistributedPackage cert(String subject) {
        try {
            return new DistributedPackage(subject, PackageKind.EE_CERTIFICATES, CA.issue(subject, TestPki.ecKey().getPublic(), null).getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- requests ----

    private static HttpRequestInfo tls(String target, String accept, X509Certificate client) {
        return HttpRequestInfo.get(target, accept, null, List.of(client), "192.0.2.10", BASE);
    }

    private static HttpRequestInfo password(String target, String accept) {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("est:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return HttpRequestInfo.get(target, accept, basic, List.of(), "192.0.2.11", BASE);
    }

    private static HttpRequestInfo anonymous(String target) {
        return HttpRequestInfo.get(target, null, null, List.of(), "192.0.2.12", BASE);
    }

    private EstReply error(Call call) {
        try {
            EstReply reply = call.run();
            throw new AssertionError("expected an error, got " + reply.status());
        } catch (CaException | RuntimeException e) {
            return ErrorReplies.of(e);
        }
    }

    @FunctionalInterface
    interface Call {
        EstReply run() throws CaException;
    }

    private static String body(EstReply reply) {
        return new String(reply.body(), StandardCharsets.UTF_8);
    }

    private static byte[] der(EstReply reply) {
        assertEquals("base64", reply.headers().get("Content-Transfer-Encoding"));
        return Base64.getMimeDecoder().decode(reply.body());
    }

    private static String rfc4514(X500Principal p) {
        return p.getName(X500Principal.RFC2253);
    }

    private static List<String> types(List<PalParser.Message> messages) {
        return messages.stream().map(PalParser.Message::type).toList();
    }

    // ---- /pal ----

    @Test
    void palOfACertificateClientListsEverythingInOrderWithAbsoluteUrls() throws Exception {
        EstReply reply = distribution.pal(Optional.empty(), tls("/.well-known/est/pal", null, EC_CLIENT));
        assertEquals(200, reply.status());
        assertEquals("application/xml", reply.headers().get("Content-Type"));
        assertEquals("Accept", reply.headers().get("Vary"));
        assertEquals(Integer.toString(reply.body().length), reply.headers().get("Content-Length"));
        List<PalParser.Message> pal = PalParser.xml(reply.body());
        // no 0007/0010: the client has a certificate that is far from its end; "not-tamp" cannot be described
        assertEquals(List.of("0002", "0003", "0004", "0005", "0024", "0025", "0026", "0027", "0026", "0027",
                "0028", "0029", "0030", "0031", "0032", "0033", "0034", "0035"), types(pal));
        String caDn = rfc4514(CA.certificate().getSubjectX500Principal());
        assertTrue(caDn.contains("\\<&\\>") && caDn.contains("\\\"CA\\\"") && caDn.contains("\u2028"), caDn); // the test's premise

        PalParser.Message cacerts = pal.get(0);
        assertEquals(BASE + "/cacerts", cacerts.uri());
        assertEquals("dn", cacerts.infoKind());
        assertEquals(caDn, cacerts.info());
        assertEquals(der(estCaCerts()).length, cacerts.size());
        assertNull(cacerts.date());

        assertEquals(BASE + "/eecerts", pal.get(1).uri());
        assertEquals(caDn, pal.get(1).info());
        assertEquals(BASE + "/crls", pal.get(2).uri());
        assertEquals(caDn, pal.get(2).info());
        assertEquals(ca.crls.get(0).getEncoded().length, pal.get(2).size());
        assertEquals(BASE + "/crls", pal.get(3).uri());

        assertEquals(BASE + "/symmetrickeys?id=keys-1", pal.get(4).uri());
        assertEquals(rfc4514(SERVER.certificate().getSubjectX500Principal()), pal.get(4).info());
        assertEquals(SYMMETRIC.length, pal.get(4).size());
        assertEquals(BASE + "/symmetrickeys/return", pal.get(5).uri());
        assertEquals(0, pal.get(5).size());

        PalParser.Message firmware = pal.get(6);
        assertEquals(BASE + "/firmware?id=fw-1.bin", firmware.uri());
        assertEquals(FIRMWARE_1.length, firmware.size());
        assertEquals("iasn", firmware.infoKind());
        assertEquals(rfc4514(FIRMWARE_SIGNER.certificate().getIssuerX500Principal()), firmware.info());
        assertEquals(FIRMWARE_SIGNER.certificate().getSerialNumber().toString(), firmware.info2());
        assertEquals(BASE + "/firmware/return", pal.get(7).uri());
        assertTrue(pal.get(8).uri().startsWith(BASE + "/firmware?id="), pal.get(8).uri());

        assertEquals(BASE + "/tamp?id=tamp-query", pal.get(10).uri());
        assertEquals(TAMP_QUERY.length, pal.get(10).size());
        assertEquals(BASE + "/tamp/return", pal.get(11).uri());
        assertEquals(BASE + "/tamp?id=tamp-update", pal.get(12).uri());
        assertEquals(BASE + "/tamp?id=tamp-community", pal.get(14).uri());
        assertEquals(BASE + "/tamp?id=tamp-adjust", pal.get(16).uri());
        assertEquals(BASE + "/tamp/return", pal.get(17).uri());
    }

    private EstReply estCaCerts() {
        return EstReply.base64(200, "x", org.est4j.jaxrs.codec.CertsOnlyEncoder.encode(List.of(CA.certificate())));
    }

    @Test
    void jsonMirrorsTheXml() throws CaException {
        EstReply xml = distribution.pal(Optional.empty(), tls("/.well-known/est/pal", null, EC_CLIENT));
        EstReply json = distribution.pal(Optional.empty(), tls("/.well-known/est/pal", "application/json", EC_CLIENT));
        assertEquals("application/json", json.headers().get("Content-Type"));
        assertEquals(PalParser.xml(xml.body()), PalParser.json(json.body()));
    }

    @Test
    void hostilePackageIdsTravelUrlEncodedAndFetchTheirPackage() throws CaException {
        for (String accept : List.of("application/xml", "application/json")) {
            EstReply reply = distribution.pal(Optional.empty(), tls("/.well-known/est/pal", accept, EC_CLIENT));
            List<PalParser.Message> pal = accept.endsWith("xml") ? PalParser.xml(reply.body()) : PalParser.json(reply.body());
            String uri = pal.get(8).uri();
            // Python's URL parser finds exactly one id, the package's
            String parsed = External.python("""
                    import sys, urllib.parse
                    qs = urllib.parse.parse_qs(urllib.parse.urlsplit(sys.argv[1] if len(sys.argv) > 1 else sys.stdin.read()).query,
                                               keep_blank_values=True, strict_parsing=True)
                    assert list(qs) == ['id'] and len(qs['id']) == 1, qs
                    print(' '.join(str(ord(c)) for c in qs['id'][0]))
                    """, uri.getBytes(StandardCharsets.UTF_8)).strip();
            assertEquals(HOSTILE_ID.chars().mapToObj(Integer::toString).collect(Collectors.joining(" ")), parsed);
            assertFalse(uri.contains(" ") || uri.contains("<") || uri.contains("\"") || uri.contains("#"), uri);
            // and the URL fetches that package
            String target = "/.well-known/est/firmware" + uri.substring(uri.indexOf('?'));
            assertArrayEquals(FIRMWARE_2, der(distribution.packages(Optional.empty(), tls(target, null, EC_CLIENT), PackageKind.FIRMWARE)));
        }
    }

    @Test
    void palOfAPasswordClientSaysEnrollAndOffersNoSymmetricKeys() throws CaException {
        List<PalParser.Message> pal = PalParser.xml(distribution.pal(Optional.empty(), password("/.well-known/est/pal", null)).body());
        assertEquals(List.of("0002", "0003", "0004", "0005", "0007", "0026", "0027", "0026", "0027",
                "0028", "0029", "0030", "0031", "0032", "0033", "0034", "0035"), types(pal));
        PalParser.Message enroll = pal.get(4);
        assertEquals(BASE + "/simpleenroll", enroll.uri());
        assertEquals(0, enroll.size());
    }

    @Test
    void palOnALabelWithCsrAttributesSaysEnrollWithThemAndKeepsTheLabelInEveryUrl() throws CaException {
        List<PalParser.Message> pal = PalParser.json(distribution.pal(Optional.of("iot"),
                password("/.well-known/est/iot/pal", "application/json")).body());
        PalParser.Message enroll = pal.get(4);
        assertEquals("0006", enroll.type());
        assertEquals(BASE + "/iot/csrattrs", enroll.uri());
        assertTrue(enroll.size() > 0);
        for (PalParser.Message m : pal) {
            assertTrue(m.uri().startsWith(BASE + "/iot/"), m.uri());
        }
    }

    @ParameterizedTest
    @CsvSource({
            // days left, label, listed
            "10, , true",
            "30, , true",
            "40, , false",
            "10, short, false",
            "4, short, true",
    })
    void reenrollmentIsListedOnlyWithinTheNoticeWindow(int daysLeft, String label, boolean listed) throws CaException {
        X509Certificate certificate = PackageFixtures.client("CN=renew-me", EC_KEY, daysLeft);
        distribution = new PackageDistribution(ca, new PackageFixtures.Packages(), config(true));
        List<PalParser.Message> pal = PalParser.xml(distribution.pal(Optional.ofNullable(label),
                tls("/.well-known/est/pal", null, certificate)).body());
        List<PalParser.Message> reenroll = pal.stream().filter(m -> m.type().equals("0010")).toList();
        assertEquals(listed ? 1 : 0, reenroll.size(), pal.toString());
        assertFalse(types(pal).contains("0007"));
        if (listed) {
            PalParser.Message m = reenroll.get(0);
            assertEquals(BASE + (label == null ? "" : "/" + label) + "/simplereenroll", m.uri());
            assertEquals("iasn", m.infoKind());
            assertEquals(rfc4514(certificate.getIssuerX500Principal()), m.info());
            assertEquals(certificate.getSerialNumber().toString(), m.info2());
        }
    }

    @Test
    void palNeedsAnAuthenticatedClient() {
        EstReply reply = error(() -> distribution.pal(Optional.empty(), anonymous("/.well-known/est/pal")));
        assertEquals(401, reply.status());
        assertTrue(reply.headers().get("WWW-Authenticate").startsWith("Basic realm="), reply.headers().toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application/json|application/json",
            "application/xml|application/xml",
            "*/*|application/xml",
            "application/*|application/xml",
            "application/xml;q=0.5, application/json|application/json",
            "application/json;q=0.5, application/xml|application/xml",
            "application/json;q=0.9, */*;q=0.1|application/json",
            "application/json;q=0, */*;q=0.1|application/xml",
            "application/*;q=0.2, application/xml;q=0|application/json",
            "text/html, application/json;q=0.3|application/json",
            "APPLICATION/JSON|application/json",
            "application/json; charset=utf-8; q=1.0|application/json",
    })
    void acceptChoosesTheRepresentation(String accept, String chosen) throws CaException {
        EstReply reply = distribution.pal(Optional.empty(), tls("/.well-known/est/pal", accept, EC_CLIENT));
        assertEquals(200, reply.status());
        assertEquals(chosen, reply.headers().get("Content-Type"));
        List<PalParser.Message> pal = chosen.endsWith("json") ? PalParser.json(reply.body()) : PalParser.xml(reply.body());
        assertEquals("0002", pal.get(0).type());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"text/html", "application/json;q=0, application/xml;q=0", "image/*", "text/*, application/pkcs7-mime"})
    void acceptOfNeitherIs406(String accept) {
        EstReply reply = error(() -> distribution.pal(Optional.empty(), tls("/.well-known/est/pal", accept, EC_CLIENT)));
        assertEquals(406, reply.status());
        assertEquals("406 the package availability list is available as application/xml or application/json\n", body(reply));
    }

    // ---- /eecerts ----

    @Test
    void eeCertificatesAreOneCertsOnlyAnonymousClientsGetTheLabelWideOnly() throws CaException {
        EstReply mine = distribution.packages(Optional.empty(), tls("/.well-known/est/eecerts", null, EC_CLIENT), PackageKind.EE_CERTIFICATES);
        assertEquals(200, mine.status());
        assertEquals("application/pkcs7-mime; smime-type=certs-only", mine.headers().get("Content-Type"));
        String printed = new String(External.openssl(der(mine), "pkcs7", "-inform", "DER", "-print_certs"), StandardCharsets.UTF_8);
        assertTrue(printed.contains("subject=CN = peer-for-all") && printed.contains("subject=CN = peer-of-mine"), printed);

        EstReply anyone = distribution.packages(Optional.empty(), anonymous("/.well-known/est/eecerts"), PackageKind.EE_CERTIFICATES);
        printed = new String(External.openssl(der(anyone), "pkcs7", "-inform", "DER", "-print_certs"), StandardCharsets.UTF_8);
        assertTrue(printed.contains("subject=CN = peer-for-all"), printed);
        assertFalse(printed.contains("peer-of-mine"), printed);
        assertFalse(packages.asked.get(packages.asked.size() - 1).client().isAuthenticated());
    }

    @Test
    void noEeCertificatesIs204() throws CaException {
        distribution = new PackageDistribution(ca, PackageDistribution.NONE, config(true));
        EstReply reply = distribution.packages(Optional.empty(), anonymous("/.well-known/est/eecerts"), PackageKind.EE_CERTIFICATES);
        assertEquals(204, reply.status());
        assertEquals(0, reply.body().length);
    }

    // ---- /firmware, /tamp ----

    @Test
    void firmwareIsTheOldestWithoutIdAndTheNamedOneWithIt() throws CaException {
        EstReply oldest = distribution.packages(Optional.empty(), password("/.well-known/est/firmware", null), PackageKind.FIRMWARE);
        assertEquals(200, oldest.status());
        assertEquals("application/cms", oldest.headers().get("Content-Type"));
        assertArrayEquals(FIRMWARE_1, der(oldest));
        // what the client receives is the operator's signed package, unchanged: openssl verifies it
        byte[] content = External.openssl(der(oldest), "cms", "-verify", "-noverify", "-inform", "DER", "-binary");
        assertEquals("firmware one", new String(content, StandardCharsets.UTF_8));

        EstReply named = distribution.packages(Optional.of("iot"), password("/.well-known/est/iot/tamp?id=tamp-update", null), PackageKind.TAMP);
        assertArrayEquals(TAMP_UPDATE, der(named));
        String parsed = new String(External.openssl(der(named), "asn1parse", "-inform", "DER"), StandardCharsets.UTF_8);
        assertTrue(parsed.contains("2.16.840.1.101.2.1.2.77.3"), parsed);
    }

    @Test
    void anUnknownIdIs404AndNothingIs204() throws CaException {
        EstReply unknown = error(() -> distribution.packages(Optional.empty(), password("/.well-known/est/firmware?id=nope", null),
                PackageKind.FIRMWARE));
        assertEquals(404, unknown.status());
        assertEquals("404 no such package for this client\n", body(unknown));
        distribution = new PackageDistribution(ca, new PackageFixtures.Packages(), config(true));
        EstReply none = distribution.packages(Optional.empty(), password("/.well-known/est/tamp", null), PackageKind.TAMP);
        assertEquals(204, none.status());
        assertEquals("0", none.headers().get("Content-Length"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"?id=a&id=b", "?id=", "?id=%zz", "?id=%C3%28"})
    void aMalformedIdIs400(String query) {
        EstReply reply = error(() -> distribution.packages(Optional.empty(), password("/.well-known/est/firmware" + query, null),
                PackageKind.FIRMWARE));
        assertEquals(400, reply.status(), body(reply));
    }

    @Test
    void firmwareAndTampNeedAnAuthenticatedClient() {
        for (PackageKind kind : List.of(PackageKind.FIRMWARE, PackageKind.TAMP, PackageKind.SYMMETRIC_KEYS)) {
            EstReply reply = error(() -> distribution.packages(Optional.empty(), anonymous("/.well-known/est/" + kind.path()), kind));
            assertEquals(401, reply.status(), kind.toString());
        }
    }

    // ---- /symmetrickeys ----

    @Test
    void symmetricKeysAreSignedAndEncryptedForAnEcClient() throws Exception {
        String recipientInfo = symmetricKeyRoundTrip(EC_CLIENT, EC_KEY.getPrivate());
        assertEquals("kari 1.3.132.1.11.1", recipientInfo); // dhSinglePass-stdDH-sha256kdf-scheme
    }

    @Test
    void symmetricKeysAreSignedAndEncryptedWithOaepForAnRsaClient() throws Exception {
        String recipientInfo = symmetricKeyRoundTrip(RSA_CLIENT, RSA_KEY.getPrivate());
        assertEquals("ktri 1.2.840.113549.1.1.7", recipientInfo); // id-RSAES-OAEP
    }

    /** Decrypts with openssl, decodes with pyasn1, verifies with openssl; returns the recipient info's kind and algorithm. */
    private String symmetricKeyRoundTrip(X509Certificate client, PrivateKey key) throws Exception {
        EstReply reply = distribution.packages(Optional.empty(), tls("/.well-known/est/symmetrickeys", null, client), PackageKind.SYMMETRIC_KEYS);
        assertEquals(200, reply.status());
        assertEquals("application/cms", reply.headers().get("Content-Type"));
        byte[] enveloped = der(reply);
        Path in = Files.write(dir.resolve("enveloped.der"), enveloped);
        Path cert = Files.writeString(dir.resolve("cert.pem"), pem("CERTIFICATE", client.getEncoded()));
        Path keyFile = Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        byte[] signedData = External.openssl(new byte[0], "cms", "-decrypt", "-inform", "DER", "-in", in.toString(), "-recip",
                cert.toString(), "-inkey", keyFile.toString(), "-binary");
        String[] decoded = External.python("""
                import sys
                from pyasn1.codec.der import decoder, encoder
                from pyasn1_modules import rfc5652, rfc6031, rfc7191, rfc5280
                sd, rest = decoder.decode(sys.stdin.buffer.read(), asn1Spec=rfc5652.SignedData())
                assert not rest
                assert sd['encapContentInfo']['eContentType'] == rfc6031.id_ct_KP_sKeyPackage, sd['encapContentInfo']['eContentType']
                pkg, rest = decoder.decode(sd['encapContentInfo']['eContent'], asn1Spec=rfc6031.SymmetricKeyPackage())
                assert not rest
                print(bytes(pkg['sKeys'][0]['sKey']).hex())
                attrs = [a for a in sd['signerInfos'][0]['signedAttrs'] if a['attrType'] == rfc7191.id_aa_KP_keyPkgIdAndReceiptReq]
                assert len(attrs) == 1 and len(attrs[0]['attrValues']) == 1
                req, rest = decoder.decode(attrs[0]['attrValues'][0], asn1Spec=rfc7191.KeyPkgIdentifierAndReceiptReq())
                assert not rest
                print(bytes(req['pkgID']).decode('utf-8'))
                to = req['receiptReq']['receiptsTo'][0]
                assert to['sirenType'] == rfc7191.id_dn, to['sirenType']
                print(bytes(to['sirenValue']).hex())
                ci = rfc5652.ContentInfo()
                ci['contentType'] = rfc5652.id_signedData
                ci['content'] = sd
                print(encoder.encode(ci).hex())
                """, signedData).split("\n");
        assertEquals(HexFormat.of().formatHex(KEY_BYTES), decoded[0]);
        assertEquals("keys-1", decoded[1]);
        assertEquals(HexFormat.of().formatHex(SERVER.certificate().getSubjectX500Principal().getEncoded()), decoded[2]);
        // the signature verifies (openssl), over the package as the service holds it
        byte[] content = External.openssl(HexFormat.of().parseHex(decoded[3]), "cms", "-verify", "-noverify", "-inform", "DER", "-binary");
        assertArrayEquals(SYMMETRIC, content);
        return External.python("""
                import sys
                from pyasn1.codec.der import decoder
                from pyasn1_modules import rfc5652
                ci, _ = decoder.decode(sys.stdin.buffer.read(), asn1Spec=rfc5652.ContentInfo())
                assert ci['contentType'] == rfc5652.id_envelopedData
                env, _ = decoder.decode(ci['content'], asn1Spec=rfc5652.EnvelopedData())
                eci = env['encryptedContentInfo']
                assert eci['contentType'] == rfc5652.id_signedData, eci['contentType']
                assert str(eci['contentEncryptionAlgorithm']['algorithm']) == '2.16.840.1.101.3.4.1.42'  # aes256-CBC
                assert len(env['recipientInfos']) == 1
                ri = env['recipientInfos'][0]
                name = ri.getName()
                print(name, ri[name]['keyEncryptionAlgorithm']['algorithm'])
                """, enveloped).strip();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    @Test
    void symmetricKeysNeedATlsClientCertificate() {
        EstReply reply = error(() -> distribution.packages(Optional.empty(), password("/.well-known/est/symmetrickeys", null),
                PackageKind.SYMMETRIC_KEYS));
        assertEquals(403, reply.status());
        assertTrue(body(reply).contains("TLS client certificate"), body(reply));
    }

    @Test
    void symmetricKeysNeedAResponseSigner() {
        distribution = new PackageDistribution(ca, packages, config(false));
        EstReply reply = error(() -> distribution.packages(Optional.empty(), tls("/.well-known/est/symmetrickeys", null, EC_CLIENT),
                PackageKind.SYMMETRIC_KEYS));
        assertEquals(501, reply.status());
        assertTrue(body(reply).contains("response signer"), body(reply));
    }

    @Test
    void withoutASignerThePalListsNoSymmetricKeys() throws CaException {
        distribution = new PackageDistribution(ca, packages, config(false));
        List<String> types = types(PalParser.xml(distribution.pal(Optional.empty(), tls("/.well-known/est/pal", null, EC_CLIENT)).body()));
        assertFalse(types.contains("0024") || types.contains("0025"), types.toString());
    }
}

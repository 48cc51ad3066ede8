package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * RFC 8295 end to end on the real Tomcat: packages dropped into {@code EST_HOME/packages} as an operator would, fetched
 * by a device with a TLS client certificate that names its hardware module, decoded with openssl and Python's
 * pyasn1-modules (never with BouncyCastle, which built them), and acknowledged on the {@code /return} paths.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackageDistributionTest extends OwnConfigurationScenarios {

    private static final ASN1ObjectIdentifier HW_TYPE = new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.1.1");
    private static final ASN1ObjectIdentifier OTHER_HW_TYPE = new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.1.2");
    private static final byte[] HW_SERIAL = "SN-0001".getBytes(StandardCharsets.US_ASCII);
    private static final ASN1ObjectIdentifier FW_PKG = new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.2.7");
    private static final byte[] FIRMWARE_IMAGE = "firmware image 7.1 for module 55555.1.1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SECRET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    private static final long TAMP_SEQ = 42;

    private static Path packages;
    private static KeyPair deviceKeys;
    private static X509Certificate device;
    private static KeyPair plainKeys;
    private static X509Certificate plainDevice;
    private static KeyPair strangerKeys;
    private static X509Certificate stranger;
    private static X509Certificate peer;
    private static byte[] firmware;
    private static byte[] tampQuery;
    private static Path work;

    static {
        Pki.registerBouncyCastle();
    }

    @Deployment(testable = false)
    static WebArchive est4jWithPackages() throws Exception {
        Path home = Path.of(System.getProperty("est.home"));
        X509Certificate ca = Pki.readCertificate(home.resolve("ca/default/ca.pem"));
        PrivateKey caKey;
        try (PEMParser pem = new PEMParser(Files.newBufferedReader(home.resolve("ca/default/ca-key.pem")))) {
            caKey = new JcaPEMKeyConverter().getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) pem.readObject());
        }
        deviceKeys = Pki.rsa2048();
        device = issue(ca, caKey, deviceKeys, "CN=pkg-device", HW_TYPE, Duration.ofDays(10));
        plainKeys = Pki.rsa2048();
        plainDevice = issue(ca, caKey, plainKeys, "CN=pkg-plain", null, Duration.ofDays(300));
        strangerKeys = Pki.rsa2048();
        stranger = Pki.selfSigned(strangerKeys, "CN=stranger");
        KeyPair peerKeys = Pki.p256();
        peer = issue(ca, caKey, peerKeys, "CN=pkg-peer", null, Duration.ofDays(300));

        KeyPair vendorKeys = Pki.p256();
        X509Certificate vendor = Pki.selfSigned(vendorKeys, "CN=Firmware Signer");
        KeyPair managerKeys = Pki.p256();
        X509Certificate manager = Pki.selfSigned(managerKeys, "CN=Trust Anchor Manager");
        firmware = Rfc8295Messages.firmwarePackage(vendorKeys.getPrivate(), vendor, FIRMWARE_IMAGE, FW_PKG, 7, List.of(HW_TYPE));
        tampQuery = Rfc8295Messages.tampStatusQuery(managerKeys.getPrivate(), manager, TAMP_SEQ);

        packages = home.resolve("packages");
        Scratch.deleteTree(packages);
        Path label = packages.resolve("default");
        Files.createDirectories(label.resolve("eecerts"));
        Files.createDirectories(label.resolve("firmware"));
        Files.createDirectories(label.resolve("tamp"));
        Files.createDirectories(label.resolve("clients/pkg-device/symmetrickeys"));
        try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(label.resolve("eecerts/peer.pem")))) {
            w.writeObject(peer);
        }
        Files.write(label.resolve("firmware/fw-7.der"), firmware);
        Files.write(label.resolve("firmware/fw-other.der"), Rfc8295Messages.firmwarePackage(vendorKeys.getPrivate(), vendor,
                "another module's image".getBytes(StandardCharsets.US_ASCII), FW_PKG, 3, List.of(OTHER_HW_TYPE)));
        Files.write(label.resolve("tamp/query-42.der"), tampQuery);
        Files.write(label.resolve("clients/pkg-device/symmetrickeys/k1.der"), Rfc8295Messages.symmetricKeyPackage(SECRET));

        work = Files.createTempDirectory("est4j-pkg");
        pem(work.resolve("device.pem"), device);
        try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(work.resolve("device-key.pem")))) {
            w.writeObject(deviceKeys.getPrivate());
        }
        EstHomeConfig.append("PackageDistributionTest", "");
        return EstTarget.rootWar();
    }

    @AfterAll
    static void removePackages() throws IOException {
        Scratch.deleteTree(packages);
    }

    private EstHttp as(KeyPair keys, X509Certificate certificate) throws Exception {
        return new EstHttp(target.estBase(), Pki.tls(target.ca(), Pki.clientKey(keys.getPrivate(), certificate, target.ca())));
    }

    private EstHttp anonymous() throws Exception {
        return new EstHttp(target.estBase(), Pki.tls(target.ca(), null));
    }

    @Test
    @Order(1)
    void thePalInXmlListsWhatThisDeviceMayTakeWithAReturnEntryAfterEachPackage() throws Exception {
        EstHttp.Reply reply = as(deviceKeys, device).get("pal");
        assertEquals(200, reply.status(), reply::toString);
        assertTrue(reply.requiredHeader("Content-Type").startsWith("application/xml"), reply::toString);
        JsonNode pal = IndependentDecoders.pyasn1("pal-xml", reply.body());
        List<String> types = types(pal);
        // the CA certificate, the peer, the CRL, re-enrollment (the certificate ends in 10 days), the key, the firmware for
        // this module only, the TAMP query; each package followed by where its receipt goes
        for (String t : List.of("0002", "0003", "0005", "0010")) {
            assertTrue(types.contains(t), () -> t + " missing from " + pal);
        }
        assertEquals(List.of("0024", "0025", "0026", "0027", "0028", "0029"),
                types.stream().filter(t -> t.compareTo("0024") >= 0).toList(), pal::toString);
        for (JsonNode m : pal) {
            assertTrue(m.get("uri").asText().startsWith(target.estBase().toString()), m::toString);
        }
        assertEquals("https", java.net.URI.create(entry(pal, "0026").get("uri").asText()).getScheme());
        assertTrue(entry(pal, "0026").get("uri").asText().contains("/firmware"), pal::toString);
        assertEquals(firmware.length, entry(pal, "0026").get("size").asInt(), pal::toString);
        assertTrue(entry(pal, "0027").get("uri").asText().endsWith("/firmware/return"), pal::toString);
        assertTrue(entry(pal, "0010").get("uri").asText().endsWith("/simplereenroll"), pal::toString);
    }

    @Test
    @Order(2)
    void thePalInJsonSaysTheSame() throws Exception {
        EstHttp.Reply xml = as(deviceKeys, device).get("pal");
        EstHttp.Reply json = as(deviceKeys, device).header("Accept", "application/json").get("pal");
        assertEquals(200, json.status(), json::toString);
        assertTrue(json.requiredHeader("Content-Type").startsWith("application/json"), json::toString);
        assertEquals(types(IndependentDecoders.pyasn1("pal-xml", xml.body())), types(IndependentDecoders.pyasn1("pal-json", json.body())));
    }

    @Test
    @Order(3)
    void aDeviceWithoutTheHardwareModuleSeesNoFirmwareAndNoOtherDevicesKeys() throws Exception {
        List<String> types = types(IndependentDecoders.pyasn1("pal-xml", as(plainKeys, plainDevice).get("pal").body()));
        assertFalse(types.contains("0026"), types::toString);
        assertFalse(types.contains("0024"), types::toString);
        assertFalse(types.contains("0010"), () -> "300 days left is no reason to re-enroll: " + types);
        assertEquals(204, as(plainKeys, plainDevice).get("firmware").status());
        assertEquals(204, as(plainKeys, plainDevice).get("symmetrickeys").status());
    }

    @Test
    @Order(4)
    void thePalNeedsAnAuthenticatedClient() throws Exception {
        assertEquals(401, anonymous().get("pal").status());
    }

    @Test
    @Order(5)
    void eeCertificatesComeAsCertsOnlyThatOpensslReads() throws Exception {
        EstHttp.Reply reply = anonymous().get("eecerts");
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("application/pkcs7-mime; smime-type=certs-only", reply.requiredHeader("Content-Type"));
        String printed = IndependentDecoders.openssl(reply.base64Body(), "pkcs7", "-inform", "DER", "-print_certs", "-noout");
        assertTrue(printed.contains("CN = pkg-peer") || printed.contains("CN=pkg-peer"), printed);
    }

    @Test
    @Order(6)
    void firmwareIsTheVendorsSignedPackageAsItWasDroppedIn() throws Exception {
        EstHttp.Reply reply = as(deviceKeys, device).get("firmware");
        assertEquals(200, reply.status(), reply::toString);
        assertTrue(reply.requiredHeader("Content-Type").startsWith("application/cms"), reply::toString);
        byte[] der = reply.base64Body();
        assertArrayEquals(firmware, der);
        JsonNode decoded = IndependentDecoders.pyasn1("signed", der);
        assertEquals("1.2.840.113549.1.9.16.1.16", decoded.get("eContentType").asText());
        JsonNode id = decoded.get("signedAttrs").get("1.2.840.113549.1.9.16.2.35");
        assertEquals(FW_PKG.getId(), id.get("fwPkgID").asText());
        assertEquals(7, id.get("verNum").asInt());
    }

    @Test
    @Order(7)
    void tampIsTheManagersStatusQuery() throws Exception {
        EstHttp.Reply reply = as(deviceKeys, device).get("tamp");
        assertEquals(200, reply.status(), reply::toString);
        JsonNode decoded = IndependentDecoders.pyasn1("signed", reply.base64Body());
        assertEquals("2.16.840.1.101.2.1.2.77.1", decoded.get("eContentType").asText());
        assertEquals(TAMP_SEQ, decoded.get("content").get("seqNum").asLong());
    }

    @Test
    @Order(8)
    void symmetricKeysAreSignedThenEncryptedForTheDevicesCertificate() throws Exception {
        EstHttp.Reply reply = as(deviceKeys, device).get("symmetrickeys");
        assertEquals(200, reply.status(), reply::toString);
        assertTrue(reply.requiredHeader("Content-Type").startsWith("application/cms"), reply::toString);
        Path enveloped = Files.write(work.resolve("keys.env.der"), reply.base64Body());
        Path signed = work.resolve("keys.signed.der");
        IndependentDecoders.run("openssl", "cms", "-decrypt", "-inform", "DER", "-in", enveloped.toString(), "-recip",
                work.resolve("device.pem").toString(), "-inkey", work.resolve("device-key.pem").toString(), "-out", signed.toString());
        // the EnvelopedData's content is a SignedData (content type signedData, RFC 5652 section 6.1), as nested S/MIME has it
        String envelope = IndependentDecoders.run("openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", enveloped.toString());
        assertTrue(envelope.contains("contentType: pkcs7-signedData"), envelope);
        JsonNode decoded = IndependentDecoders.pyasn1("signed-data", Files.readAllBytes(signed));
        assertEquals("1.2.840.113549.1.9.16.1.25", decoded.get("eContentType").asText());
        assertEquals(List.of(HexFormat.of().formatHex(SECRET)), IndependentDecoders.JSON.convertValue(decoded.get("content").get("keys"), List.class));
        assertEquals("k1.der", decoded.get("signedAttrs").get("2.16.840.1.101.2.1.5.65").get("pkgID").asText());
        // another device's certificate cannot open it
        assertEquals(204, as(plainKeys, plainDevice).get("symmetrickeys").status());
    }

    @Test
    @Order(9)
    void returnsThatDoNotFitAreRefusedPrecisely() throws Exception {
        EstHttp client = as(deviceKeys, device);
        byte[] unknownFirmware = Rfc8295Messages.firmwareLoadReceipt(deviceKeys.getPrivate(), device, HW_TYPE, HW_SERIAL,
                new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.2.99"), 1);
        assertEquals(404, post(client, "firmware/return", unknownFirmware).status());
        assertEquals(400, post(client, "firmware/return", Rfc8295Messages.unsigned("receipt".getBytes(StandardCharsets.US_ASCII))).status());
        byte[] receipt = Rfc8295Messages.firmwareLoadReceipt(deviceKeys.getPrivate(), device, HW_TYPE, HW_SERIAL, FW_PKG, 7);
        assertEquals(400, post(client, "tamp/return", receipt).status(), "a firmware receipt is not a TAMP response");
        assertEquals(415, client.post("firmware/return", "application/pkcs10", Base64.getMimeEncoder().encode(receipt)).status());
        assertEquals(401, post(anonymous(), "firmware/return", receipt).status());
        byte[] signedByAnother = Rfc8295Messages.firmwareLoadReceipt(strangerKeys.getPrivate(), stranger, HW_TYPE, HW_SERIAL, FW_PKG, 7);
        assertEquals(403, post(client, "firmware/return", signedByAnother).status());
    }

    @Test
    @Order(10)
    void acknowledgedPackagesLeaveThePal() throws Exception {
        EstHttp client = as(deviceKeys, device);
        EstHttp.Reply firmwareReceipt = post(client, "firmware/return",
                Rfc8295Messages.firmwareLoadReceipt(deviceKeys.getPrivate(), device, HW_TYPE, HW_SERIAL, FW_PKG, 7));
        assertEquals(204, firmwareReceipt.status(), firmwareReceipt::toString);
        EstHttp.Reply keyReceipt = post(client, "symmetrickeys/return",
                Rfc8295Messages.keyPackageReceipt(deviceKeys.getPrivate(), device, "k1.der".getBytes(StandardCharsets.UTF_8)));
        assertEquals(204, keyReceipt.status(), keyReceipt::toString);
        EstHttp.Reply tampResponse = post(client, "tamp/return",
                Rfc8295Messages.tampStatusResponse(deviceKeys.getPrivate(), device, TAMP_SEQ, new byte[] {1, 2, 3, 4}));
        assertEquals(204, tampResponse.status(), tampResponse::toString);

        List<String> types = types(IndependentDecoders.pyasn1("pal-xml", client.get("pal").body()));
        for (String gone : List.of("0024", "0025", "0026", "0027", "0028", "0029")) {
            assertFalse(types.contains(gone), () -> gone + " still listed after its receipt: " + types);
        }
        assertTrue(types.contains("0002"), types::toString);
        String log = Files.readString(packages.resolve("returns.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("fw-7.der") && log.contains("k1.der") && log.contains("query-42.der"), log);
    }

    private static EstHttp.Reply post(EstHttp client, String path, byte[] der) throws Exception {
        return client.post(path, "application/cms", Base64.getMimeEncoder().encode(der));
    }

    private static List<String> types(JsonNode pal) {
        return Stream.iterate(0, i -> i < pal.size(), i -> i + 1).map(i -> pal.get(i).get("type").asText()).toList();
    }

    private static JsonNode entry(JsonNode pal, String type) {
        for (JsonNode m : pal) {
            if (m.get("type").asText().equals(type)) {
                return m;
            }
        }
        throw new AssertionError("no " + type + " in " + pal);
    }

    private static void pem(Path file, X509Certificate cert) throws IOException {
        try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(file))) {
            w.writeObject(cert);
        }
    }

    private static X509Certificate issue(X509Certificate ca, PrivateKey caKey, KeyPair keys, String subject,
                                         ASN1ObjectIdentifier hwType, Duration lifetime) throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, new BigInteger(127, new SecureRandom()).setBit(100),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(lifetime)), new X500Name(subject), keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        if (hwType != null) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.otherName,
                    new OtherName(Rfc8295Messages.HARDWARE_MODULE_NAME, Rfc8295Messages.hardwareModuleName(hwType, HW_SERIAL)))));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(
                caKey.getAlgorithm().startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA").build(caKey)));
    }
}

package org.est4j.war.packages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.AuthenticationMethod;
import org.est4j.spi.DistributedPackage;
import org.est4j.spi.PackageKind;
import org.est4j.spi.PackageRequest;
import org.est4j.spi.PackageReturn;
import org.est4j.spi.UnknownLabelException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The layout under EST_HOME/packages as an operator fills it, and what each client is given from it. */
class FilePackageServiceTest {

    static PackageFixtures.Signer ca;
    static PackageFixtures.Signer vendor;
    static X509Certificate peer1;
    static X509Certificate peer2;
    static X509Certificate dev1;
    static X509Certificate dev2;
    static X509Certificate router;
    static X509Certificate sensor;

    @TempDir
    Path home;
    Path packages;
    FilePackageService service;
    final List<LogRecord> warnings = new ArrayList<>();
    final Logger storeLog = Logger.getLogger(PackageStore.class.getName());
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (warnings) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void certificates() throws Exception {
        ca = PackageFixtures.signer("CN=Device CA");
        vendor = PackageFixtures.signer("CN=Firmware Vendor");
        peer1 = PackageFixtures.clientCertificate("CN=peer-1", ca, null, null);
        peer2 = PackageFixtures.clientCertificate("CN=peer-2", ca, null, null);
        dev1 = PackageFixtures.clientCertificate("CN=dev1,O=Example", ca, null, null);
        dev2 = PackageFixtures.clientCertificate("CN=dev2,O=Example", ca, null, null);
        router = PackageFixtures.clientCertificate("CN=router-7", ca, FirmwareTargetsTest.ROUTER, new byte[] {7});
        sensor = PackageFixtures.clientCertificate("CN=sensor-3", ca, FirmwareTargetsTest.SENSOR, new byte[] {3});
    }

    @BeforeEach
    void open() throws Exception {
        packages = home.resolve("packages");
        service = new FilePackageService(home, label -> label.isEmpty() || label.get().equals("iot"));
        storeLog.addHandler(capture);
    }

    @AfterEach
    void close() {
        storeLog.removeHandler(capture);
    }

    static AuthenticatedClient tls(X509Certificate certificate) {
        return new AuthenticatedClient(List.of(certificate), Optional.empty(), Set.of(AuthenticationMethod.TLS_CLIENT_CERTIFICATE), "192.0.2.1");
    }

    static AuthenticatedClient user(String name) {
        return new AuthenticatedClient(List.of(), Optional.of(name), Set.of(AuthenticationMethod.HTTP_BASIC), "192.0.2.2");
    }

    List<String> ids(Optional<String> label, AuthenticatedClient client, PackageKind kind) throws Exception {
        return service.packages(new PackageRequest(label, client, kind)).stream().map(DistributedPackage::id).toList();
    }

    List<String> ids(AuthenticatedClient client, PackageKind kind) throws Exception {
        return ids(Optional.empty(), client, kind);
    }

    Path put(String relative, byte[] content, long secondsAgo) throws Exception {
        Path file = packages.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(secondsAgo)));
        return file;
    }

    static byte[] pem(X509Certificate... certificates) throws Exception {
        StringBuilder pem = new StringBuilder("peer certificates for the plant network\n");
        for (X509Certificate c : certificates) {
            pem.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return pem.toString().getBytes(StandardCharsets.US_ASCII);
    }

    PackageReturn ack(Optional<String> label, AuthenticatedClient client, PackageKind kind, String id, PackageReturn.Outcome outcome,
                      String detail) {
        return new PackageReturn(label, client, Optional.of(kind), id, outcome, detail, new byte[] {0x30, 0}, Instant.now());
    }

    @Test
    void labelWideFilesGoToEveryClientAndClientFilesOnlyToTheirClient() throws Exception {
        put("default/eecerts/peers.pem", pem(peer1, peer2), 300);
        put("default/clients/dev1/eecerts/gateway.der", peer1.getEncoded(), 200);
        put("default/clients/alice/symmetrickeys/wifi.der", PackageFixtures.symmetricKeyPackage(new byte[16]), 100);

        assertEquals(List.of("peers.pem#1", "peers.pem#2", "gateway.der"), ids(tls(dev1), PackageKind.EE_CERTIFICATES));
        assertEquals(List.of("peers.pem#1", "peers.pem#2"), ids(tls(dev2), PackageKind.EE_CERTIFICATES));
        assertEquals(List.of("peers.pem#1", "peers.pem#2"), ids(AuthenticatedClient.anonymous("192.0.2.9"), PackageKind.EE_CERTIFICATES));
        List<DistributedPackage> certs = service.packages(new PackageRequest(Optional.empty(), tls(dev1), PackageKind.EE_CERTIFICATES));
        assertArrayEquals(peer2.getEncoded(), certs.get(1).content(), "the PEM's second certificate, as DER");
        assertArrayEquals(peer1.getEncoded(), certs.get(2).content());

        assertEquals(List.of("wifi.der"), ids(user("alice"), PackageKind.SYMMETRIC_KEYS), "a client directory named by the HTTP user");
        assertEquals(List.of(), ids(user("bob"), PackageKind.SYMMETRIC_KEYS));
        assertEquals(List.of(), ids(tls(dev1), PackageKind.SYMMETRIC_KEYS));
    }

    @Test
    void aLabelHasItsOwnDirectory() throws Exception {
        put("iot/tamp/query-1.der", PackageFixtures.tampStatusQuery(vendor, 1), 10);
        assertEquals(List.of("query-1.der"), ids(Optional.of("iot"), tls(dev1), PackageKind.TAMP));
        assertEquals(List.of(), ids(tls(dev1), PackageKind.TAMP), "not for the default label");
        assertTrue(service.exists(Optional.of("iot"), PackageKind.TAMP, "query-1.der"));
        assertFalse(service.exists(Optional.empty(), PackageKind.TAMP, "query-1.der"));
    }

    @Test
    void anUnknownLabelIsRefused() {
        UnknownLabelException e = assertThrows(UnknownLabelException.class,
                () -> service.packages(new PackageRequest(Optional.of("nope"), tls(dev1), PackageKind.FIRMWARE)));
        assertEquals("nope", e.label());
        assertThrows(UnknownLabelException.class, () -> service.exists(Optional.of("nope"), PackageKind.FIRMWARE, "x.der"));
        assertThrows(UnknownLabelException.class, () -> service.recordReturn(
                ack(Optional.of("nope"), tls(dev1), PackageKind.FIRMWARE, "x.der", PackageReturn.Outcome.ACCEPTED, "receipt")));
        assertFalse(Files.exists(packages.resolve("returns.log")));
    }

    @Test
    void aClientFileWinsOverALabelWideFileOfTheSameName() throws Exception {
        put("default/symmetrickeys/k.der", PackageFixtures.symmetricKeyPackage(new byte[] {1}), 50);
        byte[] own = PackageFixtures.symmetricKeyPackage(new byte[] {2});
        put("default/clients/dev1/symmetrickeys/k.der", own, 60);
        List<DistributedPackage> got = service.packages(new PackageRequest(Optional.empty(), tls(dev1), PackageKind.SYMMETRIC_KEYS));
        assertEquals(1, got.size());
        assertArrayEquals(own, got.get(0).content());
        assertEquals(List.of("k.der"), ids(tls(dev2), PackageKind.SYMMETRIC_KEYS));
    }

    @Test
    void oldestFirstByModificationTimeThenName() throws Exception {
        put("default/firmware/c.der", PackageFixtures.firmwarePackage(vendor, "c", new byte[] {3}), 100);
        put("default/firmware/b.der", PackageFixtures.firmwarePackage(vendor, "b", new byte[] {2}), 300);
        Path a = put("default/firmware/a.der", PackageFixtures.firmwarePackage(vendor, "a", new byte[] {1}), 100);
        put("default/clients/dev1/firmware/z.der", PackageFixtures.firmwarePackage(vendor, "z", new byte[] {1}), 400);
        Files.setLastModifiedTime(a, Files.getLastModifiedTime(packages.resolve("default/firmware/c.der")));
        assertEquals(List.of("z.der", "b.der", "a.der", "c.der"), ids(tls(dev1), PackageKind.FIRMWARE));
    }

    @Test
    void filesThatAreNotTheirKindAreSkippedWithOneWarningEach() throws Exception {
        put("default/firmware/good.der", PackageFixtures.firmwarePackage(vendor, "good", new byte[] {1}), 10);
        put("default/firmware/a-certificate.der", peer1.getEncoded(), 10);
        put("default/firmware/a-tamp-query.der", PackageFixtures.tampStatusQuery(vendor, 1), 10);
        put("default/firmware/garbage\nWARNING forged.der", "not DER at all".getBytes(StandardCharsets.US_ASCII), 10);
        put("default/firmware/empty.der", new byte[0], 10);
        byte[] firmware = PackageFixtures.firmwarePackage(vendor, "cut", new byte[100]);
        put("default/firmware/truncated.der", java.util.Arrays.copyOf(firmware, firmware.length - 1), 10);
        put("default/firmware/trailing.der", java.util.Arrays.copyOf(firmware, firmware.length + 1), 10);
        put("default/firmware/README.txt", "notes".getBytes(StandardCharsets.US_ASCII), 10);
        Path big = put("default/firmware/huge.der", new byte[0], 10);
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(PackageStore.MAX_FILE_BYTES + 1); // sparse: no disk used
        }
        put("default/tamp/a-firmware.der", firmware, 10);
        put("default/tamp/a-response.der", PackageFixtures.signedData(vendor, "2.16.840.1.101.2.1.2.77.2", new byte[] {0x30, 0},
                new org.bouncycastle.asn1.cms.AttributeTable(new org.bouncycastle.asn1.ASN1EncodableVector())), 10);
        put("default/symmetrickeys/a-certificate.der", peer1.getEncoded(), 10);
        put("default/eecerts/a-key.pem", "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII), 10);

        assertEquals(List.of("good.der"), ids(tls(dev1), PackageKind.FIRMWARE));
        assertEquals(List.of(), ids(tls(dev1), PackageKind.TAMP));
        assertEquals(List.of(), ids(tls(dev1), PackageKind.SYMMETRIC_KEYS));
        assertEquals(List.of(), ids(tls(dev1), PackageKind.EE_CERTIFICATES));
        List<String> warned = warningMessages();
        assertEquals(11, warned.size(), String.join("\n", warned));
        assertTrue(warned.stream().allMatch(w -> w.lines().count() == 1), "one line each: " + warned);
        assertTrue(warned.stream().anyMatch(w -> w.contains("garbage\\nWARNING forged.der")), "the file name is quoted: " + warned);
        assertTrue(warned.stream().anyMatch(w -> w.contains("huge.der") && w.contains("16777217 bytes")), warned.toString());

        ids(tls(dev2), PackageKind.FIRMWARE);
        assertEquals(11, warningMessages().size(), "an unchanged file is not warned about again");
    }

    @Test
    void aFileDroppedInIsServedOnTheNextRequest() throws Exception {
        assertEquals(List.of(), ids(tls(dev1), PackageKind.FIRMWARE));
        Path file = put("default/firmware/new.der", PackageFixtures.firmwarePackage(vendor, "new", new byte[] {1}), 10);
        assertEquals(List.of("new.der"), ids(tls(dev1), PackageKind.FIRMWARE));
        byte[] replaced = PackageFixtures.firmwarePackage(vendor, "new", new byte[] {1, 2, 3});
        Files.write(file, replaced);
        assertArrayEquals(replaced, service.packages(new PackageRequest(Optional.empty(), tls(dev1), PackageKind.FIRMWARE)).get(0).content());
        Files.delete(file);
        assertEquals(List.of(), ids(tls(dev1), PackageKind.FIRMWARE));
    }

    @Test
    void firmwareGoesOnlyToTheHardwareItWasSignedFor() throws Exception {
        put("default/firmware/router.der", PackageFixtures.firmwarePackage(vendor, "r", new byte[] {1}, FirmwareTargetsTest.ROUTER), 30);
        put("default/firmware/any.der", PackageFixtures.firmwarePackage(vendor, "any", new byte[] {2}), 20);
        put("default/firmware/both.der", PackageFixtures.firmwarePackage(vendor, "both", new byte[] {3},
                FirmwareTargetsTest.ROUTER, FirmwareTargetsTest.SENSOR), 10);
        assertEquals(List.of("router.der", "any.der", "both.der"), ids(tls(router), PackageKind.FIRMWARE));
        assertEquals(List.of("any.der", "both.der"), ids(tls(sensor), PackageKind.FIRMWARE));
        assertEquals(List.of("any.der"), ids(tls(dev1), PackageKind.FIRMWARE), "no hardwareModuleName: only untargeted firmware");
        assertEquals(List.of("any.der"), ids(user("alice"), PackageKind.FIRMWARE));
        assertTrue(service.exists(Optional.empty(), PackageKind.FIRMWARE, "router.der"), "exists for some client");
    }

    @Test
    void aClientNameThatIsNotOneDirectoryLeadsNowhere() throws Exception {
        put("default/symmetrickeys/shared.der", PackageFixtures.symmetricKeyPackage(new byte[] {1}), 20);
        put("default/clients/alice/symmetrickeys/alice.der", PackageFixtures.symmetricKeyPackage(new byte[] {2}), 10);
        put("other/symmetrickeys/other.der", PackageFixtures.symmetricKeyPackage(new byte[] {3}), 10);
        assertEquals(List.of("shared.der"), ids(user("../../other"), PackageKind.SYMMETRIC_KEYS));
        assertEquals(List.of("shared.der"), ids(user(".."), PackageKind.SYMMETRIC_KEYS));
        assertEquals(List.of("shared.der"), ids(user("alice/../alice"), PackageKind.SYMMETRIC_KEYS));
        assertEquals(List.of("shared.der"), ids(user("x\\..\\alice"), PackageKind.SYMMETRIC_KEYS));
        X509Certificate dots = PackageFixtures.clientCertificate("CN=..", ca, null, null);
        assertEquals(List.of("shared.der"), ids(tls(dots), PackageKind.SYMMETRIC_KEYS));
        assertEquals(List.of("shared.der", "alice.der"), ids(user("alice"), PackageKind.SYMMETRIC_KEYS));
    }

    @Test
    void existsLooksAtTheLabelAndEveryClient() throws Exception {
        put("default/clients/dev2/tamp/q.der", PackageFixtures.tampStatusQuery(vendor, 5), 10);
        put("default/eecerts/peers.pem", pem(peer1, peer2), 10);
        assertTrue(service.exists(Optional.empty(), PackageKind.TAMP, "q.der"));
        assertTrue(service.exists(Optional.empty(), PackageKind.EE_CERTIFICATES, "peers.pem#2"));
        assertFalse(service.exists(Optional.empty(), PackageKind.FIRMWARE, "q.der"), "another kind");
        assertFalse(service.exists(Optional.empty(), PackageKind.TAMP, "r.der"));
        assertFalse(service.exists(Optional.of("iot"), PackageKind.TAMP, "q.der"));
    }

    @Test
    void anAcceptedPackageIsGoneForThatClientAlsoAfterARestartAFailedOneStays() throws Exception {
        put("default/firmware/a.der", PackageFixtures.firmwarePackage(vendor, "a", new byte[] {1}), 20);
        put("default/firmware/b.der", PackageFixtures.firmwarePackage(vendor, "b", new byte[] {2}), 10);
        service.recordReturn(ack(Optional.empty(), tls(dev1), PackageKind.FIRMWARE, "a.der", PackageReturn.Outcome.ACCEPTED, "receipt"));
        service.recordReturn(ack(Optional.empty(), tls(dev1), PackageKind.FIRMWARE, "b.der", PackageReturn.Outcome.FAILED, "error code 7"));
        service.recordReturn(ack(Optional.empty(), user("alice"), PackageKind.FIRMWARE, "b.der", PackageReturn.Outcome.ACCEPTED, "receipt"));
        assertEquals(List.of("b.der"), ids(tls(dev1), PackageKind.FIRMWARE));
        assertEquals(List.of("a.der", "b.der"), ids(tls(dev2), PackageKind.FIRMWARE), "another client still gets both");
        assertEquals(List.of("a.der"), ids(user("alice"), PackageKind.FIRMWARE));
        assertTrue(service.exists(Optional.empty(), PackageKind.FIRMWARE, "a.der"), "still exists: acknowledged, not removed");

        FilePackageService restarted = new FilePackageService(home, label -> true);
        assertEquals(List.of("b.der"), restarted.packages(new PackageRequest(Optional.empty(), tls(dev1), PackageKind.FIRMWARE))
                .stream().map(DistributedPackage::id).toList());
        X509Certificate renewed = PackageFixtures.clientCertificate("CN=dev1,O=Example", ca, null, null);
        assertEquals(List.of("b.der"), restarted.packages(new PackageRequest(Optional.empty(), tls(renewed), PackageKind.FIRMWARE))
                .stream().map(DistributedPackage::id).toList(), "the key is the subject, not the certificate");
    }

    @Test
    void anAcknowledgementWrittenByAnotherInstanceCountsAtOnce() throws Exception {
        put("default/tamp/q.der", PackageFixtures.tampStatusQuery(vendor, 1), 10);
        assertEquals(List.of("q.der"), ids(tls(dev1), PackageKind.TAMP));
        FilePackageService other = new FilePackageService(home, label -> true); // another server on the same EST_HOME
        other.recordReturn(ack(Optional.empty(), tls(dev1), PackageKind.TAMP, "q.der", PackageReturn.Outcome.ACCEPTED, "statusResponse"));
        assertEquals(List.of(), ids(tls(dev1), PackageKind.TAMP));
    }

    @Test
    void anAcknowledgementCountsOnlyForItsLabelAndKind() throws Exception {
        put("default/tamp/x.der", PackageFixtures.tampStatusQuery(vendor, 1), 10);
        put("iot/tamp/x.der", PackageFixtures.tampStatusQuery(vendor, 2), 10);
        put("default/firmware/x.der", PackageFixtures.firmwarePackage(vendor, "x", new byte[] {1}), 10);
        service.recordReturn(ack(Optional.of("iot"), tls(dev1), PackageKind.TAMP, "x.der", PackageReturn.Outcome.ACCEPTED, "confirm"));
        assertEquals(List.of(), ids(Optional.of("iot"), tls(dev1), PackageKind.TAMP));
        assertEquals(List.of("x.der"), ids(tls(dev1), PackageKind.TAMP));
        assertEquals(List.of("x.der"), ids(tls(dev1), PackageKind.FIRMWARE));
    }

    @Test
    void anAnonymousClientHasNoState() throws Exception {
        put("default/eecerts/p.der", peer1.getEncoded(), 10);
        AuthenticatedClient anonymous = AuthenticatedClient.anonymous("192.0.2.7");
        service.recordReturn(ack(Optional.empty(), anonymous, PackageKind.EE_CERTIFICATES, "p.der", PackageReturn.Outcome.ACCEPTED, "receipt"));
        assertEquals(List.of("p.der"), ids(anonymous, PackageKind.EE_CERTIFICATES));
        String line = Files.readString(packages.resolve("returns.log"));
        assertEquals("-", line.split("\t")[2], line);
    }

    private List<String> warningMessages() {
        synchronized (warnings) {
            return warnings.stream().filter(r -> r.getLevel() == java.util.logging.Level.WARNING)
                    .map(r -> java.text.MessageFormat.format(r.getMessage(), r.getParameters())).toList();
        }
    }
}

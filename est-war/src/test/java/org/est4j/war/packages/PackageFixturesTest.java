package org.est4j.war.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixtures are what the RFCs say, read by an independent decoder: pyasn1-modules ({@code rfc5652},
 * {@code rfc4108}, {@code rfc5934}, {@code rfc6031}), strict DER, with the RFC's own ASN.1 types.
 */
class PackageFixturesTest {

    private static final String DECODE = """
            import sys
            from pyasn1.codec.der.decoder import decode
            from pyasn1_modules import rfc5652, rfc4108, rfc5934, rfc6031
            kind, path = sys.argv[1], sys.argv[2]
            data = open(path, 'rb').read()
            if kind == 'symmetrickeys':
                pkg, rest = decode(data, asn1Spec=rfc6031.SymmetricKeyPackage())
                assert not rest
                print('version', int(pkg['version']))
                for k in pkg['sKeys']:
                    print('key', bytes(k['sKey']).hex())
                sys.exit(0)
            ci, rest = decode(data, asn1Spec=rfc5652.ContentInfo())
            assert not rest
            assert ci['contentType'] == rfc5652.id_signedData
            sd, rest = decode(ci['content'], asn1Spec=rfc5652.SignedData())
            assert not rest
            ect = sd['encapContentInfo']['eContentType']
            econtent = bytes(sd['encapContentInfo']['eContent'])
            if kind == 'firmware':
                assert ect == rfc4108.id_ct_firmwarePackage
                fw, rest = decode(econtent, asn1Spec=rfc4108.FirmwarePkgData())
                assert not rest
                print('firmware', bytes(fw).hex())
                for attr in sd['signerInfos'][0]['signedAttrs']:
                    value = attr['attrValues'][0]
                    if attr['attrType'] == rfc4108.id_aa_targetHardwareIDs:
                        ids, rest = decode(value, asn1Spec=rfc4108.TargetHardwareIdentifiers())
                        assert not rest
                        print('target', ' '.join(str(i) for i in ids))
                    elif attr['attrType'] == rfc4108.id_aa_firmwarePackageID:
                        pid, rest = decode(value, asn1Spec=rfc4108.FirmwarePackageIdentifier())
                        assert not rest
                        print('name', bytes(pid['name']['legacy']).decode())
            elif kind == 'tamp':
                assert ect == rfc5934.id_ct_TAMP_statusQuery
                q, rest = decode(econtent, asn1Spec=rfc5934.TAMPStatusQuery())
                assert not rest
                print('target', q['query']['target'].getName(), 'seqNum', int(q['query']['seqNum']))
            """;

    @TempDir
    Path dir;

    @Test
    void theFirmwarePackageIsAnRfc4108Package() throws Exception {
        PackageFixtures.Signer vendor = PackageFixtures.signer("CN=Firmware Vendor");
        byte[] der = PackageFixtures.firmwarePackage(vendor, "router-fw-2.1", new byte[] {(byte) 0xca, (byte) 0xfe},
                FirmwareTargetsTest.ROUTER, FirmwareTargetsTest.SENSOR);
        assertEquals(List.of("firmware cafe", "name router-fw-2.1", "target " + FirmwareTargetsTest.ROUTER + " " + FirmwareTargetsTest.SENSOR),
                decode("firmware", der).stream().sorted().toList());
    }

    @Test
    void theTampStatusQueryIsAnRfc5934Query() throws Exception {
        byte[] der = PackageFixtures.tampStatusQuery(PackageFixtures.signer("CN=TAMP Manager"), 42);
        assertEquals(List.of("target allModules seqNum 42"), decode("tamp", der));
    }

    @Test
    void theSymmetricKeyPackageIsAnRfc6031Package() throws Exception {
        byte[] der = PackageFixtures.symmetricKeyPackage(new byte[] {1, 2, 3}, new byte[] {(byte) 0xff});
        assertEquals(List.of("version 1", "key 010203", "key ff"), decode("symmetrickeys", der));
    }

    private List<String> decode(String kind, byte[] der) throws Exception {
        Path file = dir.resolve(kind + ".der");
        Files.write(file, der);
        Process python = new ProcessBuilder("/usr/bin/python3", "-c", DECODE, kind, file.toString())
                .redirectErrorStream(true).start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        python.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, python.exitValue(), "pyasn1 decoding failed:\n" + out);
        return out.lines().toList();
    }
}

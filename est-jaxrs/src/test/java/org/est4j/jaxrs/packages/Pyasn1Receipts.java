package org.est4j.jaxrs.packages;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Decodes CMS messages with Debian's pyasn1-modules (rfc5652, rfc7191, rfc4108, rfc5934), not BouncyCastle: the
 * ContentInfo, the SignedData, the eContent with the spec its eContentType maps to (strict DER: re-encoding must
 * give the same octets, nothing may follow), and the firmwarePackageID signed attribute. Each message comes back
 * as its fields flattened to {@code path=value} ({@code type} is the eContentType; OCTET STRINGs in hex, named
 * numbers by name, {@code .der} the hex DER of a CHOICE or SEQUENCE) so a shared BouncyCastle mistake in
 * the builders and in est4j cannot hide.
 */
final class Pyasn1Receipts {

    private static final String SCRIPT = """
            import sys
            from pyasn1.codec.der import decoder, encoder
            from pyasn1.type import univ, char
            from pyasn1_modules import rfc5652, rfc7191, rfc4108, rfc5934

            def flat(obj, path, out):
                if isinstance(obj, (univ.Choice, univ.Sequence, univ.Set)):
                    out[path + '.der'] = encoder.encode(obj).hex()
                if isinstance(obj, univ.Choice):
                    name = obj.getName()
                    flat(obj.getComponent(), path + '.' + name if path else name, out)
                elif isinstance(obj, (univ.Sequence, univ.Set)):
                    for name in obj.keys():
                        comp = obj.getComponentByName(name, instantiate=False)
                        if comp is univ.noValue or not comp.isValue:
                            continue
                        flat(comp, path + '.' + name if path else name, out)
                elif isinstance(obj, (univ.SequenceOf, univ.SetOf)):
                    out[path + '.size'] = str(len(obj))
                    for i, comp in enumerate(obj):
                        flat(comp, path + '.' + str(i), out)
                elif isinstance(obj, univ.Null):  # before OctetString, which pyasn1 derives it from
                    out[path] = 'NULL'
                elif isinstance(obj, char.AbstractCharacterString):
                    out[path] = str(obj)
                elif isinstance(obj, univ.OctetString):
                    out[path] = bytes(obj).hex()
                elif isinstance(obj, univ.ObjectIdentifier):
                    out[path] = str(obj)
                elif isinstance(obj, (univ.Integer, univ.Enumerated)):
                    names = obj.namedValues
                    out[path] = names.getName(int(obj)) if names and names.getName(int(obj)) else str(int(obj))
                else:
                    out[path] = encoder.encode(obj).hex()

            def strict(der, spec):
                value, rest = decoder.decode(der, asn1Spec=spec)
                assert not rest, 'trailing octets'
                assert encoder.encode(value) == bytes(der), 'not DER'
                return value

            for path in sys.argv[1:]:
                der = open(path, 'rb').read()
                ci = strict(der, rfc5652.ContentInfo())
                assert ci['contentType'] == rfc5652.id_signedData, 'not SignedData'
                sd = strict(ci['content'], rfc5652.SignedData())
                eci = sd['encapContentInfo']
                out = {'type': str(eci['eContentType'])}
                spec = rfc5652.cmsContentTypesMap[eci['eContentType']]
                flat(strict(eci['eContent'], spec), '', out)
                for si in sd['signerInfos']:
                    for attr in (si['signedAttrs'] if si['signedAttrs'].isValue else []):
                        if attr['attrType'] == rfc4108.id_aa_firmwarePackageID:
                            flat(strict(attr['attrValues'][0], rfc4108.FirmwarePackageIdentifier()), 'firmwarePackageID', out)
                print('#')
                for k, v in out.items():
                    print(k + '=' + v)
            """;

    private Pyasn1Receipts() {
    }

    /** The fields of each message, in order. */
    static List<Map<String, String>> decode(byte[]... messages) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("pyasn1-receipts");
        try {
            List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", SCRIPT));
            for (int i = 0; i < messages.length; i++) {
                Path file = dir.resolve(i + ".der");
                Files.write(file, messages[i]);
                command.add(file.toString());
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("pyasn1-modules could not decode the messages:\n" + output);
            }
            List<Map<String, String>> decoded = new ArrayList<>();
            for (String line : output.split("\n")) {
                if (line.equals("#")) {
                    decoded.add(new LinkedHashMap<>());
                } else if (!line.isEmpty()) {
                    int equals = line.indexOf('=');
                    decoded.get(decoded.size() - 1).put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
            if (decoded.size() != messages.length) {
                throw new AssertionError("pyasn1-modules decoded " + decoded.size() + " of " + messages.length + " messages:\n" + output);
            }
            return decoded;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }
}

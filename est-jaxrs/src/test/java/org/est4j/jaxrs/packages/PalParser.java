package org.est4j.jaxrs.packages;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A package availability list as Python's {@code xml.etree.ElementTree} (namespace-aware) or {@code json} reads it,
 * not est4j: one {@link Message} per message. The Python side checks the document's shape (root element and
 * namespace, element order, a number for {@code size}) and prints each field percent-encoded.
 */
final class PalParser {

    /** One message; {@code info2} is the serial for {@code iasn}, null otherwise. */
    record Message(String type, long size, String infoKind, String info, String info2, String uri, String date) {
    }

    private static final String COMMON = """
            import sys, urllib.parse
            def q(s): return urllib.parse.quote(s, safe='')
            def out(t, size, kind, v1, v2, uri, date):
                print(' '.join(q(x) for x in [t, str(size), kind, v1, v2, uri, date]))
            """;

    private static final String XML = COMMON + """
            import xml.etree.ElementTree as ET
            NS = '{urn:ietf:params:xml:ns:pal}'
            root = ET.fromstring(sys.stdin.buffer.read())
            assert root.tag == NS + 'pal', root.tag
            for m in root:
                assert m.tag == NS + 'message', m.tag
                tags = [c.tag[len(NS):] for c in m]
                assert tags in (['type', 'size', 'info', 'uri'], ['type', 'date', 'size', 'info', 'uri']), tags
                info = m.find(NS + 'info')
                assert len(info) == 1, len(info)
                i = info[0]
                kind = i.tag[len(NS):]
                if kind == 'iasn':
                    v1, v2 = i.find(NS + 'issuer').text or '', i.find(NS + 'serial').text
                else:
                    v1, v2 = i.text or '', '-'
                d = m.find(NS + 'date')
                out(m.find(NS + 'type').text, int(m.find(NS + 'size').text), kind, v1, v2, m.find(NS + 'uri').text,
                    d.text if d is not None else '-')
            """;

    private static final String JSON = COMMON + """
            import json
            doc = json.loads(sys.stdin.buffer.read().decode('utf-8'))
            assert list(doc) == ['pal'], list(doc)
            assert list(doc['pal']) == ['message'], list(doc['pal'])
            for m in doc['pal']['message']:
                assert isinstance(m['size'], int), m['size']
                assert len(m['info']) == 1, m['info']
                kind, value = next(iter(m['info'].items()))
                if kind == 'iasn':
                    v1, v2 = value['issuer'], value['serial']
                else:
                    v1, v2 = value, '-'
                out(m['type'], m['size'], kind, v1, v2, m['uri'], m.get('date', '-'))
            """;

    private PalParser() {
    }

    static List<Message> xml(byte[] document) {
        return parse(External.python(XML, document));
    }

    static List<Message> json(byte[] document) {
        return parse(External.python(JSON, document));
    }

    private static List<Message> parse(String printed) {
        List<Message> messages = new ArrayList<>();
        for (String line : printed.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(" ", -1);
            messages.add(new Message(d(f[0]), Long.parseLong(d(f[1])), d(f[2]), d(f[3]), f[4].equals("-") ? null : d(f[4]), d(f[5]),
                    f[6].equals("-") ? null : d(f[6])));
        }
        return messages;
    }

    private static String d(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}

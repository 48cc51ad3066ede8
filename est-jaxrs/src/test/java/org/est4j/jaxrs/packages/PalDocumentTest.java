package org.est4j.jaxrs.packages;

import org.est4j.jaxrs.JsonStrings;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The writers alone, with text no certificate or package service should produce, read back by Python. */
class PalDocumentTest {

    /** Quotes, backslash, every C0 control, DEL, C1, U+2028/9, a pair, a lone high and a lone low surrogate, markup. */
    private static final String HOSTILE;

    static {
        StringBuilder s = new StringBuilder("\"q\" \\b\\ </pal>&amp; ]]> 'x' ");
        for (char c = 0; c < 0x20; c++) {
            s.append(c);
        }
        s.append('\u007f').append('\u0085').append('\u2028').append('\u2029').append("\uD83D\uDE00").append('\uD800').append('x')
                .append('\uDC00').append("\uFFFE\uFFFF é");
        HOSTILE = s.toString();
    }

    private static String codePoints(String s) {
        return s.chars().mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    @Test
    void jsonStringsSurviveAnyText() {
        String json = "[" + JsonStrings.quote(HOSTILE) + "]";
        String parsed = External.python("""
                import sys, json
                s = json.loads(sys.stdin.buffer.read().decode('utf-8'))[0]
                # UTF-16 code units, as Java counts them: a surrogate pair is two
                units = []
                for c in s:
                    o = ord(c)
                    if o > 0xFFFF:
                        o -= 0x10000
                        units += [0xD800 + (o >> 10), 0xDC00 + (o & 0x3FF)]
                    else:
                        units.append(o)
                print(' '.join(str(u) for u in units))
                """, json.getBytes(StandardCharsets.UTF_8)).strip();
        assertEquals(codePoints(HOSTILE), parsed);
    }

    @Test
    void xmlKeepsMarkupAsTextAndReplacesWhatXmlCannotCarry() {
        PalEntry entry = new PalEntry("0005", Optional.of(Instant.parse("2026-12-03T21:30:15.789Z")), 12, new PalEntry.Dn(HOSTILE),
                "https://est.example/.well-known/est/crls?a=1&b=<2>");
        byte[] xml = PalDocument.xml(List.of(entry));
        List<PalParser.Message> parsed = PalParser.xml(xml);
        assertEquals(1, parsed.size());
        assertEquals("https://est.example/.well-known/est/crls?a=1&b=<2>", parsed.get(0).uri());
        assertEquals("2026-12-03T21:30:15Z", parsed.get(0).date());
        // what XML 1.0 cannot carry became U+FFFD; all else, markup characters included, is unchanged
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < HOSTILE.length(); i++) {
            char c = HOSTILE.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < HOSTILE.length() && Character.isLowSurrogate(HOSTILE.charAt(i + 1));
            if (pair) {
                expected.append(c).append(HOSTILE.charAt(++i));
            } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == '\uFFFE' || c == '\uFFFF' || Character.isSurrogate(c)) {
                expected.append('\uFFFD');
            } else {
                expected.append(c);
            }
        }
        // an XML parser reads a CR as a line feed (XML 1.0 section 2.11)
        assertEquals(expected.toString().replace("\r", "\n"), parsed.get(0).info());
    }

    @Test
    void jsonAndXmlCarryTheSameFields() {
        List<PalEntry> entries = List.of(
                new PalEntry("0010", Optional.empty(), 0, new PalEntry.Iasn("CN=A\\, B", BigInteger.valueOf(123456789)), "u1"),
                new PalEntry("0026", Optional.of(Instant.parse("2026-01-02T03:04:05Z")), 99, PalEntry.Ski.of(new byte[] {1, (byte) 0xab}), "u2"),
                new PalEntry("0027", Optional.empty(), 0, new PalEntry.Uri("urn:x:\"y\""), "u3"));
        List<PalParser.Message> xml = PalParser.xml(PalDocument.xml(entries));
        assertEquals(xml, PalParser.json(PalDocument.json(entries)));
        assertEquals(new PalParser.Message("0010", 0, "iasn", "CN=A\\, B", "123456789", "u1", null), xml.get(0));
        assertEquals(new PalParser.Message("0026", 99, "ski", "01AB", null, "u2", "2026-01-02T03:04:05Z"), xml.get(1));
        assertEquals(new PalParser.Message("0027", 0, "uri", "urn:x:\"y\"", null, "u3", null), xml.get(2));
    }
}

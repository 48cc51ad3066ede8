package org.est4j.war.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/** What {@link JsonLine} writes, read back by an independent parser (Jackson). */
class JsonLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPECIAL = "\"\\/\n\r\t\b\f\u2028\u2029\u007f\u0085";

    @Test
    void hostileStringsStayInsideTheirValueAndTheLine() throws Exception {
        String hostile = "CN=a\",\"event\":\"issued\n{\"x\":1}\r\u0000\u001b[31m\\\u007f\u0085\u2028\u2029\ud800 end\udc00";
        String line = new JsonLine().string("subject", hostile).number("status", 403).strings("san", List.of("dns:a", "\"]")).toString();
        assertFalse(line.contains("\n") || line.contains("\r") || line.contains("\u2028") || line.contains("\u001b"), line);
        JsonNode node = JSON.readTree(line);
        assertEquals(3, node.size(), line);
        assertEquals(hostile, node.get("subject").asText());
        assertEquals(403, node.get("status").asInt());
        assertEquals("\"]", node.get("san").get(1).asText());
    }

    @Test
    void absentValuesLeaveTheirMemberOut() throws Exception {
        JsonNode node = JSON.readTree(new JsonLine().string("a", null).strings("b", List.of()).string("c", "").toString());
        assertEquals(1, node.size());
        assertEquals("", node.get("c").asText());
    }

    @Test
    void surrogatePairsAreKeptAsCharacters() {
        assertEquals("{\"k\":\"\ud83d\ude00\"}", new JsonLine().string("k", "\ud83d\ude00").toString());
        assertEquals("{\"k\":\"\\udc00\\ud800\"}", new JsonLine().string("k", "\udc00\ud800").toString());
    }

    /** Random strings of every kind of UTF-16 unit: each round-trips exactly, on one line of printable text. */
    @Test
    void fuzzRoundTrip() throws Exception {
        Random random = new Random(20261204L);
        for (int round = 0; round < 20_000; round++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                s.append(switch (random.nextInt(5)) {
                    case 0 -> (char) random.nextInt(0x100);           // ASCII, controls, Latin-1, C1
                    case 1 -> (char) (0xd800 + random.nextInt(0x800)); // surrogates, paired or not
                    case 2 -> SPECIAL.charAt(random.nextInt(SPECIAL.length()));
                    default -> (char) random.nextInt(0x10000);
                });
            }
            String value = s.toString();
            String line = new JsonLine().string("v", value).strings("w", List.of(value, "x")).toString();
            for (char c : line.toCharArray()) {
                assertTrue(c >= 0x20 && c != 0x7f && !(c >= 0x80 && c <= 0x9f) && c != 0x2028 && c != 0x2029,
                        () -> "raw control character in " + line);
            }
            JsonNode node = JSON.readTree(line);
            assertEquals(value, node.get("v").asText(), line);
            assertEquals(value, node.get("w").get(0).asText(), line);
        }
    }
}

package org.est4j.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** What reaches a log line or an error reply of a value a client controls. */
class ClientTextTest {

    @Test
    void plainTextIsLeftAsItIs() {
        String dn = "CN=device-1,O=Example Corp,C=DE";
        assertSame(dn, ClientText.quote(dn));
        assertEquals("Grüße, 東京", ClientText.quote("Grüße, 東京"));
    }

    @Test
    void lineBreaksCannotForgeALogRecord() {
        String forged = ClientText.quote("CN=a\r\nSEVERE: FAKE administrator login");
        assertEquals("CN=a\\r\\nSEVERE: FAKE administrator login", forged);
        assertFalse(forged.contains("\n") || forged.contains("\r"));
    }

    @Test
    void controlCharactersAndNulAreEscaped() {
        assertEquals("a\\x00b\\x1b[31mc\\td\\x7fe\\x85f", ClientText.quote("a\u0000b\u001b[31mc\td\u007fe\u0085f"));
    }

    @Test
    void bidiOverridesAndSeparatorsAreVisible() {
        assertEquals("invoice\\u202egnp.exe", ClientText.quote("invoice\u202egnp.exe"));
        assertEquals("a\\u2028b\\u2029c\\u2066d\\u200fe\\u061cf", ClientText.quote("a\u2028b\u2029c\u2066d\u200fe\u061cf"));
    }

    @Test
    void invalidUtf8ShowsAsItsReplacementCharacter() {
        String decoded = new String(new byte[] {'u', (byte) 0xc3, (byte) 0x28, 'x'}, StandardCharsets.UTF_8);
        assertEquals("u\\ufffd(x", ClientText.quote(decoded));
        assertEquals("lone \\ud800 surrogate", ClientText.quote("lone \ud800 surrogate"));
    }

    @Test
    void aBackslashCannotForgeAnEscape() {
        assertEquals("a\\\\nb", ClientText.quote("a\\nb"));
    }

    @Test
    void longTextIsCutAndTheCutIsSaid() {
        String user = "u".repeat(5000);
        String quoted = ClientText.quote(user);
        assertEquals("u".repeat(ClientText.LOG_LIMIT) + "...(+" + (5000 - ClientText.LOG_LIMIT) + " chars)", quoted);
        assertEquals("abc...(+3 chars)", ClientText.quote("abcdef", 3));
    }

    @Test
    void aSurrogatePairIsNeverCutInHalf() {
        String text = "ab\ud83d\ude00cd"; // an emoji at positions 2-3
        assertEquals("ab...(+4 chars)", ClientText.quote(text, 3));
        assertEquals("ab\ud83d\ude00...(+2 chars)", ClientText.quote(text, 4));
        assertTrue(ClientText.quote(text, 10).equals(text));
    }

    @Test
    void nullIsSaid() {
        assertEquals("null", ClientText.quote(null));
    }
}

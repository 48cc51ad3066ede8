package org.est4j.jaxrs.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.est4j.jaxrs.EstProtocolException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class Base64TransferTest {

    private static final byte[] DER = new byte[300];

    static {
        for (int i = 0; i < DER.length; i++) {
            DER[i] = (byte) (i * 7);
        }
        DER[0] = 0x30;
        DER[1] = (byte) 0x82;
    }

    private static final String FLAT = Base64.getEncoder().encodeToString(DER);

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void decodesSingleLine() {
        assertArrayEquals(DER, Base64Transfer.decode(ascii(FLAT)));
    }

    @Test
    void decodesMimeLinesWithCrlf() {
        assertArrayEquals(DER, Base64Transfer.decode(ascii(Base64.getMimeEncoder().encodeToString(DER) + "\r\n")));
    }

    @Test
    void decodesOddLineLengthsSpacesTabsAndLf() {
        StringBuilder messy = new StringBuilder();
        for (int i = 0; i < FLAT.length(); i += 13) {
            messy.append(i % 2 == 0 ? " \t" : "").append(FLAT, i, Math.min(FLAT.length(), i + 13)).append('\n');
        }
        assertArrayEquals(DER, Base64Transfer.decode(ascii(messy.toString())));
    }

    @Test
    void decodesPemArmourOfDraftClients() {
        String pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(DER)
                + "\n-----END CERTIFICATE REQUEST-----\n";
        assertArrayEquals(DER, Base64Transfer.decode(ascii(pem)));
    }

    @Test
    void decodesOldMacLineEndsAndIndentedArmour() {
        String pem = "  -----BEGIN CERTIFICATE REQUEST-----\r" + FLAT.substring(0, 40) + "\r\r" + FLAT.substring(40)
                + " \r\t-----END CERTIFICATE REQUEST-----\f";
        assertArrayEquals(DER, Base64Transfer.decode(ascii(pem)));
    }

    @Test
    void refusesANonAsciiOctetInsideTheText() {
        byte[] body = ascii(FLAT);
        body[10] = (byte) 0xC3;
        assertEquals(400, assertThrows(EstProtocolException.class, () -> Base64Transfer.decode(body)).status());
    }

    @Test
    void acceptsRawDer() {
        assertArrayEquals(DER, Base64Transfer.decode(DER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   \n", "not base64!", "QUJD=A==", "QUJDRA", "----BEGIN----\n****"})
    void refusesWhatIsNotBase64(String body) {
        EstProtocolException e = assertThrows(EstProtocolException.class, () -> Base64Transfer.decode(ascii(body)));
        assertEquals(400, e.status());
    }

    @Test
    void encodesIn64ColumnLinesEndingInLf() {
        String out = new String(Base64Transfer.encode(DER), StandardCharsets.US_ASCII);
        String[] lines = out.split("\n", -1);
        assertEquals("", lines[lines.length - 1], "ends with a line feed");
        for (int i = 0; i < lines.length - 2; i++) {
            assertEquals(64, lines[i].length(), "line " + i);
        }
        assertTrue(lines[lines.length - 2].length() <= 64);
        assertTrue(!out.contains("\r"));
        assertArrayEquals(DER, Base64.getMimeDecoder().decode(out));
    }
}

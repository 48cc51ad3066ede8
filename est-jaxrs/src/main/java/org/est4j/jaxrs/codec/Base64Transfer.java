package org.est4j.jaxrs.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.bouncycastle.util.encoders.Base64;
import org.est4j.jaxrs.EstProtocolException;

/**
 * The base64 transfer encoding of EST bodies (RFC 7030 section 4, clarified by RFC 8951 section 3.2).
 *
 * <p>Lenient on input: any line length or none, CRLF or LF, stray spaces and tabs, PEM armour lines
 * ({@code -----BEGIN ...-----}) as older draft-02 clients send, with or without a
 * {@code Content-Transfer-Encoding} header. Exact on output: 64-column lines ending in LF (RFC 7030
 * examples; GNU {@code base64 -d} rejects CR).
 */
public final class Base64Transfer {

    private static final int LINE = 64;

    private Base64Transfer() {
    }

    /**
     * Decodes an EST request body to DER.
     *
     * @throws EstProtocolException 400 if the body is empty or not base64
     */
    public static byte[] decode(byte[] body) {
        if (looksLikeDer(body)) {
            // Some clients post raw DER despite RFC 8951; the first octets of a DER SEQUENCE with a
            // long-form length can never be base64 text, so there is no ambiguity.
            return body;
        }
        // One pass over the bytes, line by line (CR, LF or CRLF): each line trimmed of white space, PEM
        // armour lines dropped, spaces and tabs inside a line dropped. (A regular-expression split here was
        // a fifth of an enrollment's Java CPU.)
        StringBuilder text = new StringBuilder(body.length);
        int lineStart = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i < body.length && body[i] != '\n' && body[i] != '\r') {
                continue;
            }
            int from = lineStart;
            int to = i;
            lineStart = i + 1;
            while (from < to && isWhitespace(body[from])) {
                from++;
            }
            while (to > from && isWhitespace(body[to - 1])) {
                to--;
            }
            if (to - from >= 5 && body[from] == '-' && body[from + 1] == '-' && body[from + 2] == '-' && body[from + 3] == '-'
                    && body[from + 4] == '-') {
                continue; // PEM armour
            }
            for (int j = from; j < to; j++) {
                byte c = body[j];
                if (c != ' ' && c != '\t') {
                    text.append(c < 0 ? '\uFFFD' : (char) c); // a non-ASCII octet is never base64
                }
            }
        }
        if (text.length() == 0) {
            throw EstProtocolException.badRequest("the request body is empty; expected a base64-encoded PKCS#10 request");
        }
        if (text.length() % 4 != 0 || !isBase64(text)) {
            throw EstProtocolException.badRequest("the request body is not valid base64");
        }
        try {
            return Base64.decode(text.toString());
        } catch (RuntimeException e) {
            throw EstProtocolException.badRequest("the request body is not valid base64");
        }
    }

    /** The ASCII octets {@link String#strip} removes: tab, LF, VT, FF, CR, the separators 0x1C-0x1F and space. */
    private static boolean isWhitespace(byte c) {
        return c == ' ' || c >= 0x09 && c <= 0x0D || c >= 0x1C && c <= 0x1F;
    }

    /** Encodes DER as base64 in 64-column lines, each ending in LF. */
    public static byte[] encode(byte[] der) {
        byte[] flat = Base64.encode(der);
        ByteArrayOutputStream out = new ByteArrayOutputStream(flat.length + flat.length / LINE + 1);
        for (int off = 0; off < flat.length; off += LINE) {
            out.write(flat, off, Math.min(LINE, flat.length - off));
            out.write('\n');
        }
        return out.toByteArray();
    }

    /**
     * PEM armour ({@code -----BEGIN <type>-----}, RFC 7468 layout) as draft-ietf-pkix-est-02 clients
     * expect, e.g. type {@code PKCS7}.
     */
    public static byte[] pem(String type, byte[] der) {
        java.io.StringWriter text = new java.io.StringWriter();
        try (org.bouncycastle.util.io.pem.PemWriter writer = new org.bouncycastle.util.io.pem.PemWriter(text)) {
            writer.writeObject(new org.bouncycastle.util.io.pem.PemObject(type, der));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString().replace("\r\n", "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static boolean looksLikeDer(byte[] body) {
        return body.length > 2 && body[0] == 0x30 && (body[1] & 0xff) >= 0x81 && (body[1] & 0xff) <= 0x84;
    }

    private static boolean isBase64(CharSequence s) {
        int padding = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=') {
                padding++;
            } else if (padding > 0 || !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/')) {
                return false;
            }
        }
        return padding <= 2;
    }
}

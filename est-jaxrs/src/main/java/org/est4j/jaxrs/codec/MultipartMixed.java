package org.est4j.jaxrs.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * The {@code multipart/mixed} body of a {@code /serverkeygen} response (RFC 7030 section 4.4.2): two
 * parts, each with its own {@code Content-Type} and, unless PEM-armoured, {@code Content-Transfer-Encoding: base64}.
 *
 * <p>Why not a MIME library: the shape is fixed (two parts, known headers, a boundary that cannot
 * occur in base64 or PEM text because it contains {@code -} runs followed by a random hex token), and
 * the header bytes must be exactly what libest compares. Parsing — where a library matters — is the
 * client's side; the tests parse it with BouncyCastle's EST client.
 */
public final class MultipartMixed {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One part: its media type and its body, already in transfer form. */
    public record Part(String contentType, boolean base64, byte[] body) {
    }

    private final String boundary;
    private final byte[] body;

    private MultipartMixed(String boundary, byte[] body) {
        this.boundary = boundary;
        this.body = body;
    }

    /** The {@code Content-Type} header value, with the boundary parameter. */
    public String contentType() {
        return "multipart/mixed; boundary=" + boundary;
    }

    public byte[] body() {
        return body.clone();
    }

    public static MultipartMixed of(List<Part> parts) {
        byte[] token = new byte[12];
        RANDOM.nextBytes(token);
        String boundary = "est4j-" + HexFormat.of().formatHex(token);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part part : parts) {
            write(out, "--" + boundary + "\r\n");
            write(out, "Content-Type: " + part.contentType() + "\r\n");
            if (part.base64()) {
                write(out, "Content-Transfer-Encoding: base64\r\n");
            }
            write(out, "\r\n");
            out.writeBytes(part.body());
            write(out, "\r\n");
        }
        write(out, "--" + boundary + "--\r\n");
        return new MultipartMixed(boundary, out.toByteArray());
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}

package org.est4j.jaxrs;


import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.est4j.jaxrs.codec.Base64Transfer;
import org.est4j.jaxrs.codec.MultipartMixed;
import org.est4j.jaxrs.policy.LabelPolicy;

/**
 * A finished EST response: status, headers as the exact strings to send, and the body. Built by the
 * protocol classes, turned into a JAX-RS response by the resources without any change.
 *
 * <p>Every reply carries {@code Content-Length}: libest refuses chunked responses.
 */
public record EstReply(int status, Map<String, String> headers, byte[] body) {

    public EstReply {
        headers = Map.copyOf(headers);
    }

    /** A base64-transfer-encoded DER body of {@code contentType} (RFC 7030 section 4, RFC 8951). */
    public static EstReply base64(int status, String contentType, byte[] der) {
        byte[] body = Base64Transfer.encode(der);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Content-Transfer-Encoding", "base64");
        headers.put("Content-Length", Integer.toString(body.length));
        return new EstReply(status, headers, body);
    }

    /**
     * A DER body in the label's dialect: RFC 7030 base64, or draft-02 PEM armour of {@code pemType}
     * (then without {@code Content-Transfer-Encoding}, which draft-02 did not have).
     */
    public static EstReply encoded(LabelPolicy.ResponseDialect dialect, int status, String contentType, String pemType, byte[] der) {
        if (dialect == LabelPolicy.ResponseDialect.RFC7030) {
            return base64(status, contentType, der);
        }
        byte[] body = Base64Transfer.pem(pemType, der);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Content-Length", Integer.toString(body.length));
        return new EstReply(status, headers, body);
    }

    /** A {@code multipart/mixed} body (server-side key generation), never cached: it may hold a private key. */
    public static EstReply multipart(MultipartMixed multipart) {
        byte[] body = multipart.body();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", multipart.contentType());
        headers.put("Cache-Control", "no-store");
        headers.put("Content-Length", Integer.toString(body.length));
        return new EstReply(200, headers, body);
    }

    /**
     * The challenge of HTTP authentication's first leg: 401, the challenges, and an empty
     * {@code text/plain} body (see {@link EstProtocolException#challenge} for why it is empty).
     */
    public static EstReply challenge(int status, Map<String, String> challengeHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(challengeHeaders);
        headers.put("Content-Type", EstMediaTypes.TEXT_PLAIN_UTF8);
        headers.put("Content-Length", "0");
        return new EstReply(status, headers, new byte[0]);
    }

    /** No body at all, {@code Content-Length: 0}. */
    public static EstReply empty(int status, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("Content-Length", "0");
        return new EstReply(status, headers, new byte[0]);
    }

    /** The longest reason an error line carries; reasons quote client text only through {@link ClientText}. */
    static final int MAX_REASON_CHARS = 512;

    /**
     * A one-line plain-text body: {@code "<status> <reason>\n"}. Whatever the reason holds, the body stays one
     * line of bounded length: a line break or control character left in it becomes a space.
     */
    public static EstReply text(int status, String reason, Map<String, String> extraHeaders) {
        byte[] body = (status + " " + oneLine(reason) + "\n").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("Content-Type", EstMediaTypes.TEXT_PLAIN_UTF8);
        headers.put("Content-Length", Integer.toString(body.length));
        return new EstReply(status, headers, body);
    }

    /**
     * Sends this reply through a servlet response (the filters in front of JAX-RS); a header value with
     * line breaks is several fields of that name, as {@link EstOperations.toResponse} sends it.
     */
    public void writeTo(jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
        response.setStatus(status);
        headers.forEach((name, value) -> {
            String[] fields = value.split("\n");
            response.setHeader(name, fields[0]);
            for (int i = 1; i < fields.length; i++) {
                response.addHeader(name, fields[i]);
            }
        });
        if (body.length > 0) {
            response.getOutputStream().write(body);
        }
    }

    private static String oneLine(String reason) {
        String r = reason == null || reason.isBlank() ? "refused" : reason;
        if (r.length() > MAX_REASON_CHARS) {
            r = r.substring(0, MAX_REASON_CHARS) + "...";
        }
        StringBuilder out = null;
        for (int i = 0; i < r.length(); i++) {
            char c = r.charAt(i);
            if (c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029') {
                if (out == null) {
                    out = new StringBuilder(r);
                }
                out.setCharAt(i, ' ');
            }
        }
        return out == null ? r : out.toString();
    }
}

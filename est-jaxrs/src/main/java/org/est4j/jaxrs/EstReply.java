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

    /** No body at all, {@code Content-Length: 0}. */
    public static EstReply empty(int status, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("Content-Length", "0");
        return new EstReply(status, headers, new byte[0]);
    }

    /** A one-line plain-text body: {@code "<status> <reason>\n"}. */
    public static EstReply text(int status, String reason, Map<String, String> extraHeaders) {
        byte[] body = (status + " " + reason + "\n").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("Content-Type", EstMediaTypes.TEXT_PLAIN_UTF8);
        headers.put("Content-Length", Integer.toString(body.length));
        return new EstReply(status, headers, body);
    }
}

package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;

/**
 * Plain HTTPS requests to the EST endpoint with {@code java.net.http}, for what a user sees on the wire
 * (status, exact header strings, body) — BouncyCastle's client hides those. Every reply is checked for the
 * invariants that hold for all EST responses: never a 500, never a stack trace or exception name.
 */
final class EstHttp {

    private final URI base;
    private final HttpClient client;
    private String authorization;
    private final java.util.Map<String, String> extraHeaders = new java.util.LinkedHashMap<>();

    EstHttp(URI base, SSLContext tls) {
        this.base = base;
        this.client = HttpClient.newBuilder()
                .sslContext(tls)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(20))
                .build();
    }

    /** Sends {@code Authorization: Basic ...} with every following request. */
    EstHttp basic(String user, String password) {
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Sends this header with every following request (e.g. a forged proxy header). */
    EstHttp header(String name, String value) {
        extraHeaders.put(name, value);
        return this;
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    Reply post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder builder = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder);
    }

    /** POSTs a DER PKCS#10 request the RFC 7030 way: base64 with line breaks, {@code application/pkcs10}. */
    Reply postCsr(String path, byte[] der) throws IOException, InterruptedException {
        return post(path, "application/pkcs10", Base64.getMimeEncoder().encode(der));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        extraHeaders.forEach(builder::header);
        return builder;
    }

    private Reply send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        HttpRequest request = builder.build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        Reply reply = new Reply(request.method() + " " + request.uri(), response);
        assertNotEquals(500, reply.status(), () -> "no request may end in a 500: " + reply);
        assertFalse(reply.text().contains("Exception"), () -> "a response body names an exception: " + reply);
        assertFalse(reply.text().contains("at org."), () -> "a response body carries a stack trace: " + reply);
        return reply;
    }

    /** One response as the client received it. */
    record Reply(String request, HttpResponse<byte[]> response) {

        int status() {
            return response.statusCode();
        }

        byte[] body() {
            return response.body();
        }

        String text() {
            return new String(response.body(), StandardCharsets.UTF_8);
        }

        Optional<String> header(String name) {
            List<String> values = response.headers().allValues(name);
            assertFalse(values.size() > 1, () -> "header " + name + " is repeated: " + values);
            return values.stream().findFirst();
        }

        /** The one value of a header that must be present. */
        String requiredHeader(String name) {
            return header(name).orElseThrow(() -> new AssertionError("no " + name + " header in " + this));
        }

        /** The base64-transfer-encoded DER body (RFC 7030 section 4 / RFC 8951). */
        byte[] base64Body() {
            assertEquals("base64", requiredHeader("Content-Transfer-Encoding"), this::toString);
            return Base64.getMimeDecoder().decode(body());
        }

        @Override
        public String toString() {
            return request + " -> " + status() + " " + response.headers().map() + " body: "
                    + (text().length() > 400 ? text().substring(0, 400) + "..." : text());
        }
    }
}

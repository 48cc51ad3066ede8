package org.est4j.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 over TLS written byte by byte, for requests no well-behaved client library sends: repeated or malformed
 * headers, raw non-ASCII octets, broken chunking. One request per connection ({@code Connection: close}).
 */
final class RawHttps {

    private final String host;
    private final int port;
    private final SSLContext tls;

    RawHttps(String host, int port, SSLContext tls) {
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    /** One response: status, header lines as sent, body. */
    record Response(int status, List<String> headers, byte[] body) {
        String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(h -> h.substring(prefix.length()).strip()).findFirst().orElse(null);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String t = text();
            return status + " " + headers + " body: " + (t.length() > 300 ? t.substring(0, 300) + "..." : t);
        }
    }

    /**
     * Sends {@code head} (request line and headers, without the blank line; {@code Host}, {@code Connection: close} and,
     * unless the head frames the body itself, {@code Content-Length} are added) and {@code body} as they are.
     */
    Response send(String head, byte[] body) throws IOException {
        return sendBytes(head.getBytes(StandardCharsets.ISO_8859_1), body);
    }

    Response sendBytes(byte[] head, byte[] body) throws IOException {
        String headText = new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        boolean framed = headText.contains("\r\ncontent-length:") || headText.contains("\r\ntransfer-encoding:");
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(host, port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(((framed ? "" : "\r\nContent-Length: " + body.length) + "\r\nHost: " + host + ":" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /**
     * Reads one response: up to its Content-Length when it has one (a server that refused a body it was promised
     * may keep the connection open to swallow the rest), else to the end of the stream.
     */
    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        byte[] separator = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int end = -1;
        long wanted = -1;
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                all.write(buffer, 0, n);
                if (end < 0) {
                    end = indexOf(all.toByteArray(), separator);
                    if (end >= 0) {
                        wanted = contentLength(new String(all.toByteArray(), 0, end, StandardCharsets.ISO_8859_1));
                    }
                }
                if (end >= 0 && wanted >= 0 && all.size() >= end + 4 + wanted) {
                    break;
                }
            }
        } catch (SocketTimeoutException | javax.net.ssl.SSLException e) {
            // the server closed without close_notify, or stopped sending: take what arrived
        }
        byte[] bytes = all.toByteArray();
        if (end < 0) {
            throw new IOException("no HTTP response head in " + bytes.length + " bytes");
        }
        String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        List<String> headers = new ArrayList<>(List.of(lines).subList(1, lines.length));
        byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, wanted >= 0 ? (int) Math.min(bytes.length, end + 4 + wanted) : bytes.length);
        boolean chunked = headers.stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).replace(" ", "").equals("transfer-encoding:chunked"));
        return new Response(status, headers, chunked ? dechunk(body) : body);
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring("content-length:".length()).strip());
            }
        }
        return -1;
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length) {
            int lineEnd = indexOf(java.util.Arrays.copyOfRange(body, i, body.length), new byte[] {'\r', '\n'});
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(new String(body, i, lineEnd, StandardCharsets.US_ASCII).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            out.write(body, i + lineEnd + 2, size);
            i += lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= data.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

package org.est4j.jaxrs.auth;

import java.util.Objects;

/**
 * The TLS channel binding of the connection a request came on (RFC 5929 tls-unique for TLS 1.2 and
 * earlier, RFC 9266 tls-exporter for TLS 1.3), as the TLS layer in front of est4j reported it. EST
 * clients put it, base64, in their CSR's challengePassword to tie the request to this TLS session
 * (RFC 7030 section 3.5).
 *
 * @param type  {@code tls-unique} or {@code tls-exporter}
 * @param value the binding's bytes
 */
public record ChannelBinding(String type, byte[] value) {

    public static final String TLS_UNIQUE = "tls-unique";
    public static final String TLS_EXPORTER = "tls-exporter";

    public ChannelBinding {
        Objects.requireNonNull(type, "type");
        value = value.clone();
        if (value.length == 0) {
            throw new IllegalArgumentException("an empty channel binding");
        }
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public String toString() {
        return "ChannelBinding[" + type + ", " + value.length + " bytes]";
    }
}

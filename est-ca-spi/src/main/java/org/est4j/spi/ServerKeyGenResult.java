package org.est4j.spi;

/**
 * What a server-side key generation produced: a key with its certificate ({@link GeneratedKey}) or a
 * promise ({@link Pending}, HTTP 202 and {@code Retry-After}). After a pending answer the client
 * repeats the same request; a new key is generated when the certificate is finally issued, so no
 * private key waits on the server.
 */
public sealed interface ServerKeyGenResult permits GeneratedKey, Pending {
}

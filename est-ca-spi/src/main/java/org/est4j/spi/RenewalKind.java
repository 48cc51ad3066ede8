package org.est4j.spi;

/** What a {@code /simplereenroll} asks for (RFC 7030 section 4.2.2). */
public enum RenewalKind {
    /** The request carries the public key of the current certificate: a new certificate for the same key. */
    RENEW,
    /** The request carries a new public key. */
    REKEY
}

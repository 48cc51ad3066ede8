package org.est4j.spi;

/**
 * What an enrollment produced: a certificate ({@link Issued}) or a promise ({@link Pending}).
 * "Pending" is a result, not an error: est4j answers it with HTTP 202 and {@code Retry-After}, and
 * the client repeats the same request later (RFC 7030 section 4.2.3).
 */
public sealed interface EnrollmentResult permits Issued, Pending {
}

package org.est4j.jaxrs.auth;

/**
 * One-time passwords or PINs sent with the empty user name (RFC 7030 section 3.2.3), as factories hand
 * them to devices. Each works once.
 */
public interface OneTimePasswords {

    /** None configured. */
    OneTimePasswords NONE = password -> false;

    /**
     * Consumes {@code password} if it is a valid, unused one-time password: atomically, so two requests
     * racing with the same password cannot both succeed, and durably before returning true.
     */
    boolean consume(char[] password);
}

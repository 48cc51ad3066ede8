package org.est4j.jaxrs.auth;

/** Checks HTTP user credentials. Implementations compare in constant time and never log passwords. */
public interface CredentialStore {

    /** Whether {@code password} is the password of {@code username}; false for an unknown user. */
    boolean verify(String username, char[] password);

    /**
     * Whether the store has this user. Used only to tell an unknown user (whose request may be queued
     * for manual authorization, RFC 7030 section 3.7) from a wrong password (always refused).
     */
    boolean knows(String username);
}

package org.est4j.jaxrs.auth;

/** Checks HTTP user credentials. Implementations compare in constant time and never log passwords. */
public interface CredentialStore {

    /** Whether {@code password} is the password of {@code username}; false for an unknown user. */
    boolean verify(String username, char[] password);
}

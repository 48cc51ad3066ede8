package org.est4j.jaxrs.auth;

import java.util.Map;

/**
 * est4j's own user store: user names mapped to Argon2id PHC hashes (see {@link PasswordHashes}).
 * Immutable; the WAR builds it from {@code users.properties}.
 */
public final class HashedCredentialStore implements CredentialStore {

    /**
     * Checked for unknown users so that "no such user" takes as long as "wrong password" and the
     * response time does not reveal which user names exist.
     */
    private static final String DUMMY_HASH = PasswordHashes.hash("not-a-password".toCharArray());

    private final Map<String, String> hashes;

    /**
     * @param usernameToPhcHash user name to Argon2id PHC hash
     * @throws IllegalArgumentException naming the first user whose hash is malformed
     */
    public HashedCredentialStore(Map<String, String> usernameToPhcHash) {
        usernameToPhcHash.forEach((user, hash) -> {
            if (!PasswordHashes.isWellFormed(hash)) {
                throw new IllegalArgumentException("user '" + user + "': the password hash is not an Argon2id PHC string");
            }
        });
        this.hashes = Map.copyOf(usernameToPhcHash);
    }

    @Override
    public boolean verify(String username, char[] password) {
        String hash = hashes.get(username);
        if (hash == null) {
            PasswordHashes.verify(DUMMY_HASH, password);
            return false;
        }
        return PasswordHashes.verify(hash, password);
    }

    /** How many users the store holds (for the start-up log). */
    @Override
    public boolean knows(String username) {
        return hashes.containsKey(username);
    }

    public int size() {
        return hashes.size();
    }
}

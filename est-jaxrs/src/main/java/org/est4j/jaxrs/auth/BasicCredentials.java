package org.est4j.jaxrs.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import org.bouncycastle.util.encoders.Base64;

/**
 * HTTP Basic credentials (RFC 7617): {@code Authorization: Basic base64(user ":" password)},
 * decoded as UTF-8. The user name may be empty (RFC 7030 section 3.2.3 allows an empty user with a
 * one-time password).
 *
 * @param username the user name
 * @param password the password; callers should {@link #wipe()} it after use
 */
public record BasicCredentials(String username, char[] password) {

    /** Thrown for an {@code Authorization: Basic} header that is not well formed. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException() {
            super("malformed HTTP Basic credentials", null, false, false);
        }
    }

    /**
     * The Basic credentials in an {@code Authorization} header; empty when the header is absent or
     * uses another scheme.
     */
    public static Optional<BasicCredentials> parse(String authorization) throws MalformedException {
        if (authorization == null) {
            return Optional.empty();
        }
        String header = authorization.strip();
        if (!scheme(header).equals("basic")) {
            return Optional.empty();
        }
        String token = header.substring("basic".length()).strip();
        if (token.isEmpty()) {
            throw new MalformedException();
        }
        byte[] decoded;
        try {
            decoded = Base64.decode(token);
        } catch (RuntimeException e) {
            throw new MalformedException();
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded));
            char[] all = new char[chars.remaining()];
            chars.get(all);
            Arrays.fill(chars.array(), '\0');
            int colon = -1;
            boolean control = false;
            for (int i = 0; i < all.length; i++) {
                if (all[i] == ':' && colon < 0) {
                    colon = i;
                }
                // RFC 7617 section 2: neither user-id nor password contains a control character
                control |= all[i] < 0x20 || all[i] == 0x7f;
            }
            if (colon < 0 || control) {
                Arrays.fill(all, '\0');
                throw new MalformedException();
            }
            String user = new String(all, 0, colon);
            char[] password = Arrays.copyOfRange(all, colon + 1, all.length);
            Arrays.fill(all, '\0');
            return Optional.of(new BasicCredentials(user, password));
        } catch (CharacterCodingException e) {
            throw new MalformedException();
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    /**
     * The authentication scheme of an {@code Authorization} value, in lower case: what precedes the first space or
     * tab (RFC 9110 section 11.4 separates it with spaces; some clients send a tab). Empty for null. Every reader of
     * the header decides the scheme here, so a value cannot be Basic to one and something else to another.
     */
    public static String scheme(String authorization) {
        if (authorization == null) {
            return "";
        }
        String header = authorization.strip();
        int end = 0;
        while (end < header.length() && header.charAt(end) != ' ' && header.charAt(end) != '\t') {
            end++;
        }
        return header.substring(0, end).toLowerCase(Locale.ROOT);
    }

    /** Overwrites the password in memory. */
    public void wipe() {
        Arrays.fill(password, '\0');
    }

    @Override
    public String toString() {
        return "BasicCredentials[" + username + ", ****]";
    }
}

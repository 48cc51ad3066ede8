package org.est4j.jaxrs.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.bouncycastle.util.encoders.Base64;

/**
 * Argon2id password hashes in the PHC string format
 * ({@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}), the format other tools (libsodium,
 * argon2 CLI, Python argon2-cffi) read and write, so an administrator can produce hashes elsewhere.
 *
 * <p>Why Argon2id: a memory-hard hash is what an auditor expects for stored passwords today; the
 * default cost is OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
 */
public final class PasswordHashes {

    private static final int MEMORY_KIB = 19 * 1024;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,})\\$([A-Za-z0-9+/]{22,})");

    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHashes() {
    }

    /** A fresh salted hash of {@code password} with the default cost. */
    public static String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM
                + "$" + unpadded(salt) + "$" + unpadded(hash);
    }

    /** Whether {@code phcHash} is well formed. */
    public static boolean isWellFormed(String phcHash) {
        return phcHash != null && PHC.matcher(phcHash).matches();
    }

    /**
     * Whether {@code password} matches {@code phcHash}, compared in constant time.
     *
     * @throws IllegalArgumentException if {@code phcHash} is not an Argon2id PHC string
     */
    public static boolean verify(String phcHash, char[] password) {
        Matcher m = PHC.matcher(phcHash);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an Argon2id PHC hash");
        }
        byte[] salt = Base64.decode(padded(m.group(4)));
        byte[] expected = Base64.decode(padded(m.group(5)));
        byte[] actual = argon2(password, salt, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] argon2(char[] password, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(lanes)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }

    private static String unpadded(byte[] bytes) {
        String s = new String(Base64.encode(bytes), StandardCharsets.US_ASCII);
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '=') {
            end--;
        }
        return s.substring(0, end);
    }

    private static String padded(String s) {
        return s + "==".substring(0, (4 - s.length() % 4) % 4);
    }
}

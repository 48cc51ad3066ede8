package org.est4j.jaxrs.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP Digest (RFC 7616) with {@code qop=auth}, SHA-256 or MD5 (for legacy clients such as libest).
 *
 * <p><b>Stateless nonces.</b> A nonce is its issue time, 8 random bytes and an HMAC-SHA256 over both and
 * the realm, keyed by a secret the deployment shares: every est4j instance with the same key accepts
 * every other's nonces, so a load balancer needs no stickiness. An authentic nonce older than its
 * lifetime is answered with {@code stale=true}, and the client retries without asking its user again.
 *
 * <p><b>Replay.</b> Within a nonce's lifetime each {@code nc} may be used once and must grow; the
 * highest seen per nonce is kept in memory (per instance) until the nonce expires.
 *
 * <p><b>Credentials.</b> The server never holds passwords: it compares against HA1 =
 * H(username:realm:password), stored per user and algorithm ({@link DigestCredentials}).
 *
 * <p>Why not a library: Digest server support exists only inside containers and frameworks
 * (Tomcat's authenticator, Spring Security's filter), none usable from a portable JAX-RS layer.
 */
public final class DigestAuthentication {

    /** Digest algorithms offered (RFC 7616 section 3.2). */
    public enum Algorithm {
        SHA_256("SHA-256"),
        MD5("MD5");

        private final String wireName;

        Algorithm(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        /** Lowercase hex of H(text). */
        public String hash(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance(wireName).digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(wireName + " is part of every JDK", e);
            }
        }

        public static Algorithm fromConfig(String value) {
            for (Algorithm a : values()) {
                if (a.wireName.equalsIgnoreCase(value)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("SHA-256 or MD5");
        }
    }

    /** The stored HA1 values: never passwords. */
    public interface DigestCredentials {
        /** Lowercase hex H(username:realm:password) for {@code algorithm}, if the user has one. */
        Optional<String> ha1(String username, Algorithm algorithm);
    }

    /** What {@link #verify} found. */
    public record Outcome(Optional<String> username, boolean stale, String failure) {
        static Outcome ok(String user) {
            return new Outcome(Optional.of(user), false, null);
        }

        static Outcome failed(String why) {
            return new Outcome(Optional.empty(), false, why);
        }

        static Outcome staleNonce() {
            return new Outcome(Optional.empty(), true, "the nonce has expired");
        }

        public boolean authenticated() {
            return username.isPresent();
        }
    }

    private static final int RANDOM_BYTES = 8;
    private static final int MAC_BYTES = 16;
    private static final int MAX_TRACKED_NONCES = 100_000;

    private final String realm;
    private final Algorithm algorithm;
    private final byte[] nonceKey;
    private final Duration lifetime;
    private final Clock clock;
    private final DigestCredentials credentials;
    private final SecureRandom random = new SecureRandom();
    private final String opaque;
    /** Highest nc seen per nonce, for nonces not yet expired. */
    private final Map<String, Long> nonceCounts = new ConcurrentHashMap<>();

    public DigestAuthentication(String realm, Algorithm algorithm, byte[] nonceKey, Duration lifetime, Clock clock,
                                DigestCredentials credentials) {
        this.realm = Objects.requireNonNull(realm, "realm");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        if (nonceKey.length < 16) {
            throw new IllegalArgumentException("the nonce key needs at least 16 bytes");
        }
        this.nonceKey = nonceKey.clone();
        this.lifetime = lifetime;
        this.clock = clock;
        this.credentials = credentials;
        // the same on every instance sharing the key; clients must echo it unchanged
        this.opaque = Base64.getUrlEncoder().withoutPadding().encodeToString(mac("opaque".getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The {@code WWW-Authenticate} value: a fresh nonce; {@code stale} after an expired one.
     *
     * <p>Every value is quoted, {@code algorithm} and {@code stale} included, although RFC 7616 section 3.3 asks
     * for tokens there: BouncyCastle's EST client (1.87) rejects any unquoted parameter ("Expecting start
     * quote"), while curl, browsers and libest read both forms.
     */
    public String challenge(boolean stale) {
        return "Digest realm=\"" + realm + "\", qop=\"auth\", algorithm=\"" + algorithm.wireName() + "\", nonce=\"" + newNonce()
                + "\", opaque=\"" + opaque + "\"" + (stale ? ", stale=\"true\"" : "");
    }

    /**
     * Checks an {@code Authorization: Digest ...} header for a request of {@code method} on {@code requestTarget}
     * (the path and query as sent on the request line).
     */
    public Outcome verify(String authorization, String method, String requestTarget) {
        Map<String, String> p = parameters(authorization.substring("Digest".length()));
        if (p == null) {
            return Outcome.failed("the Authorization header is not well-formed HTTP Digest (RFC 7616)");
        }
        String username = p.get("username");
        String nonce = p.get("nonce");
        String response = p.get("response");
        String uri = p.get("uri");
        String nc = p.get("nc");
        String cnonce = p.get("cnonce");
        if (username == null || nonce == null || response == null || uri == null || nc == null || cnonce == null) {
            return Outcome.failed("HTTP Digest needs username, nonce, uri, qop=auth, nc, cnonce and response");
        }
        if (!realm.equals(p.get("realm"))) {
            return Outcome.failed("HTTP Digest for another realm (this server's is \"" + realm + "\")");
        }
        if (!"auth".equals(p.get("qop"))) {
            return Outcome.failed("HTTP Digest must use qop=auth");
        }
        if (!algorithm.wireName().equalsIgnoreCase(p.getOrDefault("algorithm", "MD5"))) {
            return Outcome.failed("HTTP Digest must use algorithm " + algorithm.wireName() + " here");
        }
        if (p.containsKey("opaque") && !opaque.equals(p.get("opaque"))) {
            return Outcome.failed("the opaque value is not this server's");
        }
        if (!uri.equals(requestTarget)) {
            return Outcome.failed("the Digest uri does not name this request");
        }
        long issued = nonceIssueTime(nonce);
        if (issued < 0) {
            return Outcome.failed("the nonce was not issued by this server");
        }
        long count;
        try {
            count = Long.parseLong(nc, 16);
        } catch (NumberFormatException e) {
            return Outcome.failed("nc is not hexadecimal");
        }
        String ha1 = credentials.ha1(username, algorithm).orElse(null);
        // an unknown user costs the same hashing as a known one
        String ha1OrDummy = ha1 != null ? ha1 : algorithm.hash(username + ":" + realm + ":" + HexFormat.of().formatHex(nonceKey));
        String expected = response(algorithm, ha1OrDummy, nonce, nc, cnonce, method, uri);
        boolean match = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                response.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        if (ha1 == null || !match) {
            return Outcome.failed("wrong user name or password");
        }
        if (clock.millis() - issued > lifetime.toMillis()) {
            return Outcome.staleNonce();
        }
        if (!countOnce(nonce, count)) {
            return Outcome.failed("the nonce count was used before (a replayed request)");
        }
        return Outcome.ok(username);
    }

    /** RFC 7616 section 3.4.1 with qop=auth: H(HA1:nonce:nc:cnonce:auth:H(method:uri)). */
    static String response(Algorithm algorithm, String ha1, String nonce, String nc, String cnonce, String method, String uri) {
        return algorithm.hash(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + algorithm.hash(method + ":" + uri));
    }

    /** Records {@code count} for {@code nonce}; false when it does not exceed every earlier one. */
    private boolean countOnce(String nonce, long count) {
        if (nonceCounts.size() > MAX_TRACKED_NONCES) {
            long now = clock.millis();
            nonceCounts.keySet().removeIf(n -> now - nonceIssueTime(n) > lifetime.toMillis());
        }
        boolean[] fresh = {false};
        nonceCounts.compute(nonce, (n, last) -> {
            if (last == null || count > last) {
                fresh[0] = true;
                return count;
            }
            return last;
        });
        return fresh[0];
    }

    private String newNonce() {
        ByteBuffer b = ByteBuffer.allocate(8 + RANDOM_BYTES + MAC_BYTES);
        b.putLong(clock.millis());
        byte[] r = new byte[RANDOM_BYTES];
        random.nextBytes(r);
        b.put(r);
        byte[] mac = mac(java.util.Arrays.copyOf(b.array(), 8 + RANDOM_BYTES));
        b.put(mac, 0, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** The issue time of an authentic nonce, -1 for one this deployment did not make. */
    private long nonceIssueTime(String nonce) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (raw.length != 8 + RANDOM_BYTES + MAC_BYTES) {
            return -1;
        }
        byte[] expected = java.util.Arrays.copyOf(mac(java.util.Arrays.copyOf(raw, 8 + RANDOM_BYTES)), MAC_BYTES);
        if (!MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(raw, 8 + RANDOM_BYTES, raw.length))) {
            return -1;
        }
        return ByteBuffer.wrap(raw).getLong();
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(nonceKey, "HmacSHA256"));
            mac.update(data);
            mac.update(realm.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** {@code name=token} / {@code name="quoted"} pairs separated by commas (RFC 7235 auth-param); null when malformed. */
    static Map<String, String> parameters(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t' || text.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                return null;
            }
            String name = text.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            while (i < n && text.charAt(i) == ' ') {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '"') {
                i++;
                while (i < n && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
                if (i >= n) {
                    return null; // unterminated quoted string
                }
                i++;
            } else {
                while (i < n && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
            }
            if (name.isEmpty() || out.put(name, value.toString().strip()) != null) {
                return null; // empty or repeated parameter
            }
        }
        return out;
    }
}

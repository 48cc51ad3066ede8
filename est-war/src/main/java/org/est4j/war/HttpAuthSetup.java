package org.est4j.war;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.est4j.jaxrs.auth.DigestAuthentication;
import org.est4j.jaxrs.auth.OneTimePasswords;
import org.est4j.jaxrs.auth.FailureThrottle;
import org.est4j.jaxrs.auth.HttpAuthentication;
import org.est4j.war.config.ConfigException;
import org.est4j.war.config.Est4jConfig;

/**
 * Builds the deployment's {@link HttpAuthentication} from {@code EST_HOME}: the Digest nonce key
 * (created on first use: copy the file to every instance behind one load balancer), the stored HA1
 * values, the one-time passwords and the failure throttle.
 */
final class HttpAuthSetup {

    private HttpAuthSetup() {
    }

    static HttpAuthentication load(Path home, Est4jConfig config, OneTimePasswords oneTimePasswords) {
        Est4jConfig.HttpAuthSettings s = config.httpAuth();
        DigestAuthentication digest = new DigestAuthentication(config.basicRealm(),
                DigestAuthentication.Algorithm.fromConfig(s.digestAlgorithm()), nonceKey(home.resolve(s.digestKeyFile())),
                Duration.ofSeconds(s.digestNonceSeconds()), Clock.systemUTC(), ha1Store(home.resolve(s.digestUsersFile())));
        return new HttpAuthentication(Optional.of(digest), oneTimePasswords,
                new FailureThrottle(s.throttleFreeFailures(), s.throttleFreeFailuresPerAddress(), Duration.ofSeconds(s.throttleMaxDelaySeconds()), Clock.systemUTC(), 100_000),
                s.containerUsers() ? Optional.of(new HttpAuthentication.ContainerRealm(s.containerRole())) : Optional.empty());
    }

    private static byte[] nonceKey(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                SecureFiles.write(file, (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII),
                        SecureFiles.OWNER_ONLY);
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (key.length < 16) {
                throw new ConfigException(file + ": the Digest nonce key must be base64 of at least 16 bytes");
            }
            return key;
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(file + ": cannot read the Digest nonce key (base64 of at least 16 bytes): " + e.getMessage(), e);
        }
    }

    /** {@code name = SHA-256:<hex>,MD5:<hex>}; either entry may be missing. */
    static DigestAuthentication.DigestCredentials ha1Store(Path file) {
        Map<String, Map<DigestAuthentication.Algorithm, String>> users = new HashMap<>();
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new ConfigException(file + ": cannot be read: " + e.getMessage(), e);
            }
            for (String name : p.stringPropertyNames()) {
                Map<DigestAuthentication.Algorithm, String> values = new EnumMap<>(DigestAuthentication.Algorithm.class);
                for (String part : p.getProperty(name).split(",")) {
                    int colon = part.indexOf(':');
                    String hex = colon < 0 ? "" : part.substring(colon + 1).strip().toLowerCase(java.util.Locale.ROOT);
                    try {
                        DigestAuthentication.Algorithm a = DigestAuthentication.Algorithm.fromConfig(part.substring(0, Math.max(0, colon)).strip());
                        if (!hex.matches("[0-9a-f]+") || hex.length() != a.hash("").length()) {
                            throw new IllegalArgumentException();
                        }
                        values.put(a, hex);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(file + ": user '" + name + "': expected SHA-256:<64 hex>,MD5:<32 hex> (HA1 values)");
                    }
                }
                users.put(name, values);
            }
        }
        return (user, algorithm) -> Optional.ofNullable(users.getOrDefault(user, Map.of()).get(algorithm));
    }

    /** The line of {@code digest-users.properties} for a user with this password. */
    static String ha1Line(String user, String realm, char[] password) {
        String secret = user + ":" + realm + ":" + new String(password);
        return DigestAuthentication.Algorithm.SHA_256.wireName() + ":" + DigestAuthentication.Algorithm.SHA_256.hash(secret) + ","
                + DigestAuthentication.Algorithm.MD5.wireName() + ":" + DigestAuthentication.Algorithm.MD5.hash(secret);
    }
}

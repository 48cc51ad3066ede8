package org.est4j.war;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.est4j.jaxrs.codec.ResponseSigner;
import org.est4j.jaxrs.keygen.KeyEncryptionKeys;
import org.est4j.war.config.ConfigException;
import org.est4j.war.config.Est4jConfig;

/**
 * The keys the protocol layer uses besides the CAs': the CMS response signer (by default the HTTPS
 * server key, whose certificate carries {@code id-kp-cmcRA}) and the key-encryption keys of
 * server-side key generation. Read once at start; a bad file stops start-up with a message naming it
 * and never showing a key.
 */
final class ProtocolKeys {

    private static final System.Logger LOG = System.getLogger(ProtocolKeys.class.getName());

    private ProtocolKeys() {
    }

    static Optional<ResponseSigner> signer(Path home, Est4jConfig.SignerFiles files) {
        Path key = home.resolve(files.key());
        Path certs = home.resolve(files.certificates());
        if (!Files.exists(key) || !Files.exists(certs)) {
            LOG.log(System.Logger.Level.WARNING, "no response signer ({0}, {1}): /fullcmc and encrypted server-generated keys are off",
                    key, certs);
            return Optional.empty();
        }
        try {
            PrivateKey privateKey = Pem.readPrivateKey(key);
            List<X509Certificate> chain = Pem.readCertificates(certs);
            return Optional.of(new ResponseSigner(privateKey, chain));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(Est4jConfig.FILE_NAME + ": 'response-signer.key' / 'response-signer.certificates' ("
                    + key + ", " + certs + ") cannot be read as a PEM private key and certificate chain: " + e.getMessage(), e);
        }
    }

    static KeyEncryptionKeys keyEncryptionKeys(Path home, Est4jConfig.KeygenFiles files) {
        Map<String, SecretKey> symmetric = new LinkedHashMap<>();
        Path kekFile = home.resolve(files.kekFile());
        if (Files.exists(kekFile)) {
            warnIfReadableByOthers(kekFile);
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(kekFile, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(kekFile + ": cannot be read: " + e.getMessage(), e);
            }
            for (String id : new TreeSet<>(p.stringPropertyNames())) {
                String hexId = id.toLowerCase(Locale.ROOT);
                if (!hexId.matches("([0-9a-f]{2})+")) {
                    throw new ConfigException(kekFile + ": key identifier '" + id + "' must be hex (the bytes of the client's DecryptKeyIdentifier)");
                }
                byte[] key;
                try {
                    key = Base64.getDecoder().decode(p.getProperty(id).strip());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(kekFile + ": the key of '" + id + "' is not base64");
                }
                if (key.length != 16 && key.length != 24 && key.length != 32) {
                    throw new ConfigException(kekFile + ": the key of '" + id + "' must be an AES key of 16, 24 or 32 bytes");
                }
                symmetric.put(HexFormat.of().formatHex(HexFormat.of().parseHex(hexId)), new SecretKeySpec(key, "AES"));
            }
        }
        List<X509Certificate> recipients = new ArrayList<>();
        for (String name : files.recipientCertificates()) {
            try {
                recipients.addAll(Pem.readCertificates(home.resolve(name)));
            } catch (IOException e) {
                throw new ConfigException(Est4jConfig.FILE_NAME + ": 'server-keygen.recipient-certificates' names " + home.resolve(name)
                        + ", which is not a readable PEM certificate file", e);
            }
        }
        return new KeyEncryptionKeys(symmetric, recipients);
    }

    /** The RA trust anchors of {@code client-auth.ra-trust-anchors}. */
    static List<X509Certificate> raTrustAnchors(Path home, List<String> files) {
        List<X509Certificate> anchors = new ArrayList<>();
        for (String name : files) {
            try {
                anchors.addAll(Pem.readCertificates(home.resolve(name)));
            } catch (IOException e) {
                throw new ConfigException(Est4jConfig.FILE_NAME + ": 'client-auth.ra-trust-anchors' names " + home.resolve(name)
                        + ", which is not a readable PEM certificate file", e);
            }
        }
        return anchors;
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.log(System.Logger.Level.WARNING, "{0} holds secret keys but is readable by other users: chmod 600 it", file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }
}

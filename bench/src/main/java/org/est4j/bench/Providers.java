package org.est4j.bench;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/**
 * The JCA providers the bench compares, by name: {@code bouncycastle}, {@code jdk} (the JDK's own
 * providers, i.e. no explicit provider), {@code accp} (Amazon Corretto Crypto Provider, native AWS-LC)
 * and {@code conscrypt} (native BoringSSL). Provider instances are handed to the builders; nothing is
 * registered with {@code Security.addProvider}.
 */
public final class Providers {

    public static final String BOUNCYCASTLE = "bouncycastle";
    public static final String JDK = "jdk";
    public static final String ACCP = "accp";
    public static final String CONSCRYPT = "conscrypt";

    private Providers() {
    }

    /**
     * The provider named {@code name}; {@code null} for {@code jdk} (use the JDK's default lookup).
     *
     * @throws IllegalStateException when the provider cannot be loaded on this machine
     */
    public static Provider load(String name) {
        switch (name) {
            case JDK:
                return null;
            case BOUNCYCASTLE:
                return new org.bouncycastle.jce.provider.BouncyCastleProvider();
            case ACCP: {
                try {
                    Class<?> c = Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider");
                    Provider p = (Provider) c.getField("INSTANCE").get(null);
                    Throwable error = (Throwable) c.getMethod("getLoadingError").invoke(p);
                    if (error != null) {
                        throw new IllegalStateException("ACCP did not load: " + error, error);
                    }
                    return p;
                } catch (ReflectiveOperationException | LinkageError e) {
                    throw new IllegalStateException("ACCP is not available: " + e, e);
                }
            }
            case CONSCRYPT: {
                try {
                    Class<?> c = Class.forName("org.conscrypt.Conscrypt");
                    if (!(Boolean) c.getMethod("isAvailable").invoke(null)) {
                        throw new IllegalStateException("Conscrypt native library is not available");
                    }
                    return (Provider) c.getMethod("newProvider").invoke(null);
                } catch (ReflectiveOperationException | LinkageError e) {
                    throw new IllegalStateException("Conscrypt is not available: " + e, e);
                }
            }
            default:
                throw new IllegalArgumentException("unknown provider " + name + " (bouncycastle, jdk, accp, conscrypt)");
        }
    }

    /** Whether {@link #load} works for {@code name} here. */
    public static boolean available(String name) {
        try {
            load(name);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The first native provider that loads (accp, then conscrypt), else {@code jdk}. */
    public static String fastest() {
        if (available(ACCP)) {
            return ACCP;
        }
        if (available(CONSCRYPT)) {
            return CONSCRYPT;
        }
        return JDK;
    }

    public static KeyFactory keyFactory(String algorithm, Provider p) throws java.security.GeneralSecurityException {
        return p == null ? KeyFactory.getInstance(algorithm) : KeyFactory.getInstance(algorithm, p);
    }

    /** {@code spki} (DER SubjectPublicKeyInfo) as a public key of provider {@code p}. */
    public static PublicKey publicKey(byte[] spki, String algorithm, Provider p) throws java.security.GeneralSecurityException {
        return keyFactory(algorithm, p).generatePublic(new X509EncodedKeySpec(spki));
    }

    /** {@code pkcs8} (DER PrivateKeyInfo) as a private key of provider {@code p}. */
    public static PrivateKey privateKey(byte[] pkcs8, String algorithm, Provider p) throws java.security.GeneralSecurityException {
        return keyFactory(algorithm, p).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    /** "EC" or "RSA" from a key's OID-derived algorithm name ("ECDSA" counts as EC). */
    public static String family(String algorithm) {
        return algorithm.startsWith("EC") ? "EC" : algorithm;
    }

    /** The signature algorithm est4j's local CA uses for a CA key of this family (SHA-256 for both). */
    public static String signatureAlgorithm(String family) {
        return "RSA".equals(family) ? "SHA256withRSA" : "SHA256withECDSA";
    }
}

package org.est4j.war.config;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Key algorithms of the local CA, with the signature algorithm each signs with. */
public enum KeyAlgorithm {
    EC_P256("EC-P256", "SHA256withECDSA"),
    EC_P384("EC-P384", "SHA384withECDSA"),
    RSA_2048("RSA-2048", "SHA256withRSA"),
    RSA_3072("RSA-3072", "SHA256withRSA"),
    ED25519("Ed25519", "Ed25519");

    private final String configName;
    private final String signatureAlgorithm;

    KeyAlgorithm(String configName, String signatureAlgorithm) {
        this.configName = configName;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    public String configName() {
        return configName;
    }

    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** Tomcat's {@code <Certificate type=...>} for a server key of this algorithm. */
    public String tomcatType() {
        return this == RSA_2048 || this == RSA_3072 ? "RSA" : "EC";
    }

    public KeyPair generate() {
        try {
            return spec().generate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate " + configName + " keys", e);
        }
    }

    /** The same algorithm as the SPI's key-generation request (server-side key generation). */
    public org.est4j.spi.KeyGenerationSpec spec() {
        return switch (this) {
            case EC_P256 -> org.est4j.spi.KeyGenerationSpec.ec("secp256r1");
            case EC_P384 -> org.est4j.spi.KeyGenerationSpec.ec("secp384r1");
            case RSA_2048 -> org.est4j.spi.KeyGenerationSpec.rsa(2048);
            case RSA_3072 -> org.est4j.spi.KeyGenerationSpec.rsa(3072);
            case ED25519 -> org.est4j.spi.KeyGenerationSpec.of("Ed25519");
        };
    }

    public static KeyAlgorithm fromConfig(String value) {
        for (KeyAlgorithm a : values()) {
            if (a.configName.equalsIgnoreCase(value)) {
                return a;
            }
        }
        throw new IllegalArgumentException("expected one of " + allowed());
    }

    static String allowed() {
        return Arrays.stream(values()).map(KeyAlgorithm::configName).collect(Collectors.joining(", "));
    }
}

package org.est4j.spi;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * Which key pair {@code /serverkeygen} should create (RFC 7030 section 4.4), as JCA names: est4j
 * takes it from the label's configuration; a CA that generates keys itself (an HSM) reads it
 * from {@link ServerKeyGenRequest#keySpec()} and may apply its own policy instead.
 *
 * @param algorithm  the JCA {@link KeyPairGenerator} algorithm: {@code EC}, {@code RSA}, {@code Ed25519}...
 * @param parameters the generator parameters ({@link ECGenParameterSpec}, {@link RSAKeyGenParameterSpec}),
 *                   empty for algorithms that have none
 */
public record KeyGenerationSpec(String algorithm, Optional<AlgorithmParameterSpec> parameters) {

    public KeyGenerationSpec {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(parameters, "parameters");
    }

    /** An EC key on the named curve, e.g. {@code secp256r1}. */
    public static KeyGenerationSpec ec(String curve) {
        return new KeyGenerationSpec("EC", Optional.of(new ECGenParameterSpec(curve)));
    }

    /** An RSA key of {@code bits} with public exponent 65537. */
    public static KeyGenerationSpec rsa(int bits) {
        return new KeyGenerationSpec("RSA", Optional.of(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4)));
    }

    /** An algorithm without parameters, e.g. {@code Ed25519}. */
    public static KeyGenerationSpec of(String algorithm) {
        return new KeyGenerationSpec(algorithm, Optional.empty());
    }

    /** Generates a key pair with the JVM's default provider for the algorithm. */
    public KeyPair generate() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        if (parameters.isPresent()) {
            generator.initialize(parameters.get());
        }
        return generator.generateKeyPair();
    }

    @Override
    public String toString() {
        AlgorithmParameterSpec p = parameters.orElse(null);
        if (p instanceof ECGenParameterSpec ec) {
            return algorithm + " " + ec.getName();
        }
        if (p instanceof RSAKeyGenParameterSpec rsa) {
            return algorithm + " " + rsa.getKeysize();
        }
        return algorithm;
    }
}

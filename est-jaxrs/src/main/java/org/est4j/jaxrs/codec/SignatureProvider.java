package org.est4j.jaxrs.codec;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jcajce.io.OutputStreamFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * The JCA provider that computes est4j's signatures and signature checks: the CA's certificate
 * signatures, the proof-of-possession check of every request, CMS response signatures.
 * BouncyCastle stays the ASN.1, CMS and PKIX library; only these primitives move.
 *
 * <p>Why: the signature is most of an enrollment's CPU. A native provider (Amazon Corretto Crypto
 * Provider on AWS-LC, or Conscrypt on BoringSSL) signs and verifies P-256 four times faster than
 * BouncyCastle's pure Java and ten times faster than JDK 17's SunEC. With {@link Choice#AUTO} a native
 * provider is used when the container has one, and BouncyCastle otherwise.
 *
 * <p>Why est4j never calls {@code Security.addProvider} nor bundles the native jars: a web application
 * must not change the JVM-wide provider list, and a native library can be loaded only once per JVM, so a
 * WAR that carried one would fail on its second deployment. The administrator installs the provider for
 * the whole container (which also speeds up its TLS handshakes); est4j finds it there, either in the
 * provider list or on the container's class path, and passes the instance to BouncyCastle's builders.
 *
 * <p>The choice is made once per deployment ({@link #use}); until then, and in unit tests, BouncyCastle
 * is used. An algorithm the chosen provider lacks (Ed25519 on an older native build, say) falls back
 * to BouncyCastle per operation.
 */
public final class SignatureProvider {

    /** The {@code crypto.provider} setting. */
    public enum Choice {
        /** A native provider if the container offers one, else BouncyCastle. */
        AUTO,
        /** Amazon Corretto Crypto Provider; the deployment fails if it is missing or unhealthy. */
        ACCP,
        /** Conscrypt; the deployment fails if it is missing. */
        CONSCRYPT,
        /** BouncyCastle's pure-Java implementation. */
        BOUNCYCASTLE;

        /** Parses {@code auto}, {@code accp}, {@code conscrypt} or {@code bouncycastle} (any case). */
        public static Choice parse(String value) {
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("expected one of auto, accp, conscrypt, bouncycastle");
            }
        }
    }

    /** A chosen provider and the line the start-up log prints about it. */
    public record Selection(Provider provider, String description) {
    }

    private static final String ACCP_NAME = "AmazonCorrettoCryptoProvider";
    private static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
    private static final String CONSCRYPT_NAME = "Conscrypt";
    private static final String CONSCRYPT_CLASS = "org.conscrypt.Conscrypt";

    private static volatile Provider current = BouncyCastle.PROVIDER;

    private SignatureProvider() {
    }

    /**
     * Finds the provider for {@code choice}.
     *
     * @throws IllegalStateException when an explicitly chosen provider is missing or fails its self-test
     */
    public static Selection select(Choice choice) {
        List<String> problems = new ArrayList<>();
        switch (choice) {
            case BOUNCYCASTLE:
                return bouncyCastle("configured");
            case ACCP:
                return findAccp(problems).orElseThrow(() -> new IllegalStateException(
                        "crypto.provider = accp, but Amazon Corretto Crypto Provider is neither installed in the JVM nor on the "
                                + "container's class path" + reasons(problems)));
            case CONSCRYPT:
                return findConscrypt(problems).orElseThrow(() -> new IllegalStateException(
                        "crypto.provider = conscrypt, but Conscrypt is neither installed in the JVM nor on the container's class path"
                                + reasons(problems)));
            default:
                Optional<Selection> found = findAccp(problems).or(() -> findConscrypt(problems));
                return found.orElseGet(() -> bouncyCastle("no native provider in the container" + reasons(problems)));
        }
    }

    /** Makes {@code provider} the one this deployment signs and verifies with. */
    public static void use(Provider provider) {
        current = provider;
    }

    /** The provider in use. */
    public static Provider current() {
        return current;
    }

    /**
     * A signer for {@code algorithm} (a JCA name such as {@code SHA256withECDSA}) with {@code key},
     * preferring the provider in use.
     */
    public static ContentSigner signer(String algorithm, PrivateKey key) throws OperatorCreationException {
        Provider p = current;
        if (p != BouncyCastle.PROVIDER) {
            try {
                // build() looks the algorithm up and initialises it with the key: it fails here if the provider cannot
                return new JcaContentSignerBuilder(algorithm).setProvider(p).build(key);
            } catch (OperatorCreationException | RuntimeException e) {
                // the provider lacks this algorithm or key type: BouncyCastle has it
            }
        }
        return new JcaContentSignerBuilder(algorithm).setProvider(BouncyCastle.PROVIDER).build(key);
    }

    /**
     * A signer for {@code algorithm} with {@code key} computed by {@code provider} only: for a key that lives in a
     * device, such as a PKCS#11 token's non-extractable key, which only the provider instance holding it can use
     * (no fallback: any other provider would need the key's bytes).
     */
    public static ContentSigner signer(String algorithm, PrivateKey key, Provider provider) throws OperatorCreationException {
        return new JcaContentSignerBuilder(algorithm).setProvider(provider).build(key);
    }

    /**
     * {@code key} as an object of the provider in use, so that each signature skips the provider's
     * conversion of a foreign key. Keys the provider cannot take are returned unchanged.
     */
    public static PrivateKey adopt(PrivateKey key) {
        Provider p = current;
        if (p == BouncyCastle.PROVIDER || key.getEncoded() == null) {
            return key;
        }
        try {
            return KeyFactory.getInstance(key.getAlgorithm(), p).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            return key;
        }
    }

    /**
     * A verifier for signatures by the key in {@code keyInfo}. The key is decoded by the provider's own
     * key factory under its JCA name: BouncyCastle's {@code build(SubjectPublicKeyInfo)} looks the factory
     * up by OID, which JDK 17's SunEC and the native providers do not register.
     *
     * @throws OperatorCreationException if no provider can decode the key
     */
    public static ContentVerifierProvider verifier(SubjectPublicKeyInfo keyInfo) throws OperatorCreationException {
        Provider p = current;
        String keyAlgorithm = RequestFields.jcaKeyAlgorithm(keyInfo.getAlgorithm().getAlgorithm());
        if (p == BouncyCastle.PROVIDER || keyAlgorithm == null) {
            return bouncyCastleVerifier(keyInfo);
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance(keyAlgorithm, p).generatePublic(new X509EncodedKeySpec(keyInfo.getEncoded()));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return bouncyCastleVerifier(keyInfo); // not this provider's key type, or a key it refuses: BouncyCastle decides
        }
        return new NativeVerifiers(p, key, keyInfo);
    }

    private static ContentVerifierProvider bouncyCastleVerifier(SubjectPublicKeyInfo keyInfo) throws OperatorCreationException {
        return new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(keyInfo);
    }

    /**
     * Verifiers straight from {@code Signature}: BouncyCastle's JCA builder also prepares a "raw" signature
     * object per verification, which with a native provider cost more than the verification itself.
     * Signature algorithms with parameters (RSASSA-PSS) and those the provider lacks go to BouncyCastle.
     */
    private record NativeVerifiers(Provider provider, PublicKey key, SubjectPublicKeyInfo keyInfo) implements ContentVerifierProvider {

        private static final Map<ASN1ObjectIdentifier, String> NAMES = Map.of(
                X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA256withECDSA",
                X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA384withECDSA",
                X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA512withECDSA",
                PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA256withRSA",
                PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA384withRSA",
                PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA512withRSA",
                EdECObjectIdentifiers.id_Ed25519, "Ed25519");

        @Override
        public boolean hasAssociatedCertificate() {
            return false;
        }

        @Override
        public X509CertificateHolder getAssociatedCertificate() {
            return null;
        }

        @Override
        public ContentVerifier get(AlgorithmIdentifier algorithm) throws OperatorCreationException {
            String name = NAMES.get(algorithm.getAlgorithm());
            if (name == null) {
                return bouncyCastleVerifier(keyInfo).get(algorithm);
            }
            Signature signature;
            try {
                signature = Signature.getInstance(name, provider);
                signature.initVerify(key);
            } catch (GeneralSecurityException e) {
                return bouncyCastleVerifier(keyInfo).get(algorithm);
            }
            OutputStream stream = OutputStreamFactory.createStream(signature);
            return new ContentVerifier() {
                @Override
                public AlgorithmIdentifier getAlgorithmIdentifier() {
                    return algorithm;
                }

                @Override
                public OutputStream getOutputStream() {
                    return stream;
                }

                @Override
                public boolean verify(byte[] expected) {
                    try {
                        return signature.verify(expected);
                    } catch (SignatureException e) {
                        return false; // a malformed signature value does not verify
                    }
                }
            };
        }
    }

    private static Selection bouncyCastle(String why) {
        return new Selection(BouncyCastle.PROVIDER, "BouncyCastle " + BouncyCastle.PROVIDER.getVersionStr()
                + " (pure Java; " + why + ")");
    }

    /** Why native candidates were passed over, for the start-up line. */
    private static String reasons(List<String> problems) {
        return problems.isEmpty() ? "" : "; " + String.join("; ", problems);
    }

    private static Optional<Selection> findAccp(List<String> problems) {
        Provider installed = Security.getProvider(ACCP_NAME);
        String origin = "installed in the JVM's provider list";
        try {
            if (installed == null) {
                Class<?> type = Class.forName(ACCP_CLASS, true, SignatureProvider.class.getClassLoader());
                installed = (Provider) type.getField("INSTANCE").get(null);
                origin = origin(type);
            }
            Method loadingError = installed.getClass().getMethod("getLoadingError");
            Throwable error = (Throwable) loadingError.invoke(installed);
            if (error != null) {
                problems.add("Amazon Corretto Crypto Provider did not load: " + error.getMessage());
                return Optional.empty();
            }
            return selfTested(installed, problems, "Amazon Corretto Crypto Provider " + installed.getVersionStr() + " (native AWS-LC, " + origin + ")");
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            return Optional.empty();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            problems.add("Amazon Corretto Crypto Provider did not load: " + e);
            return Optional.empty();
        }
    }

    private static Optional<Selection> findConscrypt(List<String> problems) {
        Provider installed = Security.getProvider(CONSCRYPT_NAME);
        String origin = "installed in the JVM's provider list";
        try {
            if (installed == null) {
                Class<?> type = Class.forName(CONSCRYPT_CLASS, true, SignatureProvider.class.getClassLoader());
                if (!(Boolean) type.getMethod("isAvailable").invoke(null)) {
                    problems.add("Conscrypt's native library is not available on this platform");
                    return Optional.empty();
                }
                installed = (Provider) type.getMethod("newProvider").invoke(null);
                origin = origin(type);
            }
            return selfTested(installed, problems, "Conscrypt " + installed.getVersionStr() + " (native BoringSSL, " + origin + ")");
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            return Optional.empty();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            problems.add("Conscrypt did not load: " + e);
            return Optional.empty();
        }
    }

    /** Where the provider class came from; a copy inside the WAR is worth a warning in the log line. */
    private static String origin(Class<?> type) {
        return type.getClassLoader() == SignatureProvider.class.getClassLoader()
                ? "loaded from the web application: install it in the container instead, a redeployment cannot load its "
                        + "native library a second time"
                : "from the container's class path";
    }

    /** A P-256 sign-and-verify round trip, so a broken native build is caught at start and not per request. */
    private static Optional<Selection> selfTested(Provider provider, List<String> problems, String description) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            byte[] message = {'e', 's', 't', '4', 'j'};
            Signature signer = Signature.getInstance("SHA256withECDSA", provider);
            signer.initSign(pair.getPrivate());
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA", provider);
            verifier.initVerify(pair.getPublic());
            verifier.update(message);
            if (!verifier.verify(signature)) {
                problems.add(provider.getName() + " failed its self-test (a P-256 signature did not verify)");
                return Optional.empty();
            }
            return Optional.of(new Selection(provider, description));
        } catch (GeneralSecurityException | RuntimeException e) {
            problems.add(provider.getName() + " failed its self-test: " + e);
            return Optional.empty();
        }
    }
}

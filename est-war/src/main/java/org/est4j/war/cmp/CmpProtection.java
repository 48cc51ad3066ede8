package org.est4j.war.cmp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.cmp.CMPObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.CMPException;
import org.bouncycastle.cert.cmp.ProtectedPKIMessage;
import org.bouncycastle.cert.cmp.ProtectedPKIMessageBuilder;
import org.bouncycastle.cert.crmf.PKMACBuilder;
import org.bouncycastle.cert.crmf.jcajce.JcePKMACValuesCalculator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.MacCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcePBMac1CalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePBMac1CalculatorProviderBuilder;

import org.est4j.jaxrs.codec.BouncyCastle;
import org.est4j.spi.CaUpstreamException;
import org.est4j.war.Pem;
import org.est4j.war.config.CmpSettings;
import org.est4j.war.config.ConfigException;
import org.est4j.war.config.Pkcs11Settings;
import org.est4j.war.localca.Pkcs11Key;

/**
 * How est4j protects its CMP requests and checks the protection of the upstream's responses (RFC 9483 section 3.2,
 * RFC 9481 section 6): a MAC with the shared secret (PBMAC1 or PasswordBasedMac), or a signature with the RA's key and
 * certificate. The RA key is a PEM file or sits in a PKCS#11 token, where it stays: the token's provider computes every
 * signature. A response must carry a protection est4j can verify: a MAC with the same secret, or a signature by the
 * pinned upstream certificate ({@code cmp.server-certificate}); anything else is refused, errors included.
 */
final class CmpProtection {

    /** PBMAC1's PBKDF2 iterations: RFC 9481 section 6.1.1 asks for at least 1000; ten times that costs ~10 ms. */
    private static final int PBKDF2_ITERATIONS = 10_000;

    private final CmpSettings.Protection mode;
    private final CmpSettings.MacAlgorithm macAlgorithm;
    private final char[] secret;
    private final byte[] reference;
    private final PrivateKey raKey;
    /** Signs with {@link #raKey}: BouncyCastle for a PEM key, the token's own provider for a token key. */
    private final Provider signingProvider;
    private final List<X509CertificateHolder> raCertificates;
    private final Optional<X509CertificateHolder> serverCertificate;

    private CmpProtection(CmpSettings.Protection mode, CmpSettings.MacAlgorithm macAlgorithm, char[] secret, byte[] reference,
                          PrivateKey raKey, Provider signingProvider, List<X509CertificateHolder> raCertificates,
                          Optional<X509CertificateHolder> serverCertificate) {
        this.mode = mode;
        this.macAlgorithm = macAlgorithm;
        this.secret = secret;
        this.reference = reference;
        this.raKey = raKey;
        this.signingProvider = signingProvider;
        this.raCertificates = raCertificates;
        this.serverCertificate = serverCertificate;
    }

    /** Reads the secret or the RA key and certificates that {@code settings} name, relative to {@code home}. */
    static CmpProtection load(CmpSettings settings, Path home) throws IOException {
        Optional<X509CertificateHolder> server = settings.serverCertificate().isPresent()
                ? Optional.of(holders(home.resolve(settings.serverCertificate().get())).get(0)) : Optional.empty();
        byte[] ref = settings.reference().map(r -> r.getBytes(StandardCharsets.UTF_8)).orElse(null);
        if (settings.protection() == CmpSettings.Protection.MAC) {
            String value;
            if (settings.secretFile().isPresent()) {
                value = Files.readString(home.resolve(settings.secretFile().get()), StandardCharsets.UTF_8).strip();
            } else {
                value = System.getenv(settings.secretEnv().get());
                if (value == null || value.isEmpty()) {
                    throw new IOException("the environment variable " + settings.secretEnv().get()
                            + " (ca." + settings.name() + ".cmp.mac.secret-env) is not set");
                }
            }
            if (value.isEmpty()) {
                throw new IOException("the shared secret of CMP CA '" + settings.name() + "' is empty");
            }
            return new CmpProtection(settings.protection(), settings.macAlgorithm(), value.toCharArray(), ref, null, null, List.of(),
                    server);
        }
        String prefix = "CMP CA '" + settings.name() + "': ";
        PrivateKey key;
        Provider provider;
        List<X509CertificateHolder> certs;
        String keyName;
        if (settings.signatureToken().isPresent()) {
            Pkcs11Settings token = settings.signatureToken().get();
            Pkcs11Key opened = Pkcs11Key.open(settings.name(), token, home);
            keyName = "the key '" + token.keyLabel() + "' in " + token.tokenDescription();
            key = opened.privateKey();
            if (key == null) {
                // SunPKCS11 lists a key under a label only when a certificate with the same CKA_ID sits next to it
                throw new ConfigException(prefix + token.tokenDescription() + " has no private key labelled '" + token.keyLabel()
                        + "' (ca." + settings.name() + ".pkcs11.key-label) with a certificate next to it");
            }
            provider = opened.provider();
            if (settings.signatureCertificates().isPresent()) {
                certs = holders(home.resolve(settings.signatureCertificates().get()));
            } else {
                X509Certificate own = opened.certificate();
                if (own == null) {
                    throw new ConfigException(prefix + token.tokenDescription() + " keeps no certificate under '" + token.keyLabel()
                            + "': name the RA certificate with ca." + settings.name() + ".cmp.signature.certificates");
                }
                certs = holders(List.of(own), token.tokenDescription());
            }
        } else {
            keyName = "the key " + settings.signatureKey().get() + " (ca." + settings.name() + ".cmp.signature.key)";
            key = Pem.readPrivateKey(home.resolve(settings.signatureKey().get()));
            provider = BouncyCastle.PROVIDER;
            certs = holders(home.resolve(settings.signatureCertificates().get()));
        }
        if (certs.isEmpty()) {
            throw new ConfigException(prefix + "ca." + settings.name() + ".cmp.signature.certificates holds no certificate");
        }
        CmpProtection protection = new CmpProtection(settings.protection(), settings.macAlgorithm(), null, ref, key, provider, certs,
                server);
        if (!protection.signsForRaCertificate()) {
            throw new ConfigException(prefix + keyName + " is not the key of the RA certificate "
                    + certs.get(0).getSubject() + ": the upstream would refuse every signature");
        }
        return protection;
    }

    /**
     * Whether a signature by the RA key verifies with the RA certificate's public key: checked once at start, with the
     * very signer that protects the messages, so that a key/certificate mix-up is a configuration error and not an
     * upstream refusal of every request.
     */
    private boolean signsForRaCertificate() throws IOException {
        byte[] probe = "est4j RA key check".getBytes(StandardCharsets.US_ASCII);
        ContentSigner signer;
        byte[] signature;
        try {
            signer = signer();
            try (java.io.OutputStream out = signer.getOutputStream()) {
                out.write(probe);
            }
            signature = signer.getSignature();
        } catch (OperatorCreationException | RuntimeException e) {
            // a token refusing the operation (CKR_*) surfaces as a runtime exception from the signer
            throw new IOException("the RA key cannot sign: " + e.getMessage(), e);
        }
        try {
            ContentVerifier verifier = new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                    .build(raCertificates.get(0)).get(signer.getAlgorithmIdentifier());
            try (java.io.OutputStream out = verifier.getOutputStream()) {
                out.write(probe);
            }
            return verifier.verify(signature);
        } catch (OperatorCreationException | java.security.cert.CertificateException | RuntimeException e) {
            return false; // the certificate holds a key of another type: not the RA key's
        }
    }

    /** A MAC-protecting instance, for tests. */
    static CmpProtection mac(CmpSettings.MacAlgorithm algorithm, char[] secret, byte[] reference,
                             Optional<X509CertificateHolder> serverCertificate) {
        return new CmpProtection(CmpSettings.Protection.MAC, algorithm, secret.clone(), reference, null, null, List.of(),
                serverCertificate);
    }

    /** A signing instance, for tests. */
    static CmpProtection signature(PrivateKey key, List<X509CertificateHolder> certificates, X509CertificateHolder serverCertificate) {
        return new CmpProtection(CmpSettings.Protection.SIGNATURE, null, null, null, key, BouncyCastle.PROVIDER, certificates,
                Optional.of(serverCertificate));
    }

    private static List<X509CertificateHolder> holders(Path file) throws IOException {
        return holders(Pem.readCertificates(file), file.toString());
    }

    private static List<X509CertificateHolder> holders(List<X509Certificate> certificates, String where) throws IOException {
        List<X509CertificateHolder> out = new java.util.ArrayList<>();
        for (X509Certificate c : certificates) {
            try {
                out.add(new X509CertificateHolder(c.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IOException(where + ": not a valid certificate", e);
            }
        }
        return out;
    }

    /** est4j's name in the {@code sender} field: the RA certificate's subject, or the empty name with a MAC (RFC 9483 3.1). */
    GeneralName sender() {
        return new GeneralName(mode == CmpSettings.Protection.SIGNATURE ? raCertificates.get(0).getSubject() : new X500Name(""));
    }

    /** The upstream's subject, when its certificate is pinned: the default {@code recipient}. */
    Optional<X500Name> serverName() {
        return serverCertificate.map(X509CertificateHolder::getSubject);
    }

    /** Completes {@code builder} with senderKID and extraCerts, and protects the message. */
    ProtectedPKIMessage protect(ProtectedPKIMessageBuilder builder) throws CaUpstreamException {
        try {
            if (mode == CmpSettings.Protection.MAC) {
                if (reference != null) {
                    builder.setSenderKID(reference);
                }
                return builder.build(macCalculator());
            }
            X509CertificateHolder own = raCertificates.get(0);
            Extension ski = own.getExtension(Extension.subjectKeyIdentifier);
            if (ski != null) {
                builder.setSenderKID(SubjectKeyIdentifier.getInstance(ski.getParsedValue()).getKeyIdentifier());
            }
            raCertificates.forEach(builder::addCMPCertificate); // RFC 9483 3.3: the protection certificate first, then its chain
            return builder.build(signer());
        } catch (CMPException | OperatorCreationException | GeneralSecurityException e) {
            throw new CaUpstreamException("est4j could not protect its CMP request", e);
        }
    }

    private MacCalculator macCalculator() throws OperatorCreationException, GeneralSecurityException {
        if (macAlgorithm == CmpSettings.MacAlgorithm.PASSWORD_BASED_MAC) {
            try {
                return new PKMACBuilder(new JcePKMACValuesCalculator().setProvider(BouncyCastle.PROVIDER)).build(secret);
            } catch (org.bouncycastle.cert.crmf.CRMFException e) {
                throw new GeneralSecurityException(e.getMessage(), e);
            }
        }
        return new JcePBMac1CalculatorBuilder("HmacSHA256", 256).setPrf(JcePBMac1CalculatorBuilder.PRF_SHA256)
                .setIterationCount(PBKDF2_ITERATIONS).setSaltLength(16).setProvider(BouncyCastle.PROVIDER).build(secret);
    }

    private ContentSigner signer() throws OperatorCreationException {
        String algorithm = switch (raKey.getAlgorithm()) {
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new OperatorCreationException("the RA key's algorithm " + raKey.getAlgorithm() + " cannot sign CMP messages");
        };
        return new JcaContentSignerBuilder(algorithm).setProvider(signingProvider).build(raKey);
    }

    /**
     * Refuses a response whose protection is missing or does not verify: a MAC must verify with the shared secret, a
     * signature with the pinned upstream certificate's key.
     */
    void verify(ProtectedPKIMessage response) throws CaUpstreamException {
        boolean valid;
        try {
            if (response.hasPasswordBasedMacProtection() || isPbmac1(response)) {
                if (secret == null) {
                    throw new CaUpstreamException("the upstream CA's response is MAC-protected, but est4j shares no secret with it "
                            + "(cmp.protection = signature)");
                }
                valid = response.verify(response.hasPasswordBasedMacProtection()
                        ? new PKMACBuilder(new JcePKMACValuesCalculator().setProvider(BouncyCastle.PROVIDER))
                        : new JcePBMac1CalculatorProviderBuilder().setProvider(BouncyCastle.PROVIDER).build(), secret);
            } else {
                if (serverCertificate.isEmpty()) {
                    throw new CaUpstreamException("the upstream CA's response is signed, but no cmp.server-certificate is "
                            + "configured to verify it");
                }
                valid = response.verify(new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                        .build(serverCertificate.get()));
                if (valid && response.getHeader().getSenderKID() != null) {
                    // a different key id names another signer: refuse it rather than trust a name mismatch
                    Extension ski = serverCertificate.get().getExtension(Extension.subjectKeyIdentifier);
                    valid = ski == null || Arrays.equals(SubjectKeyIdentifier.getInstance(ski.getParsedValue()).getKeyIdentifier(),
                            response.getHeader().getSenderKID().getOctets());
                }
            }
        } catch (CMPException | OperatorCreationException | java.security.cert.CertificateException | RuntimeException e) {
            throw new CaUpstreamException("the upstream CA's response protection could not be verified", e);
        }
        if (!valid) {
            throw new CaUpstreamException("the upstream CA's response protection does not verify (wrong shared secret or signer)");
        }
    }

    private static boolean isPbmac1(ProtectedPKIMessage response) {
        return PKCSObjectIdentifiers.id_PBMAC1.equals(response.getProtectionAlgorithm().getAlgorithm());
    }

    /** Whether {@code oid} is one of the MAC algorithms this class knows (for tests and messages). */
    static boolean isMac(org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
        return CMPObjectIdentifiers.passwordBasedMac.equals(oid) || PKCSObjectIdentifiers.id_PBMAC1.equals(oid);
    }
}

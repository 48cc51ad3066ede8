package org.est4j.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Client-side PKI for the integration tests: keys, CSRs, certificates, TLS contexts, certs-only PKCS#7. */
final class Pki {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Pki() {
    }

    /** BouncyCastle's EST client converts and validates certificates with the "BC" provider: the test JVM needs it. */
    static void registerBouncyCastle() {
        if (java.security.Security.getProvider("BC") == null) {
            java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
        }
    }

    static X509Certificate readCertificate(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    static KeyPair p256() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    static KeyPair rsa2048() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, RANDOM);
        return generator.generateKeyPair();
    }

    /** A PKCS#10 request signed by {@code keys}, asking for {@code dnsNames} as subjectAltName when there are any. */
    static PKCS10CertificationRequest csr(KeyPair keys, String subject, String... dnsNames) throws IOException {
        JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keys.getPublic());
        if (dnsNames.length > 0) {
            GeneralName[] names = new GeneralName[dnsNames.length];
            for (int i = 0; i < dnsNames.length; i++) {
                names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
            }
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
        }
        return builder.build(signer(keys.getPrivate()));
    }

    /** A self-signed end-entity certificate usable for TLS client authentication, from no CA the server knows. */
    static X509Certificate selfSigned(KeyPair keys, String subject) throws GeneralSecurityException, IOException {
        X500Name name = new X500Name(subject);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        X509CertificateHolder holder = builder.build(signer(keys.getPrivate()));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder("RSA".equals(key.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA").build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The certificates of a certs-only CMS SignedData (RFC 7030 section 4.1.3 / 4.2.3), after checking that it
     * really is one: no signers.
     */
    static List<X509Certificate> certsOnly(byte[] der) throws CMSException, GeneralSecurityException {
        CMSSignedData signedData = new CMSSignedData(der);
        if (!signedData.getSignerInfos().getSigners().isEmpty()) {
            throw new AssertionError("a certs-only response must have no signers, found " + signedData.getSignerInfos().size());
        }
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> out = new ArrayList<>();
        for (X509CertificateHolder holder : signedData.getCertificates().getMatches(null)) {
            out.add(converter.getCertificate(holder));
        }
        return out;
    }

    static List<X509Certificate> toCertificates(Collection<X509CertificateHolder> holders) throws GeneralSecurityException {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> out = new ArrayList<>();
        for (X509CertificateHolder holder : holders) {
            out.add(converter.getCertificate(holder));
        }
        return out;
    }

    /** RFC 5280 path validation of {@code leaf} against {@code anchor} only (throws when it fails). */
    static void pkixValidate(X509Certificate leaf, X509Certificate anchor) throws GeneralSecurityException {
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
    }

    static X509Certificate parseDer(byte[] der) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    /** A TLS context that trusts only {@code anchor} and presents {@code clientKeyManager} (may be null). */
    static SSLContext tls(X509Certificate anchor, KeyManager clientKeyManager) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("est-ca", anchor);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(clientKeyManager == null ? null : new KeyManager[] {clientKeyManager}, tmf.getTrustManagers(), RANDOM);
        return context;
    }

    /**
     * A client key manager that always offers its one certificate, whatever CA names the server's
     * CertificateRequest lists: the JDK's own key managers would silently send no certificate at all
     * when the issuer is not in that list, and the test would not exercise what it claims to.
     */
    static X509ExtendedKeyManager clientKey(PrivateKey key, X509Certificate... chain) {
        return new X509ExtendedKeyManager() {
            private static final String ALIAS = "client";

            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[] {ALIAS};
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return ALIAS;
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                return ALIAS;
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return chain.clone();
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return key;
            }
        };
    }

    /**
     * BouncyCastle's EST client over BCJSSE and TLS 1.2 with a channel-binding provider, so that
     * {@code simpleEnrollPoP} puts the session's tls-unique into the CSR (RFC 7030 section 3.5).
     */
    static org.bouncycastle.est.ESTService tlsUniqueClient(EstTarget target, String label) {
        javax.net.ssl.X509TrustManager[] trust = org.bouncycastle.est.jcajce.JcaJceUtils.getCertPathTrustManager(
                java.util.Set.of(new java.security.cert.TrustAnchor(target.ca(), null)), null);
        return new org.bouncycastle.est.jcajce.JsseESTServiceBuilder(target.authority(), trust)
                .withProvider(new org.bouncycastle.jsse.provider.BouncyCastleJsseProvider())
                .withTLSVersion("TLSv1.2")
                .withChannelBindingProvider(new org.bouncycastle.est.jcajce.ChannelBindingProvider() {
                    @Override
                    public boolean canAccessChannelBinding(java.net.Socket socket) {
                        return socket instanceof org.bouncycastle.jsse.BCSSLSocket;
                    }

                    @Override
                    public byte[] getChannelBinding(java.net.Socket socket, String binding) {
                        return ((org.bouncycastle.jsse.BCSSLSocket) socket).getConnection().getChannelBinding(binding);
                    }
                })
                .withLabel(label)
                .build();
    }
}

package org.est4j.war.localca;

import java.io.Closeable;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.est4j.jaxrs.codec.SignatureProvider;
import org.est4j.war.Pem;
import org.est4j.war.SecureFiles;
import org.est4j.war.config.CaSettings;

/**
 * One embedded CA: a self-signed root kept in {@code EST_HOME/ca/<name>/} ({@code ca-key.pem}, mode
 * 0600, and {@code ca.pem}; or, with {@code ca.<name>.key-store = pkcs11}, the key inside a PKCS#11 token,
 * {@link Pkcs11Key}, and only {@code ca.pem} on disk) that issues end-entity certificates with random serial numbers
 * recorded in its {@link IssuedCertificates}, each pointing at this CA's CRL ({@link CrlPublisher}, {@code crl.der}).
 *
 * <p>The CA key is stored unencrypted, protected by file permissions: this CA is meant to get a
 * deployment going. A production PKI plugs its own CA in through the SPI.
 */
public final class LocalCa implements Closeable {

    /**
     * A request the certificate builder cannot turn into a certificate (an extension it refuses): the client's
     * to fix, not a CA failure. The request policy refuses such requests first; this is the last line.
     */
    public static final class UnsignableRequestException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsignableRequestException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** What to put in an end-entity certificate. */
    public record Profile(X500Principal subject, PublicKey publicKey, GeneralNames subjectAltNames, List<String> ekus) {
    }

    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** Opens the records of a CA once its certificate is known (a shared store checks that every instance has the same). */
    @FunctionalInterface
    public interface RecordsOpener {
        CaRecords open(String caName, Path dir, X509Certificate caCertificate) throws IOException;
    }

    private final CaSettings settings;
    private final PrivateKey key;
    /** The provider holding {@link #key} when it is in a PKCS#11 token; null for a key file. */
    private final java.security.Provider keyProvider;
    private final X509Certificate certificate;
    private final IssuedCertificates log;
    private final CaRecords records;
    private final AuthorityKeyIdentifier authorityKeyIdentifier;
    private final X500Name issuerName;
    private volatile Validity currentValidity;
    private final CrlPublisher crls;
    /** RFC 5280 section 4.2.1.13: where relying parties fetch the CRL that covers each issued certificate. */
    private final CRLDistPoint crlDistributionPoint;

    private LocalCa(CaSettings settings, PrivateKey key, java.security.Provider keyProvider, X509Certificate certificate,
                    CaRecords records) throws GeneralSecurityException, IOException {
        this.settings = settings;
        this.records = records;
        this.keyProvider = keyProvider;
        // once, not a key conversion per signature; a token's key stays with the provider that holds it
        this.key = keyProvider == null ? SignatureProvider.adopt(key) : key;
        this.certificate = certificate;
        this.log = records.issued();
        this.authorityKeyIdentifier = new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate);
        this.issuerName = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        this.crlDistributionPoint = new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(new DistributionPointName(
                new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, settings.crlDistributionPoint().toASCIIString()))),
                null, null)});
        this.crls = new CrlPublisher(records.crls(), issuerName, certificate.getPublicKey(), authorityKeyIdentifier, records.revocations(),
                Duration.ofHours(settings.crlValidityHours()), () -> signer(settings, this.key, keyProvider), Clock.systemUTC());
    }

    /**
     * Opens the CA in {@code dir} ({@code EST_HOME/ca/<name>}), creating its key and certificate on first use; a relative
     * {@code ca.<name>.pkcs11.pin-file} is resolved against {@code dir}'s grandparent, EST_HOME.
     */
    public static LocalCa openOrCreate(Path dir, CaSettings settings) throws IOException {
        Path home = dir.toAbsolutePath().getParent();
        return openOrCreate(dir, settings, home.getParent() == null ? home : home.getParent());
    }

    /** Opens the CA in {@code dir} with its records in files there, creating key and certificate on first use. */
    public static LocalCa openOrCreate(Path dir, CaSettings settings, Path home) throws IOException {
        return openOrCreate(dir, settings, home, (name, d, cert) -> CaRecords.inDirectory(d));
    }

    /**
     * Opens the CA in {@code dir}, creating its key and certificate on first use; {@code home} is EST_HOME, {@code records}
     * opens where it records what it does.
     */
    public static LocalCa openOrCreate(Path dir, CaSettings settings, Path home, RecordsOpener records) throws IOException {
        SecureFiles.createPrivateDirectory(dir);
        Path keyFile = dir.resolve("ca-key.pem");
        Path certFile = dir.resolve("ca.pem");
        try {
            PrivateKey key;
            X509Certificate cert;
            java.security.Provider keyProvider = null;
            if (settings.pkcs11() != null) {
                TokenKey inToken = openInToken(dir, settings, home);
                key = inToken.key();
                cert = inToken.certificate();
                keyProvider = inToken.provider();
            } else {
                if (!Files.exists(keyFile)) {
                    KeyPair pair = settings.keyAlgorithm().generate();
                    X509Certificate root = selfSigned(settings, pair, null);
                    // key first: a certificate without its key would be useless, a key without certificate is redone
                    SecureFiles.write(keyFile, Pem.privateKey(pair.getPrivate()), SecureFiles.OWNER_ONLY);
                    SecureFiles.write(certFile, Pem.certificates(List.of(root)), SecureFiles.READABLE);
                }
                key = Pem.readPrivateKey(keyFile);
                cert = Pem.readCertificates(certFile).get(0);
            }
            CaRecords opened = records.open(settings.name(), dir, cert);
            try {
                return new LocalCa(settings, key, keyProvider, cert, opened);
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                opened.close();
                throw e;
            }
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("local CA " + settings.name() + " in " + dir + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** A CA key in a PKCS#11 token, the provider holding it and the CA certificate. */
    private record TokenKey(PrivateKey key, java.security.Provider provider, X509Certificate certificate) {
    }

    /** Opens the CA key in its token, generating it there and self-signing the CA certificate at the first start. */
    private static TokenKey openInToken(Path dir, CaSettings settings, Path home)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        try {
            Pkcs11Key token = Pkcs11Key.open(settings.name(), settings.pkcs11(), home);
            PrivateKey key = token.privateKey();
            X509Certificate cert = fromToken(dir, settings, token, key);
            if (key == null) {
                KeyPair pair = token.generate(settings.keyAlgorithm());
                cert = selfSigned(settings, pair, token.provider());
                // the token first: a ca.pem without its key would be useless; a labelled key without ca.pem is
                // picked up from the token at the next start
                token.store(pair.getPrivate(), cert);
                SecureFiles.write(dir.resolve("ca.pem"), Pem.certificates(List.of(cert)), SecureFiles.READABLE);
                key = pair.getPrivate();
            }
            return new TokenKey(key, token.provider(), cert);
        } catch (IOException e) {
            throw new IOException("local CA " + settings.name() + " in " + dir + " cannot be used: " + e.getMessage(), e);
        }
    }

    /**
     * The CA certificate of a CA whose key is in a token, when the token has the key: {@code ca.pem}, or the copy the
     * token keeps (a second instance on the same token, whose {@code ca.pem} is then written); null when the token has
     * no key yet and there is no {@code ca.pem}, a first start.
     */
    private static X509Certificate fromToken(Path dir, CaSettings settings, Pkcs11Key token, PrivateKey key)
            throws IOException, GeneralSecurityException {
        Path certFile = dir.resolve("ca.pem");
        String where = settings.pkcs11().tokenDescription() + " (ca." + settings.name() + ".pkcs11.key-label = '"
                + settings.pkcs11().keyLabel() + "')";
        if (key == null) {
            if (Files.exists(certFile)) {
                throw new IOException(certFile + " exists but its key is not in " + where
                        + ": wrong token or label, or the token was re-initialised");
            }
            return null;
        }
        X509Certificate cert;
        if (Files.exists(certFile)) {
            cert = Pem.readCertificates(certFile).get(0);
        } else {
            cert = token.certificate();
            if (cert == null) {
                throw new IOException("the key in " + where + " has no certificate in the token, and there is no " + certFile);
            }
            SecureFiles.write(certFile, Pem.certificates(List.of(cert)), SecureFiles.READABLE);
        }
        if (!token.matches(key, cert.getPublicKey())) {
            throw new IOException("the public key of " + certFile + " is not the one of the key in " + where);
        }
        return cert;
    }

    public String name() {
        return settings.name();
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Certificates of this CA revoked through CMC or {@code Admin revoke}. */
    public Revocations revocations() {
        return records.revocations();
    }

    /**
     * This CA's current CRL ({@code ca/<name>/crl.der}): every revocation of {@link #revocations()}, made anew when
     * that grew or half of the CRL's validity ({@code ca.<name>.crl-validity-hours}) passed.
     */
    public X509CRL crl() throws IOException {
        return crls.current();
    }

    /** Requests of this CA waiting for an administrator. */
    public ApprovalQueue approvals() {
        return records.approvals();
    }

    /** Whether this CA issued (or is issuing) a certificate with {@code serial}. */
    public boolean hasIssued(BigInteger serial) throws IOException {
        return log.contains(serial);
    }

    /**
     * Whether {@code certificate} names this CA as its issuer: the issuer name and, when the certificate carries
     * one, its authority key identifier. Its signature was checked by PKIX validation before this is asked.
     */
    public boolean isIssuerOf(X509Certificate certificate) {
        if (!certificate.getIssuerX500Principal().equals(this.certificate.getSubjectX500Principal())) {
            return false;
        }
        byte[] aki = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        if (aki == null) {
            return true;
        }
        byte[] keyId = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(aki).getOctets()).getKeyIdentifier();
        return keyId == null || java.util.Arrays.equals(keyId, authorityKeyIdentifier.getKeyIdentifier());
    }

    /**
     * Signs a few bytes with the CA key: whether the key can sign now (a PKCS#11 token may have gone away, or lost its
     * session). For readiness probes.
     */
    public void checkKey() throws IOException {
        try {
            ContentSigner s = signer(settings, key, keyProvider);
            s.getOutputStream().write(PROBE);
            if (s.getSignature().length == 0) {
                throw new IOException("an empty signature");
            }
        } catch (OperatorCreationException | RuntimeException e) {
            throw new IOException("local CA " + settings.name() + ": the key cannot sign: " + e.getMessage(), e);
        }
    }

    private static final byte[] PROBE = "est4j readiness".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Issues an end-entity certificate and records it durably before returning it. */
    public X509Certificate issue(Profile profile) throws IOException {
        Validity validity = validity();
        boolean emptySubject = profile.subject().getEncoded().length <= 2;
        try {
            // The serial is drawn first so that signatures run in parallel; the record is durable before the
            // certificate is returned. A shared store may refuse a serial another instance took: sign again.
            for (int attempt = 0; attempt < 8; attempt++) {
                X509Certificate issued = sign(profile, validity, emptySubject, log.newSerial());
                if (log.record(issued.getSerialNumber(), issued)) {
                    return issued;
                }
            }
            // eight random 127-bit serials taken: not chance, a store that refuses every record
            throw new IOException("local CA " + settings.name() + ": the store refused eight new serials in a row");
        } catch (CertIOException e) {
            throw new UnsignableRequestException(e.getMessage(), e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("local CA " + settings.name() + " could not sign: " + e.getMessage(), e);
        }
    }

    private X509Certificate sign(Profile profile, Validity validity, boolean emptySubject, BigInteger serial)
            throws CertIOException, GeneralSecurityException, OperatorCreationException {
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuerName, serial, validity.notBefore(), validity.notAfter(),
                X500Name.getInstance(profile.subject().getEncoded()), SubjectPublicKeyInfo.getInstance(profile.publicKey().getEncoded()));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsageFor(profile.publicKey())));
        if (!profile.ekus().isEmpty()) {
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    profile.ekus().stream().map(o -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(o)))
                            .toArray(KeyPurposeId[]::new)));
        }
        if (profile.subjectAltNames() != null) {
            // RFC 5280 section 4.2.1.6: critical when the subject is empty
            b.addExtension(Extension.subjectAlternativeName, emptySubject, profile.subjectAltNames());
        }
        // a new JcaX509ExtensionUtils per certificate: its SHA-1 calculator is not thread-safe
        b.addExtension(Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(profile.publicKey()));
        b.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier);
        b.addExtension(Extension.cRLDistributionPoints, false, crlDistributionPoint);
        try {
            return Pem.toJdk(b.build(signer(settings, key, keyProvider)));
        } catch (IllegalArgumentException e) {
            throw new UnsignableRequestException(e.getMessage(), e);
        }
    }

    /** The validity of certificates issued in the current second. */
    private record Validity(long epochSecond, Time notBefore, Time notAfter) {
    }

    /**
     * Validity times change once a second but cost a date formatting each (BouncyCastle's {@code Time}),
     * so they are made once per second and shared.
     */
    private Validity validity() {
        long second = Instant.now().getEpochSecond();
        Validity v = currentValidity;
        if (v != null && v.epochSecond() == second) {
            return v;
        }
        Instant now = Instant.ofEpochSecond(second);
        Instant notAfter = now.plus(Duration.ofDays(settings.certValidityDays()));
        Instant caNotAfter = certificate.getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter; // RFC 5280: a certificate should not outlive its issuer
        }
        v = new Validity(second, new Time(Date.from(now.minus(CLOCK_SKEW))), new Time(Date.from(notAfter)));
        currentValidity = v;
        return v;
    }

    private static int keyUsageFor(PublicKey key) {
        return "RSA".equals(key.getAlgorithm()) ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature;
    }

    private static X509Certificate selfSigned(CaSettings settings, KeyPair pair, java.security.Provider keyProvider)
            throws GeneralSecurityException, CertIOException, OperatorCreationException {
        Instant now = Instant.now();
        X500Principal name = new X500Principal(settings.subject());
        BigInteger serial = new BigInteger(127, new SecureRandom()).setBit(126); // positive, 16 octets
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial, Date.from(now.minus(CLOCK_SKEW)),
                Date.from(now.plus(Duration.ofDays(settings.validityDays()))), name, pair.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic()));
        b.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(pair.getPublic()));
        return Pem.toJdk(b.build(signer(settings, pair.getPrivate(), keyProvider)));
    }

    /** A signer with the CA key: by the provider holding it when it is in a token, else by the provider in use. */
    private static ContentSigner signer(CaSettings settings, PrivateKey key, java.security.Provider keyProvider)
            throws OperatorCreationException {
        return keyProvider == null ? SignatureProvider.signer(settings.keyAlgorithm().signatureAlgorithm(), key)
                : SignatureProvider.signer(settings.keyAlgorithm().signatureAlgorithm(), key, keyProvider);
    }

    @Override
    public void close() throws IOException {
        records.close();
    }
}

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
import java.net.URI;
import java.util.ArrayList;
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
 * <p><b>Key generations.</b> {@link #rollover()} gives the CA a new key (RFC 7030 section 4.1.3, RFC 4210 section 4.4;
 * docs/rollover.md): the new key signs every new certificate, while during the overlap the previous key stays, signing
 * the CRL of the certificates it issued, and {@link #caCertificates()} answers NewWithNew, NewWithOld and OldWithNew.
 * {@link KeyGenerations} keeps them in the CA's directory and switches crash-safely; {@link #finishRollover()} ends the
 * overlap.
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

    /**
     * A rollover the CA refuses: the previous rollover's overlap has not ended. The message is one line for the
     * administrator.
     */
    public static final class RolloverRefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RolloverRefusedException(String message) {
            super(message);
        }
    }

    /**
     * What {@link #rollover()} or {@link #finishRollover()} did.
     *
     * @param ca             the CA's name
     * @param generation     the key generation that now signs new certificates
     * @param previous       the generation still in use for its CRL and its certificates (the overlap), else 0
     * @param caCertificates what {@code /cacerts} answers from now on
     * @param summary        one line for the administrator and the audit trail
     */
    public record RolloverReport(String ca, int generation, int previous, List<X509Certificate> caCertificates, String summary) {
        public RolloverReport {
            caCertificates = List.copyOf(caCertificates);
        }
    }

    /** What to put in an end-entity certificate. */
    public record Profile(X500Principal subject, PublicKey publicKey, GeneralNames subjectAltNames, List<String> ekus) {
    }

    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** Opens the records of a CA once its certificate is known (a shared store checks that every instance has the same). */
    @FunctionalInterface
    public interface RecordsOpener {
        /** {@code generation}: the key generation of {@code caCertificate} (1 until the first rollover). */
        CaRecords open(String caName, Path dir, X509Certificate caCertificate, int generation) throws IOException;
    }

    /**
     * One key of this CA and what it signs with it.
     *
     * @param number                 the generation (1: the key the CA was created with)
     * @param key                    the private key
     * @param keyProvider            the provider holding the key when it is in a PKCS#11 token; null for a key file
     * @param certificate            its self-signed root
     * @param authorityKeyIdentifier what certificates it issues carry as AKI
     * @param issuerName             its name, BouncyCastle's type
     * @param crlDistributionPoint   RFC 5280 section 4.2.1.13: where relying parties fetch the CRL this key signs
     * @param crls                   the CRLs this key signs
     */
    private record Generation(int number, PrivateKey key, java.security.Provider keyProvider, X509Certificate certificate,
                              AuthorityKeyIdentifier authorityKeyIdentifier, X500Name issuerName, CRLDistPoint crlDistributionPoint,
                              CrlPublisher crls) {
    }

    /**
     * The generations in use, replaced as a whole by a rollover or its end so that a request sees one consistent set.
     *
     * @param current  signs every new certificate
     * @param previous during the overlap, the key before it, still signing its CRL; else null
     * @param links    during the overlap NewWithOld and OldWithNew, else empty
     */
    private record Live(Generation current, Generation previous, List<X509Certificate> links) {
        List<Generation> all() {
            return previous == null ? List.of(current) : List.of(current, previous);
        }
    }

    private final CaSettings settings;
    private final Path dir;
    /** The PKCS#11 token holding the CA's keys ({@code ca.<name>.key-store = pkcs11}); null for key files. */
    private final Pkcs11Key token;
    private final IssuedCertificates log;
    private final CaRecords records;
    private volatile Live live;
    private volatile Validity currentValidity;

    private LocalCa(CaSettings settings, Path dir, CaRecords records, Pkcs11Key token) {
        this.settings = settings;
        this.token = token;
        this.dir = dir;
        this.records = records;
        this.log = records.issued();
    }

    /**
     * Generation {@code n} with {@code key} and {@code certificate}; its CRL numbers continue above {@code crlFloor}.
     */
    private Generation generation(int n, PrivateKey key, java.security.Provider keyProvider, X509Certificate certificate,
                                  BigInteger crlFloor) throws GeneralSecurityException, IOException {
        // once, not a key conversion per signature; a token's key stays with the provider that holds it
        PrivateKey adopted = keyProvider == null ? SignatureProvider.adopt(key) : key;
        // the key identifier alone: an AKI naming the root's issuer and serial too would tie every certificate to that one
        // root certificate, and OpenSSL would then refuse the path through a link certificate of the same key (a rollover)
        AuthorityKeyIdentifier aki = new AuthorityKeyIdentifier(RolloverCertificates.keyIdentifier(certificate));
        X500Name issuerName = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        CRLDistPoint cdp = new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(new DistributionPointName(
                new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier,
                        crlDistributionPoint(settings.crlDistributionPoint(), n).toASCIIString()))), null, null)});
        CrlPublisher crls = new CrlPublisher(records.crls(n), issuerName, certificate.getPublicKey(), aki, records.revocations(),
                Duration.ofHours(settings.crlValidityHours()), () -> signer(settings, adopted, keyProvider), Clock.systemUTC(), crlFloor);
        return new Generation(n, adopted, keyProvider, certificate, aki, issuerName, cdp, crls);
    }

    /**
     * The CRL distribution point of the certificates key generation {@code n} signs: {@code configured}
     * ({@code ca.<name>.crl-distribution-point}) for the first key; for later ones the same URL with {@code .g<n>} before
     * its final {@code .crl} (or {@code .g<n>.crl} appended), since each key's certificates are covered by a CRL that key
     * signs. {@code /crl/<name>.g<n>.crl} is where est4j serves it.
     */
    public static URI crlDistributionPoint(URI configured, int n) {
        if (n == 1) {
            return configured;
        }
        String url = configured.toASCIIString();
        int query = url.length();
        for (char c : new char[] {'?', '#'}) {
            int i = url.indexOf(c);
            if (i >= 0 && i < query) {
                query = i;
            }
        }
        String path = url.substring(0, query);
        String suffix = ".g" + n + ".crl";
        path = path.endsWith(".crl") ? path.substring(0, path.length() - 4) + suffix : path + suffix;
        return URI.create(path + url.substring(query));
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
        return openOrCreate(dir, settings, home, (name, d, cert, generation) -> CaRecords.inDirectory(d));
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
            KeyGenerations.State state = KeyGenerations.read(dir);
            PrivateKey key;
            X509Certificate cert;
            java.security.Provider keyProvider = null;
            Pkcs11Key token = null;
            if (settings.pkcs11() != null && state.current() == 1) {
                TokenKey inToken = openInToken(dir, settings, home);
                key = inToken.key();
                cert = inToken.certificate();
                token = inToken.token();
                keyProvider = token.provider();
            } else if (settings.pkcs11() != null) {
                // a key of a later rollover: in the token under its generation's label, its root in generation-<n>/
                token = Pkcs11Key.open(settings.name(), settings.pkcs11(), home);
                keyProvider = token.provider();
                cert = KeyGenerations.certificate(dir, state.current());
                key = tokenKey(token, state.current(), cert);
            } else {
                // the state file means the CA exists, even once generation 1's key is gone after a rollover
                if (state.current() == 1 && !Files.exists(keyFile)) {
                    KeyPair pair = settings.keyAlgorithm().generate();
                    X509Certificate root = selfSigned(settings, pair, null);
                    // key first: a certificate without its key would be useless, a key without certificate is redone
                    SecureFiles.write(keyFile, Pem.privateKey(pair.getPrivate()), SecureFiles.OWNER_ONLY);
                    SecureFiles.write(certFile, Pem.certificates(List.of(root)), SecureFiles.READABLE);
                }
                key = KeyGenerations.key(dir, state.current());
                cert = KeyGenerations.certificate(dir, state.current());
            }
            if (state.overlapping() && !KeyGenerations.certificate(dir, state.previous()).getNotAfter().after(new Date())) {
                // the old root expired: nothing it vouches for validates any more, so the overlap is over
                int expired = state.previous();
                state = KeyGenerations.finish(dir, state);
                if (token != null) {
                    token.delete(token.label(expired));
                }
            }
            final KeyGenerations.State inUse = state;
            CaRecords opened = records.open(settings.name(), dir, cert, inUse.current());
            try {
                LocalCa ca = new LocalCa(settings, dir, opened, token);
                Generation previous = null;
                List<X509Certificate> links = List.of();
                BigInteger floor = BigInteger.ZERO;
                if (inUse.overlapping()) {
                    X509Certificate previousRoot = KeyGenerations.certificate(dir, inUse.previous());
                    previous = ca.generation(inUse.previous(), token == null ? KeyGenerations.key(dir, inUse.previous())
                            : tokenKey(token, inUse.previous(), previousRoot), keyProvider, previousRoot, BigInteger.ZERO);
                    floor = previous.crls().lastNumber();
                    links = KeyGenerations.links(dir, inUse.current()).orElseThrow(() -> new IOException(
                            KeyGenerations.directory(dir, inUse.current()) + " lacks its link certificates"));
                }
                ca.live = new Live(ca.generation(inUse.current(), key, keyProvider, cert, floor), previous, links);
                return ca;
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                opened.close();
                throw e;
            }
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("local CA " + settings.name() + " in " + dir + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** A CA key in a PKCS#11 token, the token holding it and the CA certificate. */
    private record TokenKey(PrivateKey key, Pkcs11Key token, X509Certificate certificate) {
    }

    /** The token's key of generation {@code n}, checked against its root {@code certificate}. */
    private static PrivateKey tokenKey(Pkcs11Key token, int n, X509Certificate certificate) throws IOException {
        PrivateKey key = token.privateKey(token.label(n));
        if (key == null || !token.matches(key, certificate.getPublicKey())) {
            throw new IOException("the key of CA key generation " + n + " is not in the token under the label '" + token.label(n)
                    + "' (or is not the one of its root certificate): wrong token, or the token was re-initialised");
        }
        return key;
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
            return new TokenKey(key, token, cert);
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

    /** The current root: the one whose key signs new certificates. */
    public X509Certificate certificate() {
        return live.current().certificate();
    }

    /** The current key generation (1 until the first rollover). */
    public int generation() {
        return live.current().number();
    }

    /**
     * What {@code /cacerts} answers (RFC 7030 section 4.1.3): the current root alone, or during a rollover's overlap
     * NewWithNew, NewWithOld and OldWithNew, in the order the SPI's {@code CaCertificates} asks for.
     */
    public List<X509Certificate> caCertificates() {
        Live l = live;
        if (l.previous() == null) {
            return List.of(l.current().certificate());
        }
        List<X509Certificate> all = new ArrayList<>();
        all.add(l.current().certificate());
        all.addAll(l.links());
        return List.copyOf(all);
    }

    /**
     * The self-signed roots in use, current first: the trust anchors under which every certificate this CA may still
     * vouch for validates (TLS client authentication, {@code client-truststore.p12}).
     */
    public List<X509Certificate> roots() {
        return live.all().stream().map(Generation::certificate).toList();
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
        return live.current().crls().current();
    }

    /**
     * The current CRL signed by key generation {@code n}, while it is in use (the current one, or the previous during an
     * overlap); empty for any other generation. Each key's certificates point at the CRL it signs.
     */
    public Optional<X509CRL> crl(int n) throws IOException {
        for (Generation g : live.all()) {
            if (g.number() == n) {
                return Optional.of(g.crls().current());
            }
        }
        return Optional.empty();
    }

    /** The current CRL of every key generation in use, the current key's first. */
    public List<X509CRL> crls() throws IOException {
        List<X509CRL> all = new ArrayList<>();
        for (Generation g : live.all()) {
            all.add(g.crls().current());
        }
        return all;
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
        Live l = live;
        if (!certificate.getIssuerX500Principal().equals(l.current().certificate().getSubjectX500Principal())) {
            return false;
        }
        byte[] aki = certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        if (aki == null) {
            return true;
        }
        byte[] keyId = AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(aki).getOctets()).getKeyIdentifier();
        if (keyId == null) {
            return true;
        }
        // during an overlap the previous key's certificates are still this CA's (re-enrollment, revocation)
        for (Generation g : l.all()) {
            if (java.util.Arrays.equals(keyId, g.authorityKeyIdentifier().getKeyIdentifier())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Signs a few bytes with the CA key: whether the key can sign now (a PKCS#11 token may have gone away, or lost its
     * session). For readiness probes.
     */
    public void checkKey() throws IOException {
        try {
            Generation g = live.current();
            ContentSigner s = signer(settings, g.key(), g.keyProvider());
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
        Generation g = live.current();
        Validity validity = validity(g);
        boolean emptySubject = profile.subject().getEncoded().length <= 2;
        try {
            // The serial is drawn first so that signatures run in parallel; the record is durable before the
            // certificate is returned. A shared store may refuse a serial another instance took: sign again.
            for (int attempt = 0; attempt < 8; attempt++) {
                X509Certificate issued = sign(g, profile, validity, emptySubject, log.newSerial());
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

    private X509Certificate sign(Generation g, Profile profile, Validity validity, boolean emptySubject, BigInteger serial)
            throws CertIOException, GeneralSecurityException, OperatorCreationException {
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(g.issuerName(), serial, validity.notBefore(), validity.notAfter(),
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
        b.addExtension(Extension.authorityKeyIdentifier, false, g.authorityKeyIdentifier());
        b.addExtension(Extension.cRLDistributionPoints, false, g.crlDistributionPoint());
        try {
            return Pem.toJdk(b.build(signer(settings, g.key(), g.keyProvider())));
        } catch (IllegalArgumentException e) {
            throw new UnsignableRequestException(e.getMessage(), e);
        }
    }

    /** The validity of certificates issued in the current second. */
    private record Validity(int generation, long epochSecond, Time notBefore, Time notAfter) {
    }

    /**
     * Validity times change once a second but cost a date formatting each (BouncyCastle's {@code Time}),
     * so they are made once per second and shared.
     */
    private Validity validity(Generation g) {
        long second = Instant.now().getEpochSecond();
        Validity v = currentValidity;
        if (v != null && v.epochSecond() == second && v.generation() == g.number()) {
            return v;
        }
        Instant now = Instant.ofEpochSecond(second);
        Instant notAfter = now.plus(Duration.ofDays(settings.certValidityDays()));
        Instant caNotAfter = g.certificate().getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter; // RFC 5280: a certificate should not outlive its issuer
        }
        v = new Validity(g.number(), second, new Time(Date.from(now.minus(CLOCK_SKEW))), new Time(Date.from(notAfter)));
        currentValidity = v;
        return v;
    }

    private static int keyUsageFor(PublicKey key) {
        return "RSA".equals(key.getAlgorithm()) ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature;
    }

    private static X509Certificate selfSigned(CaSettings settings, KeyPair pair, java.security.Provider keyProvider)
            throws GeneralSecurityException, CertIOException, OperatorCreationException {
        Instant now = Instant.now();
        byte[] id = new JcaX509ExtensionUtils().createSubjectKeyIdentifier(pair.getPublic()).getKeyIdentifier();
        JcaX509v3CertificateBuilder b = RolloverCertificates.caCertificate(new X500Principal(settings.subject()), pair.getPublic(),
                id, id, Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(Duration.ofDays(settings.validityDays()))));
        return Pem.toJdk(b.build(signer(settings, pair.getPrivate(), keyProvider)));
    }

    /** A signer with the CA key: by the provider holding it when it is in a token, else by the provider in use. */
    private static ContentSigner signer(CaSettings settings, PrivateKey key, java.security.Provider keyProvider)
            throws OperatorCreationException {
        return keyProvider == null ? SignatureProvider.signer(settings.keyAlgorithm().signatureAlgorithm(), key)
                : SignatureProvider.signer(settings.keyAlgorithm().signatureAlgorithm(), key, keyProvider);
    }

    /**
     * Rolls this CA's key over (RFC 7030 section 4.1.3, RFC 4210 section 4.4): a new key pair of
     * {@code ca.<name>.key-algorithm}, its self-signed root (NewWithNew, same subject name) and the link certificates
     * NewWithOld and OldWithNew, stored as key generation {@code n + 1} (crash-safe, {@link KeyGenerations}). From the
     * return on, new certificates are signed with the new key; the old key's certificates stay this CA's, and the old key
     * keeps signing their CRL, until {@link #finishRollover()} or until the old root expires. A key in a PKCS#11 token is
     * followed by one generated in the token, labelled {@code <key-label>.g<n>}. Refused (with
     * {@link RolloverRefusedException}) during an overlap.
     */
    public RolloverReport rollover() throws IOException {
        return rollover(KeyGenerations.Step.NONE);
    }

    /** {@link #rollover()}, with a test's crash points. */
    synchronized RolloverReport rollover(KeyGenerations.Step step) throws IOException {
        Live l = live;
        if (l.previous() != null) {
            if (l.previous().certificate().getNotAfter().after(new Date())) {
                throw new RolloverRefusedException("local CA " + name() + " is still in the overlap of its rollover to key generation "
                        + l.current().number() + " (the old root is valid until " + l.previous().certificate().getNotAfter().toInstant()
                        + "): end it first with 'rollover --finish " + name() + "'");
            }
            finishRollover();
            l = live;
        }
        Generation old = l.current();
        java.security.Provider provider = token == null ? null : token.provider();
        KeyPair pair;
        if (token == null) {
            pair = settings.keyAlgorithm().generate();
        } else {
            // a key left under this label by an attempt that crashed before its switch is not in use: replaced
            token.delete(token.label(old.number() + 1));
            pair = token.generate(settings.keyAlgorithm());
        }
        try {
            RolloverCertificates certificates = RolloverCertificates.make(old.certificate(), signer(settings, old.key(), old.keyProvider()),
                    pair.getPublic(), signer(settings, pair.getPrivate(), provider), settings.validityDays(), Instant.now());
            if (token != null) {
                // the token first, as at the first start: the switch below must find the key labelled
                token.store(token.label(old.number() + 1), pair.getPrivate(), certificates.newWithNew());
            }
            KeyGenerations.State next = KeyGenerations.commit(dir, new KeyGenerations.State(old.number(), 0),
                    token == null ? pair.getPrivate() : null, certificates, step);
            Generation fresh = generation(next.current(), pair.getPrivate(), provider, certificates.newWithNew(), old.crls().lastNumber());
            live = new Live(fresh, old, List.of(certificates.newWithOld(), certificates.oldWithNew()));
            currentValidity = null;
            // the new key's first CRL now, numbered after the old key's last: its distribution point answers from the start
            fresh.crls().current();
            return new RolloverReport(name(), fresh.number(), old.number(), caCertificates(), "local CA " + name()
                    + " rolled over from key generation " + old.number() + " to " + fresh.number() + "; the overlap lasts until "
                    + old.certificate().getNotAfter().toInstant() + " or 'rollover --finish " + name() + "'");
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IOException("local CA " + name() + ": the rollover failed: " + e.getMessage(), e);
        }
    }

    /**
     * Ends a rollover's overlap: the previous key (and its root) and the link certificates are deleted, {@code /cacerts}
     * answers the current root alone, and certificates of the previous key are no longer this CA's. A CA not in an
     * overlap is left as it is.
     */
    public synchronized RolloverReport finishRollover() throws IOException {
        Live l = live;
        if (l.previous() == null) {
            return new RolloverReport(name(), l.current().number(), 0, caCertificates(), "local CA " + name()
                    + " is not in a rollover's overlap: nothing to finish (key generation " + l.current().number() + ")");
        }
        KeyGenerations.finish(dir, new KeyGenerations.State(l.current().number(), l.previous().number()));
        live = new Live(l.current(), null, List.of());
        if (token != null) {
            token.delete(token.label(l.previous().number()));
        }
        return new RolloverReport(name(), l.current().number(), 0, caCertificates(), "local CA " + name()
                + ": the overlap ended; key generation " + l.previous().number() + " and the link certificates were deleted");
    }

    /**
     * The current root certificate of the CA in {@code dir} ({@code EST_HOME/ca/<name>}), whatever its key generation, read
     * from its files (for tools working on a copy, such as the store migration).
     */
    public static X509Certificate currentCertificate(Path dir) throws IOException {
        return KeyGenerations.currentCertificate(dir);
    }

    /** The current key generation of the CA in {@code dir}, read from its files (1 until the first rollover). */
    public static int currentGeneration(Path dir) throws IOException {
        return KeyGenerations.read(dir).current();
    }

    @Override
    public void close() throws IOException {
        records.close();
    }
}

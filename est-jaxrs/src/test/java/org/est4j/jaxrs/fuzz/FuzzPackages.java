package org.est4j.jaxrs.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

import org.est4j.jaxrs.TestPki;
import org.est4j.jaxrs.codec.BouncyCastle;
import org.est4j.jaxrs.packages.ReturnMessages;
import org.est4j.spi.DistributedPackage;
import org.est4j.spi.PackageKind;
import org.est4j.spi.PackageRequest;
import org.est4j.spi.PackageReturn;
import org.est4j.spi.PackageService;

/**
 * A PackageService for fuzzing the {@code /return} paths (after packages/PackageReturnsTest's InMemoryPackages), and
 * the one client that posts to them. It gives {@link #CLIENT} two symmetric key packages, two firmware packages and
 * one TAMP message of each kind est4j distributes; {@link #OTHER_CLIENTS_KEYS} exists for another client. What it was
 * asked and told is kept for the current execution only ({@link #reset}), so that nothing grows over a fuzzing run.
 *
 * <p>The client's key and certificate, and its CA's, are fixed: the committed {@code body} seeds are messages this
 * client signed, and only with the same key and certificate do they get past the signature check. The keys are
 * constants (test keys, P-256, made with {@code openssl genpkey}); the certificates are built from them the same way
 * every time (fixed names, serials and dates, deterministic ECDSA), so that a message which includes the client's
 * certificate includes exactly the one the TLS layer presents.
 */
final class FuzzPackages implements PackageService {

    private static final String CA_PRIVATE = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg6Yjn+gMKcfDmZdfYM6vvGm4WcDYIlnkpLZ3WAULWy06"
            + "hRANCAARi1l4XnMPjGcxSSoz0G+9sbbpczhprBo0kxoe2Rs/jYTqdz/vu0axmZZyWXyn3MPa5dQKMYbc/LNLX5Nh+mVel";
    private static final String CA_PUBLIC = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYtZeF5zD4xnMUkqM9BvvbG26XM4aawaNJMaHtkbP42E6nc/77tGsZmWc"
            + "ll8p9zD2uXUCjGG3PyzS1+TYfplXpQ==";
    private static final String CLIENT_PRIVATE = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgbwwCQhxBMo8Tk5kuuezO2DTa61yQI9//Bz78f6I9E"
            + "mKhRANCAASdJ96VzXSF2SbJv+x7aEwYqkxYYFGs5B5fZ5CLiAxik+2c5WcFJCFgwtPcv8r03Sa1qY4GPC9IqjUsO+KUOOr6";
    private static final String CLIENT_PUBLIC = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEnSfelc10hdkmyb/se2hMGKpMWGBRrOQeX2eQi4gMYpPtnOVnBSQhY"
            + "MLT3L/K9N0mtamOBjwvSKo1LDvilDjq+g==";

    /** The trust anchor of client certificates. */
    static final X509Certificate CA;
    /** The client's key, which signs its messages. */
    static final PrivateKey CLIENT_KEY;
    /** The client's TLS certificate (CN=fuzz-device-1, issued by {@link #CA}). */
    static final X509Certificate CLIENT;

    static {
        KeyPair ca = keyPair(CA_PRIVATE, CA_PUBLIC);
        KeyPair client = keyPair(CLIENT_PRIVATE, CLIENT_PUBLIC);
        X500Name caName = new X500Name("CN=est4j Fuzz Returns CA");
        CA = certificate(caName, BigInteger.valueOf(8295), caName, ca.getPublic(), ca.getPrivate(), true);
        CLIENT_KEY = client.getPrivate();
        CLIENT = certificate(caName, BigInteger.valueOf(7191), new X500Name("CN=fuzz-device-1"), client.getPublic(),
                ca.getPrivate(), false);
    }

    /** Signs the firmware packages and TAMP messages handed out (their signature is not what a return is checked against). */
    private static final KeyPair VENDOR_KEY = TestPki.ecKey();
    private static final X509Certificate VENDOR = TestPki.selfSigned("CN=Fuzz Firmware Signer", VENDOR_KEY);

    static final String KEYS_0 = "keys-0";
    static final String KEYS_1 = "keys-1";
    /** A symmetric key package that exists, but was given to another client: naming it is a 403. */
    static final String OTHER_CLIENTS_KEYS = "keys-of-device-2";
    static final ASN1Encodable FIRMWARE_NAME = ReturnMessages.preferredFirmwareName("1.3.6.1.4.1.99999.5", 42);
    static final ASN1Encodable LEGACY_FIRMWARE_NAME = ReturnMessages.legacyFirmwareName("fw-legacy-v0");
    static final ASN1Sequence QUERY_REF = ReturnMessages.tampMsgRef("urn:fuzz-device-1", 7);
    static final ASN1Sequence UPDATE_REF = ReturnMessages.tampMsgRef("urn:fuzz-device-1", 8);
    static final ASN1Sequence COMMUNITY_REF = ReturnMessages.tampMsgRef(null, 9);
    static final ASN1Sequence ADJUST_REF = ReturnMessages.tampMsgRef("urn:fuzz-device-1", 10);

    private static final List<DistributedPackage> SYMMETRIC_KEYS = List.of(
            new DistributedPackage(KEYS_0, PackageKind.SYMMETRIC_KEYS, new byte[] {4, 0}),
            new DistributedPackage(KEYS_1, PackageKind.SYMMETRIC_KEYS, new byte[] {4, 0}));
    private static final List<DistributedPackage> FIRMWARE = List.of(
            new DistributedPackage("fw-legacy", PackageKind.FIRMWARE, ReturnMessages.firmwarePackage(LEGACY_FIRMWARE_NAME,
                    new byte[] {9}, VENDOR_KEY.getPrivate(), VENDOR)),
            new DistributedPackage("fw-42", PackageKind.FIRMWARE, ReturnMessages.firmwarePackage(FIRMWARE_NAME,
                    new byte[] {1, 2, 3}, VENDOR_KEY.getPrivate(), VENDOR)),
            new DistributedPackage("not-cms", PackageKind.FIRMWARE, new byte[] {1, 2, 3}));
    private static final List<DistributedPackage> TAMP = List.of(
            tamp("query-7", ReturnMessages.TAMP_STATUS_QUERY, QUERY_REF),
            tamp("update-8", ReturnMessages.TAMP_UPDATE, UPDATE_REF),
            tamp("community-9", ReturnMessages.TAMP_COMMUNITY_UPDATE, COMMUNITY_REF),
            tamp("adjust-10", ReturnMessages.TAMP_SEQ_NUM_ADJUST, ADJUST_REF));

    /** The ids of the packages {@link #packages} gave {@link #CLIENT} in the current execution. */
    final Set<String> given = new HashSet<>();
    /** What the current execution recorded. */
    final List<PackageReturn> recorded = new ArrayList<>();

    /** Forgets the previous execution. */
    void reset() {
        given.clear();
        recorded.clear();
    }

    @Override
    public List<DistributedPackage> packages(PackageRequest request) {
        if (!request.client().certificate().equals(Optional.of(CLIENT))) {
            throw new AssertionError("packages asked for a client other than the authenticated one: " + request.client());
        }
        List<DistributedPackage> out = switch (request.kind()) {
            case SYMMETRIC_KEYS -> SYMMETRIC_KEYS;
            case FIRMWARE -> FIRMWARE;
            case TAMP -> TAMP;
            case EE_CERTIFICATES -> List.of();
        };
        out.forEach(p -> given.add(p.id()));
        return out;
    }

    @Override
    public boolean exists(Optional<String> label, PackageKind kind, String packageId) {
        return kind == PackageKind.SYMMETRIC_KEYS && packageId.equals(OTHER_CLIENTS_KEYS);
    }

    @Override
    public void recordReturn(PackageReturn returned) {
        recorded.add(returned);
    }

    private static DistributedPackage tamp(String id, String type, ASN1Sequence ref) {
        return new DistributedPackage(id, PackageKind.TAMP,
                ReturnMessages.tampMessage(type, ref, VENDOR_KEY.getPublic(), VENDOR_KEY.getPrivate(), VENDOR));
    }

    private static KeyPair keyPair(String pkcs8, String spki) {
        try {
            KeyFactory ec = KeyFactory.getInstance("EC");
            PublicKey publicKey = ec.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(spki)));
            return new KeyPair(publicKey, ec.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** ecdsa-with-SHA256 with RFC 6979's nonce (BouncyCastle's SHA256withECDDSA, which its content signer builders do not know). */
    private static ContentSigner deterministic(PrivateKey key) throws Exception {
        Signature signature = Signature.getInstance("SHA256withECDDSA", BouncyCastle.PROVIDER);
        signature.initSign(key);
        ByteArrayOutputStream tbs = new ByteArrayOutputStream();
        return new ContentSigner() {
            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
            }

            @Override
            public OutputStream getOutputStream() {
                return tbs;
            }

            @Override
            public byte[] getSignature() {
                try {
                    signature.update(tbs.toByteArray());
                    return signature.sign();
                } catch (java.security.SignatureException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /** Valid 2026 to 2126; signed with deterministic ECDSA (RFC 6979), so the same octets every time. */
    private static X509Certificate certificate(X500Name issuer, BigInteger serial, X500Name subject, PublicKey key,
                                               PrivateKey issuerKey, boolean ca) {
        try {
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial,
                    Date.from(Instant.parse("2026-01-01T00:00:00Z")), Date.from(Instant.parse("2126-01-01T00:00:00Z")), subject, key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            }
            return new JcaX509CertificateConverter().setProvider(BouncyCastle.PROVIDER).getCertificate(b.build(deterministic(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.est4j.war.packages;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * RFC 8295 packages and the certificates around them, built with BouncyCastle, as an operator would put them
 * under {@code EST_HOME/packages}. Checked against pyasn1-modules ({@code rfc4108}, {@code rfc5934},
 * {@code rfc6031}) in {@link PackageFixturesTest}. Only JDK and BouncyCastle types in the signatures, so the
 * integration tests can copy it as it is.
 */
public final class PackageFixtures {

    /** id-ct-firmwarePackage (RFC 4108). */
    public static final String FIRMWARE_PACKAGE = "1.2.840.113549.1.9.16.1.16";
    /** id-aa-firmwarePackageID (RFC 4108), a mandatory signed attribute of a firmware package. */
    public static final String FIRMWARE_PACKAGE_ID = "1.2.840.113549.1.9.16.2.35";
    /** id-aa-targetHardwareIDs (RFC 4108). */
    public static final String TARGET_HARDWARE_IDS = "1.2.840.113549.1.9.16.2.36";
    /** id-ct-TAMP-statusQuery (RFC 5934). */
    public static final String TAMP_STATUS_QUERY = "2.16.840.1.101.2.1.2.77.1";
    /** id-on-hardwareModuleName (RFC 4108 section 5). */
    public static final String HARDWARE_MODULE_NAME = "1.3.6.1.5.5.7.8.4";

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    /** A key pair with its certificate. */
    public record Signer(PrivateKey key, X509Certificate certificate) {
    }

    private PackageFixtures() {
    }

    /** A self-signed P-256 certificate for {@code subjectDn} (a firmware signer, a trust anchor manager). */
    public static Signer signer(String subjectDn) throws Exception {
        KeyPair keys = keyPair();
        return new Signer(keys.getPrivate(), certificate(subjectDn, keys, new X500Name(subjectDn), keys.getPrivate(), null));
    }

    /**
     * A client certificate for {@code subjectDn}, issued by {@code issuer}, with a subjectAltName otherName
     * hardwareModuleName {@code { hwType, hwSerialNum }} when {@code hardwareType} is not null.
     */
    public static X509Certificate clientCertificate(String subjectDn, Signer issuer, String hardwareType, byte[] hardwareSerial)
            throws Exception {
        GeneralNames san = null;
        if (hardwareType != null) {
            ASN1Encodable module = new DERSequence(new ASN1Encodable[] {
                new ASN1ObjectIdentifier(hardwareType), new DEROctetString(hardwareSerial)});
            san = new GeneralNames(new GeneralName(GeneralName.otherName,
                    new OtherName(new ASN1ObjectIdentifier(HARDWARE_MODULE_NAME), module)));
        }
        return certificate(subjectDn, keyPair(),
                X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()), issuer.key(), san);
    }

    /**
     * An RFC 4108 firmware package: a DER ContentInfo of SignedData, eContentType id-ct-firmwarePackage, eContent
     * the DER {@code FirmwarePkgData} (an OCTET STRING of {@code firmware}), signed attributes contentType,
     * messageDigest, firmwarePackageID (legacy name {@code name}) and, when {@code targetHardwareIds} is not
     * empty, targetHardwareIDs. The signer's certificate is included.
     */
    public static byte[] firmwarePackage(Signer signer, String name, byte[] firmware, String... targetHardwareIds)
            throws Exception {
        ASN1EncodableVector attributes = new ASN1EncodableVector();
        // FirmwarePackageIdentifier ::= SEQUENCE { name PreferredOrLegacyPackageIdentifier (here legacy OCTET STRING) }
        attributes.add(new Attribute(new ASN1ObjectIdentifier(FIRMWARE_PACKAGE_ID),
                new DERSet(new DERSequence(new DEROctetString(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))))));
        if (targetHardwareIds.length > 0) {
            ASN1EncodableVector ids = new ASN1EncodableVector();
            for (String id : targetHardwareIds) {
                ids.add(new ASN1ObjectIdentifier(id));
            }
            attributes.add(new Attribute(new ASN1ObjectIdentifier(TARGET_HARDWARE_IDS), new DERSet(new DERSequence(ids))));
        }
        return signedData(signer, FIRMWARE_PACKAGE, new DEROctetString(firmware).getEncoded(ASN1Encoding.DER),
                new AttributeTable(attributes));
    }

    /**
     * An RFC 5934 TAMP status query to all modules: a DER ContentInfo of SignedData, eContentType
     * id-ct-TAMP-statusQuery, eContent {@code TAMPStatusQuery { query { target allModules, seqNum } }}
     * (version v2 and terse verbose left at their defaults).
     */
    public static byte[] tampStatusQuery(Signer manager, long sequenceNumber) throws Exception {
        DERSequence msgRef = new DERSequence(new ASN1Encodable[] {
            new DERTaggedObject(false, 3, DERNull.INSTANCE), new ASN1Integer(sequenceNumber)});
        byte[] query = new DERSequence(msgRef).getEncoded(ASN1Encoding.DER);
        return signedData(manager, TAMP_STATUS_QUERY, query, new AttributeTable(new ASN1EncodableVector()));
    }

    /**
     * An RFC 6031 SymmetricKeyPackage, DER, unprotected: version v1 (the default, so omitted), one
     * {@code OneSymmetricKey { sKey }} per key.
     */
    public static byte[] symmetricKeyPackage(byte[]... keys) throws Exception {
        ASN1EncodableVector sKeys = new ASN1EncodableVector();
        for (byte[] key : keys) {
            sKeys.add(new DERSequence(new DEROctetString(key)));
        }
        return new DERSequence(new DERSequence(sKeys)).getEncoded(ASN1Encoding.DER);
    }

    /**
     * Any CMS SignedData (DER ContentInfo) of {@code contentType} with {@code eContent} encapsulated, signed by
     * {@code signer} with contentType, messageDigest, signingTime, cmsAlgorithmProtection and {@code extraSigned}.
     */
    public static byte[] signedData(Signer signer, String contentType, byte[] eContent, AttributeTable extraSigned)
            throws Exception {
        CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
        generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
                .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(extraSigned))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.key()), signer.certificate()));
        generator.addCertificates(new org.bouncycastle.cert.jcajce.JcaCertStore(List.of(signer.certificate())));
        return generator.generate(new CMSProcessableByteArray(new ASN1ObjectIdentifier(contentType), eContent), true)
                .toASN1Structure().getEncoded(ASN1Encoding.DER);
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate certificate(String subjectDn, KeyPair subject, X500Name issuerDn, PrivateKey issuerKey,
                                               GeneralNames san) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerDn,
                BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name(subjectDn), subject.getPublic());
        if (san != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, san);
        }
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }
}

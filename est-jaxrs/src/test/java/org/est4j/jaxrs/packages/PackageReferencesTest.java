package org.est4j.jaxrs.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.est4j.jaxrs.TestPki;
import org.est4j.spi.DistributedPackage;
import org.est4j.spi.PackageKind;
import org.junit.jupiter.api.Test;

/** The references read from distributed packages, against those a client's messages carry. */
class PackageReferencesTest {

    private static final KeyPair SIGNER_KEY = TestPki.ecKey();
    private static final X509Certificate SIGNER = TestPki.selfSigned("CN=Package Signer", SIGNER_KEY);

    private static PackageReferences.Reference of(DistributedPackage p) {
        return PackageReferences.of(p).orElseThrow();
    }

    private static ASN1ObjectIdentifier oid(String id) {
        return new ASN1ObjectIdentifier(id);
    }

    @Test
    void aSymmetricKeyPackageIsNamedByTheUtf8OfItsId() {
        PackageReferences.Reference ref = of(new DistributedPackage("clé-1", PackageKind.SYMMETRIC_KEYS, new byte[] {4, 0}));
        assertEquals(PackageReferences.KeyPackageId.of("clé-1".getBytes(StandardCharsets.UTF_8)), ref);
        assertEquals(Optional.of("clé-1"), ((PackageReferences.KeyPackageId) ref).asPackageId());
        assertEquals("pkgID 'clé-1'", ref.describe());
    }

    @Test
    void aPkgIdThatIsNotUtf8NamesNoPackageId() {
        PackageReferences.KeyPackageId id = PackageReferences.KeyPackageId.of(new byte[] {(byte) 0xff, 0x01});
        assertEquals(Optional.empty(), id.asPackageId());
        assertEquals("pkgID 0xff01", id.describe());
    }

    @Test
    void aFirmwarePackageIsNamedByItsFirmwarePackageIdAttribute() {
        ASN1Encodable name = ReturnMessages.preferredFirmwareName("1.3.6.1.4.1.99999.5", 3);
        byte[] firmware = ReturnMessages.firmwarePackage(name, new byte[] {1, 2}, SIGNER_KEY.getPrivate(), SIGNER);
        PackageReferences.Reference ref = of(new DistributedPackage("fw", PackageKind.FIRMWARE, firmware));
        assertEquals(PackageReferences.firmwareName(name), ref);
        assertEquals("firmware package 1.3.6.1.4.1.99999.5 version 3", ref.describe());
        assertNotEquals(PackageReferences.firmwareName(ReturnMessages.preferredFirmwareName("1.3.6.1.4.1.99999.5", 4)), ref);

        ASN1Encodable legacy = ReturnMessages.legacyFirmwareName("boot-7");
        PackageReferences.Reference legacyRef = of(new DistributedPackage("fw", PackageKind.FIRMWARE,
                ReturnMessages.firmwarePackage(legacy, new byte[] {1, 2}, SIGNER_KEY.getPrivate(), SIGNER)));
        assertEquals(PackageReferences.firmwareName(legacy), legacyRef);
        assertEquals("legacy firmware package 0x626f6f742d37", legacyRef.describe());
    }

    @Test
    void aFirmwarePackageWithoutTheAttributeHasNoReference() {
        byte[] unnamed = ReturnMessages.signed(ReturnMessages.FIRMWARE_PACKAGE, new byte[] {4, 1, 0}, SIGNER_KEY.getPrivate(), SIGNER);
        assertEquals(Optional.empty(), PackageReferences.of(new DistributedPackage("fw", PackageKind.FIRMWARE, unnamed)));
        assertEquals(Optional.empty(), PackageReferences.of(new DistributedPackage("fw", PackageKind.FIRMWARE, new byte[] {1, 2, 3})));
        assertEquals(Optional.empty(), PackageReferences.of(new DistributedPackage("fw", PackageKind.FIRMWARE, new byte[0])));
    }

    @Test
    void eachTampMessageIsNamedByItsTypeAndMsgRef() {
        ASN1Sequence msgRef = ReturnMessages.tampMsgRef("urn:x", 12);
        for (String type : List.of(ReturnMessages.TAMP_STATUS_QUERY, ReturnMessages.TAMP_UPDATE,
                ReturnMessages.TAMP_COMMUNITY_UPDATE, ReturnMessages.TAMP_SEQ_NUM_ADJUST)) {
            byte[] message = ReturnMessages.tampMessage(type, msgRef, SIGNER_KEY.getPublic(), SIGNER_KEY.getPrivate(), SIGNER);
            PackageReferences.Reference ref = of(new DistributedPackage("t", PackageKind.TAMP, message));
            assertEquals(PackageReferences.tampMessageRef(oid(type), msgRef), ref, type);
            assertEquals(BigInteger.valueOf(12), ((PackageReferences.TampMessageRef) ref).seqNum());
            assertNotEquals(PackageReferences.tampMessageRef(oid(type), ReturnMessages.tampMsgRef("urn:y", 12)), ref);
            assertNotEquals(PackageReferences.tampMessageRef(oid(type), ReturnMessages.tampMsgRef("urn:x", 13)), ref);
        }
        byte[] query = ReturnMessages.tampMessage(ReturnMessages.TAMP_STATUS_QUERY, msgRef, SIGNER_KEY.getPublic(),
                SIGNER_KEY.getPrivate(), SIGNER);
        assertEquals("TAMPStatusQuery seqNum 12", of(new DistributedPackage("t", PackageKind.TAMP, query)).describe());
    }

    @Test
    void aTampMessageWithExplicitDefaultsIsStillNamed() {
        // version [0] v2 and terse [1] verbose spelled out, as a BER encoder may
        ASN1Sequence msgRef = ReturnMessages.tampMsgRef(null, 1);
        byte[] content = der(new org.bouncycastle.asn1.DERSequence(new ASN1Encodable[] {
                new org.bouncycastle.asn1.DERTaggedObject(false, 0, new org.bouncycastle.asn1.ASN1Integer(2)),
                new org.bouncycastle.asn1.DERTaggedObject(false, 1, new org.bouncycastle.asn1.ASN1Enumerated(2)), msgRef}));
        byte[] query = ReturnMessages.signed(ReturnMessages.TAMP_STATUS_QUERY, content, SIGNER_KEY.getPrivate(), SIGNER);
        assertEquals(PackageReferences.tampMessageRef(oid(ReturnMessages.TAMP_STATUS_QUERY), msgRef),
                of(new DistributedPackage("t", PackageKind.TAMP, query)));
    }

    @Test
    void contentThatIsNotATampMessageHasNoReference() {
        byte[] receipt = ReturnMessages.keyPackageReceipt(new byte[] {1}, SIGNER_KEY.getPrivate(), SIGNER);
        assertEquals(Optional.empty(), PackageReferences.of(new DistributedPackage("t", PackageKind.TAMP, receipt)));
        assertEquals(Optional.empty(), PackageReferences.of(new DistributedPackage("c", PackageKind.EE_CERTIFICATES, new byte[] {0x30, 0})));
    }

    @Test
    void findReturnsThePackageTheReferenceNames() {
        DistributedPackage a = new DistributedPackage("a", PackageKind.SYMMETRIC_KEYS, new byte[] {4, 0});
        DistributedPackage b = new DistributedPackage("b", PackageKind.SYMMETRIC_KEYS, new byte[] {4, 0});
        assertEquals(Optional.of(b), PackageReferences.find(PackageReferences.KeyPackageId.forPackage("b"), List.of(a, b)));
        assertEquals(Optional.empty(), PackageReferences.find(PackageReferences.KeyPackageId.forPackage("c"), List.of(a, b)));
    }

    private static byte[] der(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded("DER");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

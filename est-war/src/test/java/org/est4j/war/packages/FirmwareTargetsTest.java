package org.est4j.war.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Firmware reaches only the hardware it was signed for (RFC 4108 targetHardwareIDs, hardwareModuleName). */
class FirmwareTargetsTest {

    static final String ROUTER = "1.3.6.1.4.1.99999.1.1";
    static final String SENSOR = "1.3.6.1.4.1.99999.1.2";
    static final String CAMERA = "1.3.6.1.4.1.99999.1.3";

    static PackageFixtures.Signer vendor;
    static PackageFixtures.Signer ca;

    @BeforeAll
    static void keys() throws Exception {
        vendor = PackageFixtures.signer("CN=Firmware Vendor");
        ca = PackageFixtures.signer("CN=Device CA");
    }

    @Test
    void readsTheTargetsOfASignedPackage() throws Exception {
        CMSSignedData firmware = new CMSSignedData(PackageFixtures.firmwarePackage(vendor, "fw-1", new byte[] {1, 2}, ROUTER, SENSOR));
        assertEquals(Set.of(new ASN1ObjectIdentifier(ROUTER), new ASN1ObjectIdentifier(SENSOR)), FirmwareTargets.targets(firmware));
    }

    @Test
    void aPackageWithoutTargetsHasNone() throws Exception {
        CMSSignedData firmware = new CMSSignedData(PackageFixtures.firmwarePackage(vendor, "fw-1", new byte[] {1}));
        assertTrue(FirmwareTargets.targets(firmware).isEmpty());
    }

    @Test
    void readsTheHardwareTypeOfAClientCertificate() throws Exception {
        X509Certificate device = PackageFixtures.clientCertificate("CN=router-7", ca, ROUTER, new byte[] {7});
        assertEquals(Set.of(new ASN1ObjectIdentifier(ROUTER)), FirmwareTargets.hardwareTypes(device));
        assertTrue(FirmwareTargets.hardwareTypes(PackageFixtures.clientCertificate("CN=plain", ca, null, null)).isEmpty());
    }

    @Test
    void selectsByHardwareType() throws Exception {
        Set<ASN1ObjectIdentifier> targets = Set.of(new ASN1ObjectIdentifier(ROUTER), new ASN1ObjectIdentifier(SENSOR));
        assertTrue(FirmwareTargets.selects(targets, Set.of(new ASN1ObjectIdentifier(SENSOR))));
        assertFalse(FirmwareTargets.selects(targets, Set.of(new ASN1ObjectIdentifier(CAMERA))));
        assertFalse(FirmwareTargets.selects(targets, Set.of()), "a client that is no known hardware gets no targeted firmware");
        assertTrue(FirmwareTargets.selects(Set.of(), Set.of()), "untargeted firmware is for everyone");
    }

    @Test
    void anEmptyTargetListIsRefused() throws Exception {
        byte[] der = PackageFixtures.firmwarePackage(vendor, "fw-1", new byte[] {1}, new String[0]);
        org.bouncycastle.asn1.ASN1EncodableVector attributes = new org.bouncycastle.asn1.ASN1EncodableVector();
        attributes.add(new org.bouncycastle.asn1.cms.Attribute(new ASN1ObjectIdentifier(PackageFixtures.TARGET_HARDWARE_IDS),
                new org.bouncycastle.asn1.DERSet(new org.bouncycastle.asn1.DERSequence())));
        CMSSignedData empty = new CMSSignedData(PackageFixtures.signedData(vendor, PackageFixtures.FIRMWARE_PACKAGE,
                new byte[] {4, 1, 0}, new org.bouncycastle.asn1.cms.AttributeTable(attributes)));
        assertThrows(IllegalArgumentException.class, () -> FirmwareTargets.targets(empty));
        assertTrue(FirmwareTargets.targets(new CMSSignedData(der)).isEmpty());
    }
}

package org.est4j.war.packages;

import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.OtherName;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;

import org.est4j.jaxrs.codec.PackageOids;

/**
 * Which hardware a firmware package is for, and which hardware a client is (RFC 4108 sections 2.2.4 and 5,
 * RFC 8295 section 6): a package signed with the {@code targetHardwareIDs} attribute goes only to clients whose
 * certificate names a hardware module of one of those types; a package without it goes to every client.
 *
 * <p>Why here and not in the protocol layer: the file store is what decides which package a client sees, and a
 * client must not even learn from its {@code /pal} that firmware for other devices exists.
 */
final class FirmwareTargets {

    private static final String SUBJECT_ALT_NAME = "2.5.29.17";

    private FirmwareTargets() {
    }

    /**
     * The hardware types the package's signers name in {@code targetHardwareIDs} (every signer's, together);
     * empty when no signer names any, which means the package is for every client.
     *
     * @throws IllegalArgumentException when the attribute is there but is not a {@code SEQUENCE OF OBJECT IDENTIFIER}
     */
    static Set<ASN1ObjectIdentifier> targets(CMSSignedData firmware) {
        Set<ASN1ObjectIdentifier> targets = new HashSet<>();
        for (SignerInformation signer : firmware.getSignerInfos()) {
            AttributeTable signed = signer.getSignedAttributes();
            if (signed == null) {
                continue;
            }
            for (Attribute attribute : signed.toASN1Structure().getAttributes()) {
                if (!PackageOids.TARGET_HARDWARE_IDS.equals(attribute.getAttrType())) {
                    continue;
                }
                if (attribute.getAttrValues().size() != 1) {
                    throw new IllegalArgumentException("targetHardwareIDs must have exactly one value");
                }
                ASN1Sequence ids = ASN1Sequence.getInstance(attribute.getAttrValues().getObjectAt(0));
                if (ids.size() == 0) {
                    // an empty list would silently turn "for these devices" into "for no device"; refuse it
                    throw new IllegalArgumentException("targetHardwareIDs is empty");
                }
                for (ASN1Encodable id : ids) {
                    targets.add(ASN1ObjectIdentifier.getInstance(id));
                }
            }
        }
        return Collections.unmodifiableSet(targets);
    }

    /**
     * The hwType of every hardwareModuleName in the certificate's subjectAltName; empty when there is none (or the
     * extension does not decode: such a client is simply not a known hardware module).
     */
    static Set<ASN1ObjectIdentifier> hardwareTypes(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(SUBJECT_ALT_NAME);
        if (extension == null) {
            return Set.of();
        }
        Set<ASN1ObjectIdentifier> types = new HashSet<>();
        try {
            GeneralNames names = GeneralNames.getInstance(ASN1OctetString.getInstance(extension).getOctets());
            for (GeneralName name : names.getNames()) {
                if (name.getTagNo() != GeneralName.otherName) {
                    continue;
                }
                OtherName other = OtherName.getInstance(name.getName());
                if (PackageOids.HARDWARE_MODULE_NAME.equals(other.getTypeID())) {
                    ASN1Sequence module = ASN1Sequence.getInstance(other.getValue());
                    types.add(ASN1ObjectIdentifier.getInstance(module.getObjectAt(0)));
                }
            }
        } catch (IllegalArgumentException | IllegalStateException | ArrayIndexOutOfBoundsException e) {
            return Set.of();
        }
        return Collections.unmodifiableSet(types);
    }

    /** Whether a package for {@code targets} (empty: every client) is for a client of these hardware types. */
    static boolean selects(Set<ASN1ObjectIdentifier> targets, Set<ASN1ObjectIdentifier> clientTypes) {
        return targets.isEmpty() || !Collections.disjoint(targets, clientTypes);
    }
}

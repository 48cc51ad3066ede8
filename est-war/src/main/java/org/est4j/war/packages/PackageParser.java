package org.est4j.war.packages;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

import org.est4j.jaxrs.codec.PackageOids;
import org.est4j.spi.PackageKind;

/**
 * Checks that a file in a package directory is what its directory says it is, before any client is sent it. An
 * operator who drops the wrong file into {@code firmware/} (a certificate, a TAMP message, a truncated copy)
 * must see a warning, not have clients receive it and fail on it.
 */
final class PackageParser {

    /**
     * The TAMP messages a trust anchor manager sends to a device (RFC 5934): status query (1), update (3), apex
     * update (5), community update (7), sequence number adjust (10). Responses, confirms and errors (2, 4, 6, 8,
     * 9, 11) travel the other way, to {@code /tamp/return}, and are never distributed.
     */
    static final Set<ASN1ObjectIdentifier> TAMP_TO_DEVICE = Set.of(PackageOids.TAMP_STATUS_QUERY, PackageOids.TAMP_UPDATE,
            PackageOids.TAMP_APEX_UPDATE, PackageOids.TAMP_COMMUNITY_UPDATE, PackageOids.TAMP_SEQ_NUM_ADJUST);

    /** One package read from a file. */
    record Parsed(String id, byte[] der, Set<ASN1ObjectIdentifier> targetHardware) {
    }

    /** The file does not hold a package of its directory's kind; the message says why, without client text. */
    static final class InvalidPackageException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidPackageException(String message) {
            super(message);
        }

        InvalidPackageException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private PackageParser() {
    }

    /** Whether a file of this name is meant as a package of {@code kind}: others (notes, editor backups) are ignored. */
    static boolean isCandidate(PackageKind kind, String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (fileName.startsWith(".")) {
            return false; // hidden files, and the temporary files of an editor or an atomic copy
        }
        if (kind == PackageKind.EE_CERTIFICATES) {
            return name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".der");
        }
        return name.endsWith(".der");
    }

    /**
     * The packages in one file: one, except for a PEM file of several certificates, whose certificates become
     * {@code <file name>#1}, {@code #2}, ... in the order of the file.
     */
    static List<Parsed> parse(PackageKind kind, String fileName, byte[] content) throws InvalidPackageException {
        return switch (kind) {
            case EE_CERTIFICATES -> certificates(fileName, content);
            case SYMMETRIC_KEYS -> List.of(new Parsed(fileName, symmetricKeyPackage(content), Set.of()));
            case FIRMWARE -> List.of(firmware(fileName, content));
            case TAMP -> List.of(new Parsed(fileName, tamp(content), Set.of()));
        };
    }

    private static List<Parsed> certificates(String fileName, byte[] content) throws InvalidPackageException {
        if (!looksLikePem(content)) {
            return List.of(new Parsed(fileName, certificate(content), Set.of()));
        }
        List<byte[]> ders = new ArrayList<>();
        try (PemReader pem = new PemReader(new InputStreamReader(new ByteArrayInputStream(content), StandardCharsets.US_ASCII))) {
            for (PemObject object = pem.readPemObject(); object != null; object = pem.readPemObject()) {
                if (!"CERTIFICATE".equals(object.getType())) {
                    // a key or a request in the certificate directory is a mistake to be seen, never to be sent
                    throw new InvalidPackageException("a PEM block of type " + object.getType() + ", not CERTIFICATE");
                }
                ders.add(certificate(object.getContent()));
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidPackageException("not readable PEM: " + e.getMessage(), e);
        }
        if (ders.isEmpty()) {
            throw new InvalidPackageException("no PEM certificate in it");
        }
        if (ders.size() == 1) {
            return List.of(new Parsed(fileName, ders.get(0), Set.of()));
        }
        List<Parsed> parsed = new ArrayList<>();
        for (int i = 0; i < ders.size(); i++) {
            parsed.add(new Parsed(fileName + "#" + (i + 1), ders.get(i), Set.of()));
        }
        return parsed;
    }

    private static boolean looksLikePem(byte[] content) {
        String start = new String(content, 0, Math.min(content.length, 4096), StandardCharsets.ISO_8859_1);
        return start.contains("-----BEGIN ");
    }

    private static byte[] certificate(byte[] der) throws InvalidPackageException {
        try {
            Certificate.getInstance(der(der));
            return der;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidPackageException("not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    /**
     * RFC 6031: {@code SymmetricKeyPackage ::= SEQUENCE { version DEFAULT v1, sKeyPkgAttrs [0] OPTIONAL,
     * sKeys SEQUENCE SIZE (1..MAX) OF OneSymmetricKey }}. Checked for that shape; the keys themselves are the
     * operator's business.
     */
    private static byte[] symmetricKeyPackage(byte[] content) throws InvalidPackageException {
        ASN1Primitive object = der(content);
        if (!(object instanceof ASN1Sequence sequence) || sequence.size() < 1 || sequence.size() > 3) {
            throw new InvalidPackageException("not a SymmetricKeyPackage: not a SEQUENCE of 1 to 3 elements");
        }
        int i = 0;
        if (sequence.getObjectAt(i) instanceof ASN1Integer) {
            i++;
        }
        if (i < sequence.size() && sequence.getObjectAt(i) instanceof ASN1TaggedObject tagged && tagged.getTagNo() == 0) {
            i++;
        }
        if (i != sequence.size() - 1 || !(sequence.getObjectAt(i) instanceof ASN1Sequence keys) || keys.size() == 0) {
            throw new InvalidPackageException("not a SymmetricKeyPackage: no non-empty sKeys SEQUENCE at its end");
        }
        for (int k = 0; k < keys.size(); k++) {
            if (!(keys.getObjectAt(k) instanceof ASN1Sequence)) {
                throw new InvalidPackageException("not a SymmetricKeyPackage: sKeys holds something other than OneSymmetricKey");
            }
        }
        return content;
    }

    private static Parsed firmware(String fileName, byte[] content) throws InvalidPackageException {
        CMSSignedData signed = signedData(content, "firmware package");
        if (!PackageOids.FIRMWARE_PACKAGE.getId().equals(signed.getSignedContentTypeOID())) {
            throw new InvalidPackageException("its SignedData holds " + signed.getSignedContentTypeOID()
                    + ", not id-ct-firmwarePackage " + PackageOids.FIRMWARE_PACKAGE.getId());
        }
        try {
            return new Parsed(fileName, content, FirmwareTargets.targets(signed));
        } catch (IllegalArgumentException e) {
            throw new InvalidPackageException("its targetHardwareIDs attribute is malformed: " + e.getMessage(), e);
        }
    }

    private static byte[] tamp(byte[] content) throws InvalidPackageException {
        CMSSignedData signed = signedData(content, "TAMP message");
        ASN1ObjectIdentifier type = new ASN1ObjectIdentifier(signed.getSignedContentTypeOID());
        if (!TAMP_TO_DEVICE.contains(type)) {
            throw new InvalidPackageException("its SignedData holds " + type.getId()
                    + ", not a TAMP message for a device (id-tamp " + PackageOids.TAMP.getId() + ".1, .3, .5, .7 or .10)");
        }
        return content;
    }

    private static CMSSignedData signedData(byte[] content, String what) throws InvalidPackageException {
        ContentInfo info;
        try {
            info = ContentInfo.getInstance(der(content));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidPackageException("not a " + what + ": not a CMS ContentInfo", e);
        }
        if (!CMSObjectIdentifiers.signedData.equals(info.getContentType())) {
            throw new InvalidPackageException("not a " + what + ": a ContentInfo of " + info.getContentType().getId()
                    + ", not SignedData");
        }
        try {
            return new CMSSignedData(info);
        } catch (CMSException | RuntimeException e) {
            throw new InvalidPackageException("not a " + what + ": its SignedData does not decode", e);
        }
    }

    /** Exactly one DER/BER object, nothing after it. */
    private static ASN1Primitive der(byte[] content) throws InvalidPackageException {
        try {
            ASN1Primitive object = ASN1Primitive.fromByteArray(content);
            if (object == null) {
                throw new InvalidPackageException("empty");
            }
            return object;
        } catch (IOException | RuntimeException e) {
            throw new InvalidPackageException("not one ASN.1 object (" + e.getMessage() + ")", e);
        }
    }
}

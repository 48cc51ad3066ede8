package org.est4j.jaxrs.packages;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code message} of a package availability list (RFC 8295 section 2.1.1): what kind of package, how big,
 * whose it is and where to get it.
 *
 * @param type the four-digit package type of the IANA "PAL Package Types" registry, such as {@link #CA_CERTIFICATES}
 * @param date when the package was made available, where known
 * @param size the package's size in bytes (DER, before the base64 transfer encoding); 0 for an entry that names
 *             an operation to perform rather than something to fetch
 * @param info who the package comes from or concerns
 * @param uri  the absolute URL the client fetches it from (or posts to, for the receipt entries)
 */
record PalEntry(String type, Optional<Instant> date, long size, Info info, String uri) {

    public static final String CA_CERTIFICATES = "0002";
    public static final String EE_CERTIFICATES = "0003";
    public static final String ARL = "0004";
    public static final String CRL = "0005";
    public static final String ENROLL_WITH_CSR_ATTRIBUTES = "0006";
    public static final String ENROLL = "0007";
    public static final String REENROLL = "0010";
    public static final String SYMMETRIC_KEY_PACKAGE = "0024";
    public static final String SYMMETRIC_KEY_RECEIPT = "0025";
    public static final String FIRMWARE_PACKAGE = "0026";
    public static final String FIRMWARE_RECEIPT = "0027";
    public static final String TAMP_STATUS_QUERY = "0028";
    public static final String TAMP_STATUS_RESPONSE = "0029";
    public static final String TRUST_ANCHOR_UPDATE = "0030";
    public static final String TRUST_ANCHOR_UPDATE_CONFIRM = "0031";
    public static final String COMMUNITY_UPDATE = "0032";
    public static final String COMMUNITY_UPDATE_CONFIRM = "0033";
    public static final String SEQUENCE_NUMBER_ADJUST = "0034";
    public static final String SEQUENCE_NUMBER_ADJUST_CONFIRM = "0035";

    public PalEntry {
        Objects.requireNonNull(type, "type");
        if (!type.matches("[0-9]{4}")) {
            throw new IllegalArgumentException("a PAL package type is four digits: " + type);
        }
        Objects.requireNonNull(date, "date");
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(uri, "uri");
    }

    /** The {@code info} element: exactly one of a distinguished name, key identifier, issuer and serial, or URI. */
    public sealed interface Info {
    }

    /** {@code <dn>}: an RFC 4514 distinguished name. */
    public record Dn(String dn) implements Info {
        public Dn {
            Objects.requireNonNull(dn, "dn");
        }
    }

    /** {@code <ski>}: a subject key identifier, in hexadecimal. */
    public record Ski(String hex) implements Info {
        public Ski {
            Objects.requireNonNull(hex, "hex");
        }

        public static Ski of(byte[] keyIdentifier) {
            return new Ski(HexFormat.of().withUpperCase().formatHex(keyIdentifier));
        }
    }

    /** {@code <iasn>}: a certificate's issuer (RFC 4514) and serial number (decimal). */
    public record Iasn(String issuer, BigInteger serial) implements Info {
        public Iasn {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(serial, "serial");
        }
    }

    /** {@code <uri>}. */
    public record Uri(String uri) implements Info {
        public Uri {
            Objects.requireNonNull(uri, "uri");
        }
    }
}

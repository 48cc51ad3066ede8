package org.est4j.spi;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the CA wants in the client's next certification request (RFC 7030 section 4.5.2): a sequence
 * of object identifiers and attributes. est4j encodes it as the DER {@code CsrAttrs} structure.
 *
 * <p>Examples from RFC 7030 section 4.5.2: {@code new Oid("1.2.840.113549.1.9.7")} asks for a
 * challengePassword, {@code new Oid("1.2.840.10045.4.3.3")} for an ecdsa-with-SHA384 signature,
 * {@code new Attribute("1.2.840.10045.2.1", List.of("1.3.132.0.34"))} for a P-384 key, and
 * {@code new Attribute("1.2.840.113549.1.9.14", List.of("1.3.6.1.1.1.1.22"))} for a macAddress
 * extension.
 *
 * @param items in the order the client should see them; may be empty (est4j then answers 204)
 */
public record CsrAttributes(List<Item> items) {

    private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]*))+");

    public CsrAttributes {
        items = List.copyOf(items);
    }

    /** One element of {@code CsrAttrs}: an OID or an attribute. */
    public sealed interface Item permits Oid, Attribute {
    }

    /** A bare object identifier (an attribute, extension or algorithm the client should use). */
    public record Oid(String oid) implements Item {
        public Oid {
            requireOid(oid);
        }
    }

    /**
     * An attribute with object-identifier values (the form RFC 7030's examples use).
     *
     * @param type      the attribute type
     * @param valueOids its values, each an object identifier
     */
    public record Attribute(String type, List<String> valueOids) implements Item {
        public Attribute {
            requireOid(type);
            valueOids = List.copyOf(valueOids);
            if (valueOids.isEmpty()) {
                throw new IllegalArgumentException("an attribute needs at least one value");
            }
            valueOids.forEach(CsrAttributes::requireOid);
        }
    }

    private static void requireOid(String oid) {
        if (oid == null || !OID.matcher(oid).matches()) {
            throw new IllegalArgumentException("not a dotted object identifier: " + oid);
        }
    }
}

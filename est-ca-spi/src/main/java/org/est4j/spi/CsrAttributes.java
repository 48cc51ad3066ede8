package org.est4j.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
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

    private static final Pattern OID = Pattern.compile("[0-2](?:\\.(?:0|[1-9][0-9]*+))++");

    public CsrAttributes {
        items = List.copyOf(items);
    }

    /** One element of {@code CsrAttrs}: an OID or an attribute. */
    public sealed interface Item permits Oid, Attribute, Template {
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

    /**
     * The RFC 9908 template form: a {@code CertificationRequestInfoTemplate} (attribute
     * {@code id-aa-certificationRequestInfoTemplate}, 1.2.840.113549.1.9.16.2.61) that shows the client
     * the request to build: subject fields, key type, and the extensions to ask for (inside an
     * {@code id-aa-extensionReqTemplate}, 1.2.840.113549.1.9.16.2.62, attribute).
     *
     * @param subject    subject fields in order, one RDN each; a field without a value means "fill in"
     * @param key        the key type the request must have, if any
     * @param extensions extensions the request should ask for
     */
    public record Template(List<SubjectField> subject, Optional<KeyTemplate> key, List<ExtensionTemplate> extensions)
            implements Item {
        public Template {
            subject = List.copyOf(subject);
            Objects.requireNonNull(key, "key");
            extensions = List.copyOf(extensions);
        }
    }

    /**
     * One subject field of a {@link Template}.
     *
     * @param type  the attribute type OID (2.5.4.3 for commonName...)
     * @param value the value the CA will use (a UTF8String), or empty for "the client fills it in"
     */
    public record SubjectField(String type, Optional<String> value) {
        public SubjectField {
            requireOid(type);
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * The key of a {@link Template}.
     *
     * @param algorithm  the SubjectPublicKeyInfo algorithm OID (1.2.840.10045.2.1 for EC...)
     * @param parameters a parameter OID such as the named curve, if any
     */
    public record KeyTemplate(String algorithm, Optional<String> parameters) {
        public KeyTemplate {
            requireOid(algorithm);
            parameters.ifPresent(CsrAttributes::requireOid);
        }
    }

    /**
     * One extension of a {@link Template}.
     *
     * @param oid      the extension OID
     * @param critical whether it should be marked critical
     * @param value    the DER of the extension value the CA suggests, or empty for "the client fills it in"
     */
    public record ExtensionTemplate(String oid, boolean critical, Optional<byte[]> value) {
        public ExtensionTemplate {
            requireOid(oid);
            value = value.map(byte[]::clone);
        }
    }

    private static void requireOid(String oid) {
        if (oid == null || !OID.matcher(oid).matches()) {
            throw new IllegalArgumentException("not a dotted object identifier: " + oid);
        }
    }
}

package org.est4j.spi;

import java.util.Objects;

/**
 * One entry of a subjectAltName extension (RFC 5280 section 4.2.1.6), in the representation of
 * {@link java.security.cert.X509Certificate#getSubjectAlternativeNames()}.
 *
 * @param type  the GeneralName choice
 * @param value for {@code RFC822_NAME}, {@code DNS_NAME} and {@code URI}: the string; for
 *              {@code IP_ADDRESS}: the textual address; for {@code DIRECTORY_NAME}: the RFC 2253
 *              form; for {@code REGISTERED_ID}: the dotted OID; for the others ({@code OTHER_NAME},
 *              {@code X400_ADDRESS}, {@code EDI_PARTY_NAME}): the hex of the DER encoding of the name
 */
public record SubjectAltName(Type type, String value) {

    /** The GeneralName choices, in tag order (the ordinal is the ASN.1 context tag). */
    public enum Type {
        OTHER_NAME, RFC822_NAME, DNS_NAME, X400_ADDRESS, DIRECTORY_NAME, EDI_PARTY_NAME, URI, IP_ADDRESS, REGISTERED_ID;

        /** The ASN.1 context tag of this choice, as used by {@code getSubjectAlternativeNames()}. */
        public int tag() {
            return ordinal();
        }
    }

    public SubjectAltName {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }
}

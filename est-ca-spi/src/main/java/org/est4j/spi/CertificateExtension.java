package org.est4j.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * An X.509 extension a client asked for in its PKCS#10 {@code extensionRequest} attribute
 * (RFC 2985 section 5.4.2).
 *
 * @param oid      the extension's object identifier, dotted
 * @param critical the criticality the client asked for
 * @param value    the DER encoding of the extension value (the contents of {@code extnValue})
 */
public record CertificateExtension(String oid, boolean critical, byte[] value) {

    public CertificateExtension {
        Objects.requireNonNull(oid, "oid");
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateExtension other
                && oid.equals(other.oid) && critical == other.critical && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(oid, critical) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "CertificateExtension[" + oid + (critical ? ", critical" : "") + ", " + value.length + " bytes]";
    }
}

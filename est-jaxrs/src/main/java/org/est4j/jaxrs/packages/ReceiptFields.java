package org.est4j.jaxrs.packages;

import java.io.IOException;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;

/**
 * Reads the components of one ASN.1 SEQUENCE in order, the way the RFC 4108, 5934 and 7191 modules declare
 * them: optional and DEFAULT fields are recognised by their universal type or context tag, required ones must
 * be there. Every mismatch is an {@link IllegalArgumentException} saying which field was expected, which the
 * callers turn into a 400 (a message from a client) or ignore (a package from the store).
 *
 * <p>Why a cursor rather than BouncyCastle's typed classes: BouncyCastle has none for these content types,
 * and its generic {@code getInstance} methods accept far more than the modules allow.
 */
final class ReceiptFields {

    private final ASN1Sequence sequence;
    private int next;

    ReceiptFields(ASN1Encodable sequence, String what) {
        if (!(sequence instanceof ASN1Sequence s)) {
            throw new IllegalArgumentException("expected " + what + " (a SEQUENCE)");
        }
        this.sequence = s;
    }

    /** The single BER/DER object in {@code der}, read as a SEQUENCE. */
    static ReceiptFields of(byte[] der, String what) {
        return new ReceiptFields(single(der, what), what);
    }

    /** Exactly one ASN.1 object, nothing after it. */
    static ASN1Primitive single(byte[] der, String what) {
        try (ASN1InputStream in = new ASN1InputStream(der)) {
            ASN1Primitive object = in.readObject();
            if (object == null || in.readObject() != null) {
                throw new IllegalArgumentException("expected one " + what + " and nothing after it");
            }
            return object;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("expected")) {
                throw iae;
            }
            throw new IllegalArgumentException("expected " + what + " (not valid DER)");
        }
    }

    /** The next component if it has this Java type (an optional or DEFAULT field), else null. */
    <T> T optional(Class<T> type) {
        if (next < sequence.size() && type.isInstance(sequence.getObjectAt(next))) {
            return type.cast(sequence.getObjectAt(next++));
        }
        return null;
    }

    /** The next component if it carries context tag {@code [tagNo]}, else null. */
    ASN1TaggedObject optionalTagged(int tagNo) {
        if (next < sequence.size() && sequence.getObjectAt(next) instanceof ASN1TaggedObject tagged
                && tagged.getTagClass() == BERTags.CONTEXT_SPECIFIC && tagged.getTagNo() == tagNo) {
            next++;
            return tagged;
        }
        return null;
    }

    /** The next component, which must have this Java type. */
    <T> T required(Class<T> type, String field) {
        T value = optional(type);
        if (value == null) {
            throw new IllegalArgumentException("expected " + field + (next < sequence.size() ? "" : ", the SEQUENCE ended"));
        }
        return value;
    }

    /** The next component whatever it is (an untagged CHOICE), which must be there. */
    ASN1Encodable requiredAny(String field) {
        if (next >= sequence.size()) {
            throw new IllegalArgumentException("expected " + field + ", the SEQUENCE ended");
        }
        return sequence.getObjectAt(next++);
    }

    /** Whether components are left. */
    boolean hasNext() {
        return next < sequence.size();
    }

    /** Nothing may follow what was read. */
    void end(String what) {
        if (next < sequence.size()) {
            throw new IllegalArgumentException("unexpected component " + (next + 1) + " after the fields of " + what);
        }
    }
}

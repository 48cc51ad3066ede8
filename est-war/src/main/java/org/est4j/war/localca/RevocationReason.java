package org.est4j.war.localca;

import java.util.List;
import java.util.Optional;

/**
 * The CRLReason codes of RFC 5280 section 5.3.1 by name, for everything that takes a reason from a person (the admin
 * command, the console) or writes one down (the audit trail).
 */
public final class RevocationReason {

    /** By code; 7 is unused. */
    private static final List<String> NAMES = List.of("unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
            "superseded", "cessationOfOperation", "certificateHold", "", "removeFromCRL", "privilegeWithdrawn", "aACompromise");

    /** removeFromCRL: only for delta CRLs, never a revocation. */
    private static final int REMOVE_FROM_CRL = 8;

    private RevocationReason() {
    }

    /** The name of {@code code}, or the number when it has none. */
    public static String name(int code) {
        return code >= 0 && code < NAMES.size() && !NAMES.get(code).isEmpty() ? NAMES.get(code) : Integer.toString(code);
    }

    /** The codes a revocation may carry, in order: every named one but removeFromCRL. */
    public static List<Integer> revocationCodes() {
        return java.util.stream.IntStream.range(0, NAMES.size()).filter(i -> !NAMES.get(i).isEmpty() && i != REMOVE_FROM_CRL)
                .boxed().toList();
    }

    /** {@code value} as a revocation's reason: a name (any case) or a code; empty for anything else, and removeFromCRL. */
    public static Optional<Integer> parse(String value) {
        for (int code : revocationCodes()) {
            if (NAMES.get(code).equalsIgnoreCase(value) || Integer.toString(code).equals(value)) {
                return Optional.of(code);
            }
        }
        return Optional.empty();
    }

    /** The accepted names, for an error message. */
    public static String accepted() {
        return String.join(", ", revocationCodes().stream().map(RevocationReason::name).toList()) + " or their codes";
    }
}

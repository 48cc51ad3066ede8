package org.est4j.jaxrs.policy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.est4j.jaxrs.EstProtocolException;

/**
 * Syntax of the optional CA label path segment (RFC 7030 section 3.2.2): one path segment of
 * unreserved URI characters, at most 64 long, not starting with a dot, and not the name of an EST
 * operation (so {@code /.well-known/est/simpleenroll/cacerts} cannot be mistaken for a label).
 */
public final class Labels {

    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,63}");

    /** The operation path segments of RFC 7030 (draft-02 spelled them in mixed case). */
    public static final List<String> RFC7030_OPERATIONS = List.of("cacerts", "simpleenroll", "simplereenroll", "fullcmc",
            "serverkeygen", "csrattrs");

    /** Operation path segments of RFC 7030 and RFC 8295, which a label must not equal (any case). */
    private static final Set<String> OPERATIONS = Stream.concat(RFC7030_OPERATIONS.stream(),
            Stream.of("pal", "eecerts", "crls", "symmetrickeys", "firmware", "tamp", "return")).collect(Collectors.toUnmodifiableSet());

    private Labels() {
    }

    /** Whether {@code label} is an acceptable label. */
    public static boolean isValid(String label) {
        return label != null && SYNTAX.matcher(label).matches() && !OPERATIONS.contains(label.toLowerCase(Locale.ROOT));
    }

    /**
     * The label of a labelled request path.
     *
     * @throws EstProtocolException 404: a malformed label cannot name a CA this server serves
     */
    public static Optional<String> require(String label) {
        if (!isValid(label)) {
            throw new EstProtocolException(404, "no such CA label; a label is one path segment of letters, digits and . _ ~ -");
        }
        return Optional.of(label);
    }
}

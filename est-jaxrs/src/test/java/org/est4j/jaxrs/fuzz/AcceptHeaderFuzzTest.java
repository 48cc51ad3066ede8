package org.est4j.jaxrs.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.est4j.jaxrs.AcceptHeader;
import org.est4j.jaxrs.EstMediaTypes;
import org.est4j.jaxrs.keygen.KeyFormat;

/**
 * {@link AcceptHeader}, est4j's one reader of a request's {@code Accept} ({@code /pal}, {@code /serverkeygen}), and
 * {@link KeyFormat#fromAccept}, the {@code /serverkeygen} choice made from it. Contract: never an exception; the ranges
 * are numbered 0 to n-1 in order, lower case, each with a type and a subtype and a quality in [0, 1] (a malformed
 * {@code q} is 0, never an error); {@code quality} is in [0, 1], 0 for a type no range matches, and for a range's
 * own type the quality of a range naming exactly it; a {@link KeyFormat} other than RFC 7030's multipart is chosen
 * only by a range naming its media type with a quality above 0 (a wildcard never selects it).
 */
class AcceptHeaderFuzzTest {

    static {
        Fuzzing.init();
    }

    /** Types whose quality every input is asked for: the ones est4j negotiates, and one nobody names. */
    private static final List<String> ASKED = List.of(EstMediaTypes.PKCS12, EstMediaTypes.CMS, "multipart/mixed",
            "application/json", "text/plain", "application/x-est4j-never-named");

    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void acceptHeader(byte[] input) {
        assertTrue(AcceptHeader.parse(null).isEmpty(), "no Accept is no preference");
        for (String value : Fuzzing.decodings(input)) {
            AcceptHeader header = AcceptHeader.parse(value);
            List<AcceptHeader.Range> ranges = header.ranges();
            assertEquals(ranges.isEmpty(), header.isEmpty(), () -> "isEmpty disagrees with the ranges of '" + value + "'");
            for (int i = 0; i < ranges.size(); i++) {
                AcceptHeader.Range r = ranges.get(i);
                int position = i;
                assertEquals(position, r.position(), () -> "range " + position + " of '" + value + "' has position " + r.position());
                assertQuality(r.quality(), () -> "range " + r + " of '" + value + "'");
                assertFalse(r.type().isEmpty() || r.subtype().isEmpty() || r.type().contains("/"),
                        () -> "range " + r + " of '" + value + "' is not type/subtype");
                assertEquals(r.type().toLowerCase(Locale.ROOT), r.type(), () -> "type of " + r + " is not lower case");
                assertEquals(r.subtype().toLowerCase(Locale.ROOT), r.subtype(), () -> "subtype of " + r + " is not lower case");
                assertTrue(r.names(r.type() + "/" + r.subtype()), () -> r + " does not name itself");
                double own = header.quality(r.type(), r.subtype());
                assertQuality(own, () -> "quality(" + r.type() + ", " + r.subtype() + ") of '" + value + "'");
                assertTrue(ranges.stream().anyMatch(o -> o.type().equals(r.type()) && o.subtype().equals(r.subtype()) && o.quality() == own),
                        () -> "quality(" + r.type() + ", " + r.subtype() + ") of '" + value + "' is " + own
                                + ", the quality of no range naming exactly that type");
            }
            for (String mediaType : ASKED) {
                int slash = mediaType.indexOf('/');
                String type = mediaType.substring(0, slash);
                String subtype = mediaType.substring(slash + 1);
                double q = header.quality(type, subtype);
                assertQuality(q, () -> "quality(" + mediaType + ") of '" + value + "'");
                boolean matched = ranges.stream().anyMatch(r -> r.names(mediaType) || r.type().equals(type) && r.subtype().equals("*")
                        || r.type().equals("*") && r.subtype().equals("*"));
                assertTrue(matched || q == 0, () -> "quality(" + mediaType + ") of '" + value + "' is " + q + " though no range matches it");
            }
            KeyFormat format = KeyFormat.fromAccept(value);
            assertNotNull(format, value);
            String named = switch (format) {
                case MULTIPART -> null;
                case PKCS12 -> EstMediaTypes.PKCS12;
                case ENCRYPTED_KEY_PACKAGE -> EstMediaTypes.CMS;
            };
            if (named != null) {
                assertTrue(ranges.stream().anyMatch(r -> r.names(named) && r.quality() > 0),
                        () -> "'" + value + "' chose " + format + " without naming " + named + " with a quality above 0");
            }
        }
    }

    private static void assertQuality(double q, java.util.function.Supplier<String> what) {
        assertTrue(q >= 0 && q <= 1, () -> what.get() + ": quality " + q + " is not in [0, 1]");
    }
}

package org.est4j.jaxrs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The media ranges of a request's {@code Accept} (RFC 9110 section 12.5.1), for the few replies whose form depends
 * on it ({@code /pal}, {@code /serverkeygen}). Every other est4j reply has a fixed media type and ignores it.
 *
 * <p>A comma inside a quoted parameter value does not end a range. A {@code q} that is not an RFC 9110 qvalue
 * makes its range "not acceptable" (q = 0): a malformed preference never selects a form. (The
 * {@link ErrorReplyFilter} drops a malformed {@code Accept} before it gets here; this is the second line.)
 *
 * @param ranges the ranges in the order the client listed them
 */
public record AcceptHeader(List<Range> ranges) {

    /** One media range: lower-case type and subtype ({@code *} for a wildcard), its q-value, its position. */
    public record Range(String type, String subtype, double quality, int position) {

        /** Whether it names exactly {@code mediaType} ({@code type/subtype}, lower case). */
        public boolean names(String mediaType) {
            return mediaType.equals(type + "/" + subtype);
        }
    }

    public AcceptHeader {
        ranges = List.copyOf(ranges);
    }

    /** {@code accept}: the request's {@code Accept} field values joined by commas, or null when there is none. */
    public static AcceptHeader parse(String accept) {
        List<Range> ranges = new ArrayList<>();
        if (accept != null) {
            for (String element : elements(accept)) {
                int semicolon = element.indexOf(';');
                String range = (semicolon < 0 ? element : element.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
                int slash = range.indexOf('/');
                if (slash <= 0 || slash == range.length() - 1) {
                    continue; // an empty list element, or not a media range
                }
                ranges.add(new Range(range.substring(0, slash), range.substring(slash + 1),
                        quality(semicolon < 0 ? "" : element.substring(semicolon + 1)), ranges.size()));
            }
        }
        return new AcceptHeader(ranges);
    }

    /** Whether the client stated no preference at all (no field, or nothing in it). */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /**
     * How much the client wants {@code type/subtype}: the q-value of the most specific range that matches it
     * (exact, then {@code type/*}, then {@code *}{@code /*}), 0 when none does.
     */
    public double quality(String type, String subtype) {
        int best = -1;
        double quality = 0;
        for (Range r : ranges) {
            int specificity = r.type.equals(type) && r.subtype.equals(subtype) ? 2
                    : r.type.equals(type) && r.subtype.equals("*") ? 1
                    : r.type.equals("*") && r.subtype.equals("*") ? 0 : -1;
            if (specificity > best) {
                best = specificity;
                quality = r.quality;
            }
        }
        return quality;
    }

    /** The comma-separated elements; a comma inside a quoted parameter value does not split. */
    private static List<String> elements(String accept) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < accept.length(); i++) {
            char c = accept.charAt(i);
            if (quoted && c == '\\' && i + 1 < accept.length()) {
                current.append(c).append(accept.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        out.add(current.toString());
        return out;
    }

    /** The {@code q} parameter among {@code parameters}: 1 without one, 0 when it is not a qvalue (RFC 9110 12.4.2). */
    private static double quality(String parameters) {
        for (String parameter : parameters.split(";")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).strip().equalsIgnoreCase("q")) {
                String v = parameter.substring(equals + 1).strip();
                return v.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?") ? Double.parseDouble(v) : 0;
            }
        }
        return 1;
    }
}

package org.est4j.jaxrs.packages;

import java.util.Locale;
import java.util.Optional;

/**
 * The two representations of a package availability list (RFC 8295 section 2.1.1), and the choice between them
 * from the request's {@code Accept} (RFC 9110 section 12.5.1).
 */
enum PalFormat {

    XML("application/xml", "application", "xml"),
    JSON("application/json", "application", "json");

    private final String mediaType;
    private final String type;
    private final String subtype;

    PalFormat(String mediaType, String type, String subtype) {
        this.mediaType = mediaType;
        this.type = type;
        this.subtype = subtype;
    }

    /** The {@code Content-Type} of the reply. */
    String mediaType() {
        return mediaType;
    }

    /**
     * The representation the client prefers: the one of higher quality, where each gets the q-value of the most
     * specific range that matches it; XML on a tie, without {@code Accept}, or with an empty one (the RFC's
     * primary format). Empty when the client accepts neither (406).
     */
    static Optional<PalFormat> negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return Optional.of(XML);
        }
        double xml = XML.quality(accept);
        double json = JSON.quality(accept);
        if (xml <= 0 && json <= 0) {
            return Optional.empty();
        }
        return Optional.of(json > xml ? JSON : XML);
    }

    /** The q-value {@code accept} gives this representation: that of its most specific matching range, 0 if none. */
    private double quality(String accept) {
        int bestSpecificity = -1;
        double quality = 0;
        for (String element : accept.split(",")) {
            String[] parts = element.split(";");
            String range = parts[0].strip().toLowerCase(Locale.ROOT);
            int slash = range.indexOf('/');
            if (slash < 0) {
                continue; // an empty list element, or not a media range
            }
            String t = range.substring(0, slash);
            String s = range.substring(slash + 1);
            int specificity;
            if (t.equals(type) && s.equals(subtype)) {
                specificity = 2;
            } else if (t.equals(type) && s.equals("*")) {
                specificity = 1;
            } else if (t.equals("*") && s.equals("*")) {
                specificity = 0;
            } else {
                continue;
            }
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                quality = qValue(parts);
            }
        }
        return quality;
    }

    /** The range's {@code q} parameter; 1 without one, 0 (not acceptable) when it is not a qvalue. */
    private static double qValue(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.length() >= 2 && (p.charAt(0) == 'q' || p.charAt(0) == 'Q') && p.charAt(1) == '=') {
                String v = p.substring(2).strip();
                if (!v.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) {
                    return 0;
                }
                return Double.parseDouble(v);
            }
        }
        return 1;
    }
}

package org.est4j.jaxrs.packages;

import java.util.Optional;

import org.est4j.jaxrs.AcceptHeader;

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
        AcceptHeader ranges = AcceptHeader.parse(accept);
        if (ranges.isEmpty()) {
            return Optional.of(XML);
        }
        double xml = ranges.quality(XML.type, XML.subtype);
        double json = ranges.quality(JSON.type, JSON.subtype);
        if (xml <= 0 && json <= 0) {
            return Optional.empty();
        }
        return Optional.of(json > xml ? JSON : XML);
    }
}

package org.est4j.jaxrs;

/**
 * The syntax of the {@code Content-Type} and {@code Accept} header values (RFC 9110 sections 8.3.1 and
 * 12.5.1), checked before the JAX-RS runtime parses them: its parser refuses malformed values with the
 * container's HTML error page, so est4j checks first and answers in its own words.
 *
 * <pre>
 *   media-type  = type "/" subtype parameters
 *   parameters  = *( OWS ";" OWS [ parameter ] )
 *   parameter   = token "=" ( token / quoted-string )
 *   Accept      = #( media-range [ weight ] )     (media-range: "*&#47;*", type "/*" or a media-type)
 *   weight      = OWS ";" OWS "q=" qvalue
 * </pre>
 */
public final class MediaTypeSyntax {

    /** Longer header values are refused without being read further. */
    static final int MAX_LENGTH = 1024;

    private MediaTypeSyntax() {
    }

    /** Whether {@code value} is one well-formed media type with optional parameters. */
    public static boolean isMediaType(String value) {
        if (value == null || value.length() > MAX_LENGTH) {
            return false;
        }
        Cursor c = new Cursor(value);
        c.skipWhitespace();
        if (!c.mediaRange(false)) {
            return false;
        }
        c.skipWhitespace();
        return c.atEnd();
    }

    /** Whether {@code value} is a well-formed {@code Accept} field value (an empty one included). */
    public static boolean isAccept(String value) {
        if (value == null || value.length() > MAX_LENGTH) {
            return false;
        }
        Cursor c = new Cursor(value);
        while (true) {
            c.skipWhitespace();
            if (c.atEnd()) {
                return true;
            }
            if (c.peek() == ',') { // empty list elements are allowed (RFC 9110 section 5.6.1)
                c.next();
                continue;
            }
            if (!c.mediaRange(true)) {
                return false;
            }
            c.skipWhitespace();
            if (c.atEnd()) {
                return true;
            }
            if (c.peek() != ',') {
                return false;
            }
            c.next();
        }
    }

    private static final class Cursor {
        private final String s;
        private int i;

        Cursor(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return i >= s.length();
        }

        char peek() {
            return s.charAt(i);
        }

        void next() {
            i++;
        }

        void skipWhitespace() {
            while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
                i++;
            }
        }

        /** type "/" subtype, then parameters; with {@code range}, wildcards and the q parameter are allowed. */
        boolean mediaRange(boolean range) {
            int typeStart = i;
            if (!token()) {
                return false;
            }
            boolean wildcardType = range && s.substring(typeStart, i).equals("*");
            if (atEnd() || peek() != '/') {
                return false;
            }
            next();
            int subtypeStart = i;
            if (!token()) {
                return false;
            }
            if (wildcardType && !s.substring(subtypeStart, i).equals("*")) {
                return false; // "*/json" is not a media range
            }
            while (true) {
                int mark = i;
                skipWhitespace();
                if (atEnd() || peek() != ';') {
                    i = mark;
                    return true;
                }
                next();
                skipWhitespace();
                if (atEnd() || peek() == ';' || peek() == ',') {
                    continue; // an empty parameter
                }
                int nameStart = i;
                if (!token()) {
                    return false;
                }
                String name = s.substring(nameStart, i);
                if (atEnd() || peek() != '=') {
                    return false;
                }
                next();
                int valueStart = i;
                if (!atEnd() && peek() == '"') {
                    if (!quotedString()) {
                        return false;
                    }
                } else if (!token()) {
                    return false;
                }
                if (range && name.equalsIgnoreCase("q") && !isQvalue(s.substring(valueStart, i))) {
                    return false;
                }
            }
        }

        private boolean token() {
            int start = i;
            while (!atEnd() && isTokenChar(peek())) {
                i++;
            }
            return i > start;
        }

        private boolean quotedString() {
            next(); // the opening quote
            while (!atEnd()) {
                char c = peek();
                next();
                if (c == '"') {
                    return true;
                }
                if (c == '\\') {
                    if (atEnd() || !isQuotedChar(peek())) {
                        return false;
                    }
                    next();
                } else if (!isQuotedChar(c)) {
                    return false;
                }
            }
            return false; // unterminated
        }
    }

    private static boolean isTokenChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** qdtext or a quoted-pair's character: HTAB, SP, visible ASCII, obs-text (as ISO-8859-1 decoded it). */
    private static boolean isQuotedChar(char c) {
        return c == '\t' || c >= 0x20 && c <= 0x7e || c >= 0x80 && c <= 0xff;
    }

    private static boolean isQvalue(String v) {
        return v.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?");
    }
}

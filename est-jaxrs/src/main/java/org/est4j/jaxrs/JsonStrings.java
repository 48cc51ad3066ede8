package org.est4j.jaxrs;

/**
 * JSON string literals (RFC 8259 section 7) for the JSON est4j writes (the RFC 8295 /pal document, the audit trail):
 * no JSON library is on the WAR's class path (Tomcat ships none), and documents of strings and numbers need none.
 *
 * <p>Besides what RFC 8259 requires ({@code "}, {@code \} and U+0000 to U+001F), DEL, the C1 controls,
 * U+2028/U+2029 (line breaks to JavaScript) and unpaired surrogates (not Unicode text, which UTF-8 cannot carry) are
 * written as {@code \}{@code uXXXX}: nothing a client sent can end a line, close the string, or reach a terminal as a
 * control sequence, wherever the text is logged or embedded.
 */
public final class JsonStrings {

    private JsonStrings() {
    }

    /** {@code value} as a JSON string, quotes included. */
    public static String quote(String value) {
        return append(new StringBuilder(value.length() + 2), value).toString();
    }

    /** Appends {@code value} as a JSON string, quotes included, to {@code b}; returns {@code b}. */
    public static StringBuilder append(StringBuilder b, String value) {
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029') {
                        hex(b, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                        b.append(c).append(value.charAt(++i)); // a pair is one character
                    } else if (Character.isSurrogate(c)) {
                        hex(b, c); // unpaired
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }

    private static void hex(StringBuilder b, char c) {
        String digits = Integer.toHexString(c);
        b.append("\\u");
        for (int pad = digits.length(); pad < 4; pad++) {
            b.append('0');
        }
        b.append(digits);
    }
}

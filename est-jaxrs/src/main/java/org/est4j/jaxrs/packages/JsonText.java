package org.est4j.jaxrs.packages;

/**
 * JSON string literals (RFC 8259 section 7), for the few JSON documents est4j writes: no JSON library is on
 * the WAR's class path (Tomcat ships none), and a document of strings and numbers does not need one.
 */
final class JsonText {

    private JsonText() {
    }

    /**
     * {@code value} as a JSON string, quotes included. Besides what RFC 8259 requires ({@code "}, {@code \} and
     * the control characters), DEL, the C1 controls, U+2028/U+2029 (line breaks to JavaScript) and unpaired
     * surrogates (not Unicode text, which UTF-8 cannot carry) are written as {@code \}{@code uXXXX} escapes,
     * so the document stays printable ASCII-safe wherever it is logged or embedded.
     */
    static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029' || unpairedSurrogate(value, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                        if (Character.isHighSurrogate(c)) {
                            out.append(value.charAt(++i)); // its low surrogate: the pair is one character
                        }
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static boolean unpairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c); // a low surrogate reached here was not preceded by its high one
    }
}

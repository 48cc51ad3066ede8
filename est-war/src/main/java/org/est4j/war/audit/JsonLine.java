package org.est4j.war.audit;

import java.util.List;

/**
 * One JSON object (RFC 8259) on one line, built member by member: what the audit trail writes. No JSON library is on
 * the WAR's class path (Tomcat ships none), and an object of strings, numbers and string arrays needs none.
 *
 * <p>Strings are escaped so that nothing a client sent can end the line, close the string or the object, or reach a
 * terminal as a control sequence: besides what RFC 8259 requires ({@code "}, {@code \} and U+0000 to U+001F), DEL,
 * the C1 controls, U+2028/U+2029 and unpaired surrogates are written as {@code \}{@code uXXXX}. An absent (null)
 * value leaves its member out.
 */
public final class JsonLine {

    private final StringBuilder out = new StringBuilder(384).append('{');

    /** Adds {@code "name": "value"} unless {@code value} is null. */
    public JsonLine string(String name, String value) {
        if (value != null) {
            quote(member(name), value);
        }
        return this;
    }

    /** Adds {@code "name": value}. */
    public JsonLine number(String name, long value) {
        member(name).append(value);
        return this;
    }

    /** Adds {@code "name": ["...", ...]} unless {@code values} is null or empty. */
    public JsonLine strings(String name, List<String> values) {
        if (values != null && !values.isEmpty()) {
            StringBuilder b = member(name).append('[');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                quote(b, values.get(i));
            }
            b.append(']');
        }
        return this;
    }

    /** The object, without a line break. */
    @Override
    public String toString() {
        return out + "}";
    }

    private StringBuilder member(String name) {
        if (out.length() > 1) {
            out.append(',');
        }
        quote(out, name);
        return out.append(':');
    }

    /** {@code value} as a JSON string, quotes included. */
    static StringBuilder quote(StringBuilder b, String value) {
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
                        hex(b, c); // unpaired: not Unicode text, and not encodable in UTF-8
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

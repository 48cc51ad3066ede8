package org.est4j.war.audit;

import java.util.List;

import org.est4j.jaxrs.JsonStrings;

/**
 * One JSON object (RFC 8259) on one line, built member by member: what the audit trail writes. No JSON library is on
 * the WAR's class path (Tomcat ships none), and an object of strings, numbers and string arrays needs none.
 *
 * <p>Strings are escaped by {@link JsonStrings}, so that nothing a client sent can end the line, close the string or
 * the object, or reach a terminal as a control sequence. An absent (null) value leaves its member out.
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

    private static StringBuilder quote(StringBuilder b, String value) {
        return JsonStrings.append(b, value);
    }
}

package org.est4j.jaxrs.proxy;

import java.util.ArrayList;
import java.util.List;

/**
 * Tokenizer for Envoy's {@code x-forwarded-client-cert}: elements separated by ',', pairs by ';',
 * {@code key=value} with values optionally in double quotes (inside which ',' ';' '=' are literal
 * and '\' escapes the next character).
 */
final class Xfcc {

    private Xfcc() {
    }

    static List<List<String[]>> parse(String name, String header) throws ForwardedHeaderException {
        List<List<String[]>> elements = new ArrayList<>();
        List<String[]> pairs = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        StringBuilder value = new StringBuilder();
        boolean inValue = false;
        boolean quoted = false;
        int i = 0;
        while (i < header.length()) {
            char c = header.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < header.length()) {
                    value.append(header.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    value.append(c);
                }
            } else if (c == '"' && inValue && value.length() == 0) {
                quoted = true;
            } else if (c == '=' && !inValue) {
                inValue = true;
            } else if (c == ';' || c == ',') {
                addPair(name, pairs, key, value, inValue);
                inValue = false;
                if (c == ',') {
                    elements.add(finish(name, pairs));
                    pairs = new ArrayList<>();
                }
            } else if (inValue) {
                value.append(c);
            } else if (!Character.isWhitespace(c)) {
                key.append(c);
            }
            i++;
        }
        if (quoted) {
            throw new ForwardedHeaderException("the " + name + " header has an unterminated quoted value");
        }
        addPair(name, pairs, key, value, inValue);
        elements.add(finish(name, pairs));
        return elements;
    }

    static String get(List<String[]> pairs, String key) {
        String found = null;
        for (String[] p : pairs) {
            if (p[0].equalsIgnoreCase(key)) {
                found = p[1];
            }
        }
        return found;
    }

    private static void addPair(String name, List<String[]> pairs, StringBuilder key, StringBuilder value, boolean inValue)
            throws ForwardedHeaderException {
        if (key.length() == 0 && !inValue && value.length() == 0) {
            return;
        }
        if (key.length() == 0 || !inValue) {
            throw new ForwardedHeaderException("the " + name + " header is not a list of key=value pairs");
        }
        pairs.add(new String[] {key.toString(), value.toString()});
        key.setLength(0);
        value.setLength(0);
    }

    private static List<String[]> finish(String name, List<String[]> pairs) throws ForwardedHeaderException {
        if (pairs.isEmpty()) {
            throw new ForwardedHeaderException("the " + name + " header has an empty element");
        }
        return pairs;
    }
}

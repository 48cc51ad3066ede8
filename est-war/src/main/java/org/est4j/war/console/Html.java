package org.est4j.war.console;

/**
 * Text for HTML: every character with a meaning in markup or in a quoted attribute value becomes a character reference,
 * so a client-controlled string (a CSR's subject, a user name, a note) is shown as text and never parsed. No encoder
 * library is among the build's vetted dependencies, and this one rule covers both places the console writes text: element
 * content and double-quoted attributes.
 */
public final class Html {

    private Html() {
    }

    /** {@code text} safe in element content and in a double- or single-quoted attribute value; "" for null. */
    public static String text(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '`' -> out.append("&#96;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' || c == 0x7f) {
                        out.append('\uFFFD'); // control characters have no business on the page
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}

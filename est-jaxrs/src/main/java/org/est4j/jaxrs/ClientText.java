package org.est4j.jaxrs;

/**
 * Text a client controls (a subject, a subjectAltName, a user name, a header value, a label), made safe to
 * write into a log line or an error reply: one line, visibly escaped, and of bounded length.
 *
 * <p>Why: a CN holding {@code "\r\nSEVERE: ..."} split the audit line and forged a log record, a
 * right-to-left override reorders what an operator reads, and a 7 KB header value came back in a 415.
 * Every value a client sent goes through {@link #quote} on its way out.
 *
 * <p>Escaped as a backslash with x and two hex digits, or with u and four: C0 and C1 control characters and DEL (CR, LF and TAB as
 * {@code \r}, {@code \n}, {@code \t}), the bidirectional formatting characters (U+061C, U+200E, U+200F,
 * U+202A-U+202E, U+2066-U+2069), the line and paragraph separators, lone surrogates, and U+FFFD, which
 * is what invalid UTF-8 decodes to; the backslash itself is doubled so an escape cannot be forged. Text
 * longer than the limit is cut, and the cut is said: {@code ...(+N chars)}.
 */
public final class ClientText {

    /** What a log line quotes of one value: enough for any honest subject or user name. */
    public static final int LOG_LIMIT = 256;
    /** What an error reply quotes of a value the client sent: a short prefix, never the whole of it. */
    public static final int REPLY_LIMIT = 64;

    private ClientText() {
    }

    /** {@code text} escaped and cut to {@link #LOG_LIMIT} characters; {@code "null"} for null. */
    public static String quote(String text) {
        return quote(text, LOG_LIMIT);
    }

    /** {@code text} escaped and cut to {@code limit} characters of the original; {@code "null"} for null. */
    public static String quote(String text, int limit) {
        if (text == null) {
            return "null";
        }
        if (isPlain(text, limit)) {
            return text; // the common case: nothing to copy
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), limit) + 16);
        int end = Math.min(text.length(), limit);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
                out.append(String.format("\\x%02x", (int) c));
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (i + 1 < end) {
                    out.append(c).append(text.charAt(++i)); // a whole supplementary character
                } else {
                    end--; // the pair would be cut in half: leave it to the remainder
                }
            } else if (needsUnicodeEscape(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (end < text.length()) {
            out.append("...(+").append(text.length() - end).append(" chars)");
        }
        return out.toString();
    }

    private static boolean isPlain(String text, int limit) {
        if (text.length() > limit) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '\\' || c >= 0x7f && (c <= 0x9f || needsUnicodeEscape(c) || Character.isSurrogate(c))) {
                return false;
            }
        }
        return true;
    }

    private static boolean needsUnicodeEscape(char c) {
        return c == '\u061c' || c == '\u200e' || c == '\u200f' || c >= '\u202a' && c <= '\u202e'
                || c >= '\u2066' && c <= '\u2069' || c == '\u2028' || c == '\u2029' || c == '\ufffd' || c == '\ufeff'
                || Character.isSurrogate(c);
    }
}

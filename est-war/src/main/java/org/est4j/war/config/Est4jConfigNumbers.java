package org.est4j.war.config;

/** The whole-number values of the {@code metrics.*} and {@code audit.*} keys, with est4j's error message. */
final class Est4jConfigNumbers {

    private Est4jConfigNumbers() {
    }

    /** {@code value} as a number from 1 to {@code max}. */
    static int positive(String source, String key, String value, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is allowed
        }
        throw new ConfigException(source + ": '" + key + "' = '" + value + "': expected a whole number from 1 to " + max);
    }
}

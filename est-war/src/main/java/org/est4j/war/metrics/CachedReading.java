package org.est4j.war.metrics;

import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * A gauge's value that is expensive to read (a database query, a CRL), read at most once per period: scrapes in
 * between get the last value. A failed reading is NaN (Prometheus' "no value") and is reported through
 * {@code onFailure}.
 */
public final class CachedReading {

    /** Produces the value. */
    @FunctionalInterface
    public interface Source {
        double read() throws IOException;
    }

    private static final System.Logger LOG = System.getLogger(CachedReading.class.getName());

    private final Source source;
    private final long periodNanos;
    private final Runnable onFailure;
    private double value = Double.NaN;
    private long readAt;
    private boolean read;

    public CachedReading(Source source, long periodSeconds, Runnable onFailure) {
        this.source = source;
        this.periodNanos = periodSeconds * 1_000_000_000L;
        this.onFailure = onFailure;
    }

    /** The value, read anew when the last reading is older than the period. */
    public synchronized double value() {
        long now = System.nanoTime();
        if (!read || now - readAt >= periodNanos) {
            read = true;
            readAt = now;
            try {
                value = source.read();
            } catch (IOException | RuntimeException e) {
                value = Double.NaN;
                onFailure.run();
                LOG.log(Level.WARNING, "a metric could not be read", e);
            }
        }
        return value;
    }
}

package org.est4j.war.audit;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

import org.est4j.jaxrs.events.Decision;
import org.est4j.jaxrs.events.EstEvents;
import org.est4j.war.config.AuditSettings;

/**
 * The JSON audit trail ({@code docs/audit.md}): every {@link Decision} as one line of its own file, with its own
 * rotation, never through the container's logging (which would write it again wherever its root handlers write).
 */
public final class AuditTrail implements EstEvents, Closeable {

    private static final System.Logger LOG = System.getLogger(AuditTrail.class.getName());

    private final RotatingFile file;
    private final Path path;
    private long lastWarning;

    private AuditTrail(RotatingFile file, Path path) {
        this.file = file;
        this.path = path;
    }

    /** The trail {@code settings} configure, in {@code home} unless its file name is absolute. */
    public static AuditTrail open(Path home, AuditSettings settings) throws IOException {
        Path path = home.resolve(settings.file());
        return new AuditTrail(new RotatingFile(path, settings.maxFileBytes(), settings.files()), path);
    }

    /** Where the lines go. */
    public Path path() {
        return path;
    }

    @Override
    public void decided(Decision decision) {
        try {
            file.append(AuditRecord.json(decision));
        } catch (IOException | RuntimeException e) {
            // the decision stands (the certificate is issued); the operator learns of the gap from the log, once a minute
            long now = System.nanoTime();
            synchronized (this) {
                if (lastWarning != 0 && now - lastWarning < 60_000_000_000L) {
                    return;
                }
                lastWarning = now == 0 ? 1 : now;
            }
            LOG.log(Level.ERROR, "the audit trail " + path + " cannot be written: decisions are missing from it", e);
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}

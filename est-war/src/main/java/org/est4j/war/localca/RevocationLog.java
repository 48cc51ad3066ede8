package org.est4j.war.localca;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.est4j.jaxrs.ClientText;
import org.est4j.war.AppendedLines;

/**
 * Revocations of one local CA, one line each ({@code <time> <serial hex> <CRLReason> <who>}), appended and
 * fsync'd before anyone is told.
 *
 * <p>A revocation takes effect at once, whoever writes it: the server (a CMC {@code revokeRequest}) or the
 * {@code Admin revoke} command in another process while the server runs. Every look-up first checks whether
 * the file grew (one {@code stat}) and reads only the new lines. A line cut short by a crash is not read until
 * its newline arrives; it never will, so that revocation was never confirmed to anyone.
 */
public final class RevocationLog implements Revocations {

    private static final System.Logger LOG = System.getLogger(RevocationLog.class.getName());
    /** Of a line, what is parsed: a revocation line is far shorter (its {@code who} is quoted to 256 characters). */
    private static final int LINE_LIMIT = 16 * 1024;

    private final AppendedLines lines;
    // written under the lock, read without it
    private volatile Map<BigInteger, Revocation> revoked = Map.of();

    public RevocationLog(Path file) throws IOException {
        this.lines = new AppendedLines(file, "revocations", LINE_LIMIT);
        synchronized (this) {
            refresh();
        }
    }

    @Override
    public Optional<Revocation> find(BigInteger serial) throws IOException {
        if (lines.grew()) {
            synchronized (this) {
                refresh();
            }
        }
        return Optional.ofNullable(revoked.get(serial));
    }

    /**
     * How many certificates are revoked, counting lines another process appended since the last look (one {@code stat}
     * when nothing was).
     */
    @Override
    public int count() throws IOException {
        if (lines.grew()) {
            synchronized (this) {
                refresh();
            }
        }
        return revoked.size();
    }

    @Override
    public synchronized List<Revocation> all() throws IOException {
        refresh();
        return List.copyOf(revoked.values());
    }

    @Override
    public synchronized Revocation record(BigInteger serial, int reason, String by) throws IOException {
        refresh();
        Revocation earlier = revoked.get(serial);
        if (earlier != null) {
            return earlier;
        }
        Revocation revocation = new Revocation(serial, Instant.now(), reason, ClientText.quote(by));
        // one write with O_APPEND: a concurrent Admin process's line cannot interleave with this one
        lines.append(revocation.time() + " " + serial.toString(16) + " " + reason + " " + revocation.by());
        refresh();
        return revoked.getOrDefault(serial, revocation);
    }

    /** Reads the complete lines added since the last read. Call with the lock held. */
    private void refresh() throws IOException {
        Map<BigInteger, Revocation> next = new LinkedHashMap<>(revoked);
        lines.readNew(line -> parse(line).ifPresent(r -> next.putIfAbsent(r.serial(), r)));
        revoked = Collections.unmodifiableMap(next);
    }

    private Optional<Revocation> parse(String line) {
        String[] f = line.split(" ", 4);
        try {
            if (f.length < 3) {
                throw new IllegalArgumentException("too few fields");
            }
            int reason = Integer.parseInt(f[2]);
            return Optional.of(new Revocation(new BigInteger(f[1], 16), Instant.parse(f[0]), reason, f.length > 3 ? f[3] : ""));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            LOG.log(Level.ERROR, "{0}: skipping a line that is not ''<time> <serial hex> <reason> <who>'': {1}", lines.file(),
                    ClientText.quote(line, 120));
            return Optional.empty();
        }
    }
}

package org.est4j.war.localca;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.est4j.jaxrs.ClientText;

/**
 * Revocations of one local CA, one line each ({@code <time> <serial hex> <CRLReason> <who>}), appended and
 * fsync'd before anyone is told.
 *
 * <p>A revocation takes effect at once, whoever writes it: the server (a CMC {@code revokeRequest}) or the
 * {@code Admin revoke} command in another process while the server runs. Every look-up first checks whether
 * the file grew (one {@code stat}) and reads only the new lines. A line cut short by a crash is not read until
 * its newline arrives; it never will, so that revocation was never confirmed to anyone.
 */
public final class RevocationLog {

    private static final System.Logger LOG = System.getLogger(RevocationLog.class.getName());

    /** One revocation. */
    public record Revocation(BigInteger serial, Instant time, int reason, String by) {
    }

    private final Path file;
    // written under the lock, read without it
    private volatile Map<BigInteger, Revocation> revoked = Map.of();
    private volatile long readUpTo;

    RevocationLog(Path file) throws IOException {
        this.file = file;
        synchronized (this) {
            refresh();
        }
    }

    /** The revocation of {@code serial}, if it was revoked. */
    public Optional<Revocation> find(BigInteger serial) throws IOException {
        if (sizeOnDisk() != readUpTo) {
            synchronized (this) {
                refresh();
            }
        }
        return Optional.ofNullable(revoked.get(serial));
    }

    /**
     * How many certificates are revoked, counting lines another process appended since the last look (one {@code stat}
     * when nothing was). Only ever grows: a revocation is never taken back.
     */
    public int count() throws IOException {
        if (sizeOnDisk() != readUpTo) {
            synchronized (this) {
                refresh();
            }
        }
        return revoked.size();
    }

    /** Every revocation, oldest first. */
    public synchronized List<Revocation> all() throws IOException {
        refresh();
        return List.copyOf(revoked.values());
    }

    /**
     * Records the revocation of {@code serial} durably.
     *
     * @return the revocation; an earlier one if {@code serial} was revoked already (nothing is written then)
     */
    public synchronized Revocation record(BigInteger serial, int reason, String by) throws IOException {
        refresh();
        Revocation earlier = revoked.get(serial);
        if (earlier != null) {
            return earlier;
        }
        Revocation revocation = new Revocation(serial, Instant.now(), reason, ClientText.quote(by));
        byte[] line = (revocation.time() + " " + serial.toString(16) + " " + reason + " " + revocation.by() + "\n")
                .getBytes(StandardCharsets.UTF_8);
        // one write with O_APPEND: a concurrent Admin process's line cannot interleave with this one
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
        refresh();
        return revoked.getOrDefault(serial, revocation);
    }

    private long sizeOnDisk() throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /** Reads the complete lines added since the last read. Call with the lock held. */
    private void refresh() throws IOException {
        long size = sizeOnDisk();
        if (size == readUpTo) {
            return;
        }
        if (size < readUpTo) {
            throw new IOException(file + " shrank: revocations were removed; refusing to forget them");
        }
        byte[] added;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(size - readUpTo));
            while (buffer.hasRemaining() && ch.read(buffer, readUpTo + buffer.position()) > 0) {
                // read on
            }
            added = Arrays.copyOf(buffer.array(), buffer.position());
        }
        int complete = lastNewline(added) + 1;
        if (complete == 0) {
            return; // only a line in progress (or cut short)
        }
        Map<BigInteger, Revocation> next = new LinkedHashMap<>(revoked);
        for (String line : new String(added, 0, complete, StandardCharsets.UTF_8).split("\n")) {
            parse(line).ifPresent(r -> next.putIfAbsent(r.serial(), r));
        }
        revoked = Collections.unmodifiableMap(next);
        readUpTo += complete;
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
            LOG.log(Level.ERROR, "{0}: skipping a line that is not ''<time> <serial hex> <reason> <who>'': {1}", file,
                    ClientText.quote(line, 120));
            return Optional.empty();
        }
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}

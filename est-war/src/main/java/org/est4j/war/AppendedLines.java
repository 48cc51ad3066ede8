package org.est4j.war;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * A file of records, one line each, that several processes append to ({@code revoked.log}: the server and
 * {@code Admin}; {@code returns.log}: servers sharing {@code EST_HOME}) and that each reads as it grows.
 *
 * <p>A line is appended in one {@code O_APPEND} write, so another process's line cannot interleave with it, and
 * forced to disk before {@link #append} returns. A reader asks {@link #grew()} (one {@code stat}) and reads only
 * the complete lines added since its last read: a line cut short by a crash is not read until its newline arrives;
 * it never will, so it was never confirmed to anyone. The file only grows: a shorter file is refused, because
 * forgetting a record (a revocation, an acknowledgement) is never right.
 *
 * <p>Not synchronised: the owner serialises {@link #append} and {@link #readNew}; {@link #grew()} may be called
 * from any thread.
 */
public final class AppendedLines {

    private final Path file;
    private final String records;
    private final int lineLimit;
    private volatile long readUpTo;

    /**
     * @param records   what the lines are, for the message when the file shrank ("revocations")
     * @param lineLimit how many bytes of a line are passed on; the rest of a longer line is skipped
     */
    public AppendedLines(Path file, String records, int lineLimit) {
        this.file = file;
        this.records = records;
        this.lineLimit = lineLimit;
    }

    public Path file() {
        return file;
    }

    /** Whether lines were appended since the last {@link #readNew}. */
    public boolean grew() throws IOException {
        return sizeOnDisk() != readUpTo;
    }

    /** Appends {@code line} (without its newline, which is added) and forces it, and a new file's name, to disk. */
    public void append(String line) throws IOException {
        boolean created = !Files.exists(file);
        if (created) {
            SecureFiles.createPrivateDirectory(file.getParent());
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
        if (created) {
            SecureFiles.syncDirectory(file.getParent()); // the new file's name must survive a crash too
        }
    }

    /**
     * Hands each complete line added since the last call to {@code line}, in order, streaming (a line may be long:
     * only its first {@code lineLimit} bytes are kept). What follows the last newline waits for its newline.
     */
    public void readNew(Consumer<String> line) throws IOException {
        long size = sizeOnDisk();
        if (size == readUpTo) {
            return;
        }
        if (size < readUpTo) {
            throw new IOException(file + " shrank: " + records + " were removed; refusing to forget them");
        }
        long consumed = readUpTo;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(readUpTo);
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024);
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            long lineBytes = 0;
            for (int b = in.read(); b != -1; b = in.read()) {
                lineBytes++;
                if (b != '\n') {
                    if (current.size() < lineLimit) {
                        current.write(b);
                    }
                    continue;
                }
                consumed += lineBytes;
                lineBytes = 0;
                line.accept(current.toString(StandardCharsets.UTF_8));
                current.reset();
            }
        }
        readUpTo = consumed;
    }

    /**
     * The file's length, 0 while it does not exist. {@code File.length} rather than {@code Files.size}: the file is
     * usually absent ({@code revoked.log} before the first revocation), and {@code Files.size} answers that with a
     * {@code NoSuchFileException} whose stack trace cost 6 % of the server's CPU on a client-certificate reenrollment,
     * which asks on every request (bench/README.md).
     */
    private long sizeOnDisk() {
        return file.toFile().length();
    }
}

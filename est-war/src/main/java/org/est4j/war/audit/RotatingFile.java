package org.est4j.war.audit;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file of lines that is rotated by size: {@code audit.log} is renamed {@code audit.log.1} (and {@code .1} to
 * {@code .2}...) before a line would make it larger than the limit, and the oldest beyond the count is deleted.
 *
 * <p>Why not {@code java.util.logging.FileHandler}: it names its files {@code audit.log.0}, {@code audit.log.0.1} when
 * another process (the admin command) holds its lock file, and it would still pass records to the container's root
 * handlers unless every deployment configured it so. Each line is written with one {@code write} to a file opened for
 * appending, so lines of the server and of the admin command (another process) do not interleave. New files are the
 * owner's only (0600): the trail names clients and certificates.
 */
public final class RotatingFile implements Closeable {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    /** How many lines may be appended between two looks at the file's size. */
    private static final int SIZE_EVERY = 256;

    private final Path file;
    private final long maxBytes;
    private final int keep;
    private FileChannel channel;
    /** The file's size at the last look plus what this process wrote since: the other process's lines only add. */
    private long sizeAtLeast = Long.MAX_VALUE / 2;
    private int appendsSinceSize;

    /**
     * @param maxBytes the size at which the file is rotated
     * @param keep     how many rotated files are kept
     */
    public RotatingFile(Path file, long maxBytes, int keep) throws IOException {
        if (maxBytes <= 0 || keep < 1) {
            throw new IllegalArgumentException("maxBytes and keep must be positive");
        }
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = keep;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
            if (POSIX) {
                Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
            }
        }
        this.channel = open();
    }

    /** Appends {@code line} and a line feed, rotating first when the file would outgrow its limit. */
    public synchronized void append(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        if (channel == null) {
            throw new IOException("the file " + file + " is closed");
        }
        if (sizeAtLeast + bytes.length > maxBytes || ++appendsSinceSize >= SIZE_EVERY) {
            // what is on disk, the other process's lines included. Asked near the limit and every SIZE_EVERY lines,
            // not before every line: that fstat was a measurable part of an enrollment (bench/README.md). The file
            // may outgrow the limit by what the other process (the admin command, a few lines) wrote in between.
            sizeAtLeast = channel.size();
            appendsSinceSize = 0;
            if (sizeAtLeast > 0 && sizeAtLeast + bytes.length > maxBytes) {
                rotate();
                sizeAtLeast = 0;
            }
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            sizeAtLeast += channel.write(buffer);
        }
    }

    private void rotate() throws IOException {
        channel.close();
        channel = null;
        Files.deleteIfExists(numbered(keep));
        for (int i = keep - 1; i >= 1; i--) {
            if (Files.exists(numbered(i))) {
                Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (Files.exists(file)) {
            Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        }
        channel = open();
    }

    private Path numbered(int i) {
        return file.resolveSibling(file.getFileName() + "." + i);
    }

    private FileChannel open() throws IOException {
        if (POSIX && !Files.exists(file)) {
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // the other process created it first: append to it
            }
        }
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}

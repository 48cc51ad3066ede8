package org.est4j.war.localca;

import java.io.Closeable;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.bouncycastle.util.encoders.Base64;

/**
 * The local CA's durable record of every certificate it issued: an append-only text file, one line
 * per certificate, {@code <serial hex> <base64 DER>\n}. A line is forced to disk before the
 * certificate leaves the CA, so a certificate a client holds is always on record, and the next
 * serial number after a crash or restart is one above the last recorded one.
 *
 * <p>Only the end of the file is read at start (it grows to millions of lines). A last line without
 * its newline is the trace of a crash during the write of a certificate that was never returned;
 * it is cut off.
 *
 * <p>The file is locked for as long as it is open, so two processes (a running server and the
 * init command, say) can never hand out the same serial number.
 */
final class IssuanceLog implements Closeable {

    private static final int TAIL_CHUNK = 64 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private BigInteger lastSerial;

    IssuanceLog(Path file) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            channel.close();
            throw new IOException(file + " is in use by another est4j process (or another deployment in this JVM)");
        }
        this.lock = l;
        try {
            this.lastSerial = recover();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The highest serial on record, zero for an empty log. */
    synchronized BigInteger lastSerial() {
        return lastSerial;
    }

    /** Appends one certificate and forces it to disk. Serials must grow. */
    synchronized void append(BigInteger serial, byte[] certificateDer) throws IOException {
        if (serial.compareTo(lastSerial) <= 0) {
            throw new IllegalStateException("serial " + serial.toString(16) + " is not above " + lastSerial.toString(16));
        }
        byte[] line = (serial.toString(16) + " " + new String(Base64.encode(certificateDer), StandardCharsets.US_ASCII) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.wrap(line);
        long position = channel.size();
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        channel.force(false);
        lastSerial = serial;
    }

    private BigInteger recover() throws IOException {
        long size = channel.size();
        if (size == 0) {
            return BigInteger.ZERO;
        }
        long end = lastNewlineBefore(size);
        if (end + 1 != size) {
            // torn write: everything after the last complete line goes
            channel.truncate(end + 1);
            channel.force(true);
        }
        if (end < 0) {
            return BigInteger.ZERO;
        }
        long start = lastNewlineBefore(end) + 1;
        ByteBuffer line = ByteBuffer.allocate((int) (end - start));
        channel.read(line, start);
        String text = new String(line.array(), StandardCharsets.US_ASCII);
        int space = text.indexOf(' ');
        try {
            return new BigInteger(space < 0 ? text : text.substring(0, space), 16);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": the last record is not '<serial hex> <certificate>'; refusing to guess the next serial");
        }
    }

    /** Position of the last '\n' strictly before {@code limit}, or -1. */
    private long lastNewlineBefore(long limit) throws IOException {
        long chunkEnd = limit;
        while (chunkEnd > 0) {
            long chunkStart = Math.max(0, chunkEnd - TAIL_CHUNK);
            ByteBuffer chunk = ByteBuffer.allocate((int) (chunkEnd - chunkStart));
            channel.read(chunk, chunkStart);
            byte[] bytes = chunk.array();
            for (int i = bytes.length - 1; i >= 0; i--) {
                if (bytes[i] == '\n') {
                    return chunkStart + i;
                }
            }
            chunkEnd = chunkStart;
        }
        return -1;
    }

    Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.bouncycastle.util.encoders.Base64;

/**
 * The local CA's durable record of every certificate it issued: an append-only text file, one line
 * per certificate, {@code <serial hex> <base64 DER>\n}. A line is forced to disk before the
 * certificate leaves the CA, so a certificate a client holds is always on record, and serial numbers
 * continue above the highest recorded one after a crash or restart.
 *
 * <p><b>Group commit.</b> An fsync costs about as much as a P-256 signature, and concurrent
 * issuances would queue for it one by one. Instead, whichever request finds no write in progress
 * writes every line waiting at that moment in one {@code write} and one {@code force}, and wakes the
 * requests whose lines that covered; the others wait for it or lead the next batch. Durability per
 * certificate is unchanged; the cost of an fsync is shared by all issuances that arrived during the
 * previous one.
 *
 * <p><b>Serials</b> are reserved ({@link #reserveSerial}) before the certificate is signed, so
 * signatures run in parallel; lines may therefore reach the file slightly out of serial order (by at
 * most the number of issuances in flight). Recovery takes the highest serial among the last
 * {@value #RECOVERY_LINES} lines. Only the end of the file is read at start (it grows to millions of
 * lines).
 *
 * <p><b>Crash traces.</b> Everything written after the last completed {@code force} belongs to
 * certificates never returned to a client, so at start an unreadable tail (a line cut short, or
 * blocks that never reached the disk) is cut off from its first damaged line on.
 *
 * <p>The file is locked for as long as it is open, so two processes (a running server and the
 * init command, say) can never hand out the same serial number.
 */
final class IssuanceLog implements Closeable {

    private static final int TAIL_CHUNK = 64 * 1024;
    /** Far above the issuances that can be in flight at once (one per request thread). */
    static final int RECOVERY_LINES = 4096;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private final ReentrantLock mutex = new ReentrantLock();
    private final Condition committed = mutex.newCondition();
    // guarded by mutex
    private BigInteger lastReserved;
    private BigInteger lastRecorded;
    private List<byte[]> waiting = new ArrayList<>();
    private long enqueued;       // lines handed to append so far
    private long durable;        // of those, lines forced to disk
    private boolean writing;     // a leader is writing a batch
    private IOException failure; // a failed write: the log takes no more lines

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
            this.lastRecorded = recover();
            this.lastReserved = lastRecorded;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The highest serial on record or reserved, zero for an empty log. */
    BigInteger lastSerial() {
        mutex.lock();
        try {
            return lastReserved;
        } finally {
            mutex.unlock();
        }
    }

    /** The next serial number; it is never handed out again, whether or not it is then recorded. */
    BigInteger reserveSerial() {
        mutex.lock();
        try {
            lastReserved = lastReserved.add(BigInteger.ONE);
            return lastReserved;
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Records one certificate; returns once its line (and every line appended before it) is on disk.
     *
     * @throws IOException if the line could not be made durable; the certificate must not be returned
     */
    void append(BigInteger serial, byte[] certificateDer) throws IOException {
        byte[] line = (serial.toString(16) + " " + new String(Base64.encode(certificateDer), StandardCharsets.US_ASCII) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        mutex.lock();
        try {
            if (failure != null) {
                throw new IOException(file + " could not be written earlier; restart after fixing the cause", failure);
            }
            waiting.add(line);
            long mine = ++enqueued;
            if (serial.compareTo(lastRecorded) > 0) {
                lastRecorded = serial;
            }
            while (durable < mine) {
                if (failure != null) {
                    throw new IOException(file + " could not be written: " + failure.getMessage(), failure);
                }
                if (writing) {
                    committed.awaitUninterruptibly();
                    continue;
                }
                // lead: take everything waiting, write and force it without holding the mutex
                List<byte[]> batch = waiting;
                long upTo = enqueued;
                waiting = new ArrayList<>();
                writing = true;
                mutex.unlock();
                IOException error = null;
                try {
                    write(batch);
                } catch (IOException e) {
                    error = e;
                } finally {
                    mutex.lock();
                    writing = false;
                    if (error == null) {
                        durable = upTo;
                    } else {
                        failure = error;
                    }
                    committed.signalAll();
                }
            }
        } finally {
            mutex.unlock();
        }
    }

    private void write(List<byte[]> batch) throws IOException {
        int total = 0;
        for (byte[] b : batch) {
            total += b.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(total);
        for (byte[] b : batch) {
            buffer.put(b);
        }
        buffer.flip();
        long position = channel.size();
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        channel.force(false);
    }

    private BigInteger recover() throws IOException {
        long size = channel.size();
        if (size == 0) {
            return BigInteger.ZERO;
        }
        // the tail, line by line from the end, up to RECOVERY_LINES complete lines
        long end = lastNewlineBefore(size);
        List<long[]> lines = new ArrayList<>(); // {start, end} of each line, newest first
        long cursor = end;
        while (cursor >= 0 && lines.size() < RECOVERY_LINES) {
            long start = lastNewlineBefore(cursor) + 1;
            lines.add(new long[] {start, cursor});
            cursor = start - 1;
        }
        BigInteger highest = BigInteger.ZERO;
        long keepUpTo = end + 1; // bytes from here on are a crash trace
        for (long[] span : lines) { // newest first: a damaged line discards itself and everything newer
            BigInteger serial = parseSerial(span[0], span[1]);
            if (serial == null) {
                keepUpTo = span[0];
                highest = BigInteger.ZERO;
            } else if (serial.compareTo(highest) > 0) {
                highest = serial;
            }
        }
        if (highest.signum() == 0 && keepUpTo > 0) {
            // the whole window is crash trace, yet older records exist: the next serial cannot be known
            throw new IOException(file + ": the last " + lines.size() + " records are unreadable; refusing to guess the next serial");
        }
        if (keepUpTo != size) {
            channel.truncate(keepUpTo);
            channel.force(true);
        }
        return highest;
    }

    /**
     * The serial of the line in [start, end), or null for a crash trace: NUL bytes are blocks of a write
     * that never reached the disk.
     *
     * @throws IOException for any other malformed line: someone changed the file, and guessing the next
     *                     serial could reissue one
     */
    private BigInteger parseSerial(long start, long end) throws IOException {
        ByteBuffer line = ByteBuffer.allocate((int) (end - start));
        channel.read(line, start);
        byte[] bytes = line.array();
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        int space = text.indexOf(' ');
        try {
            if (space <= 0) {
                throw new NumberFormatException();
            }
            return new BigInteger(text.substring(0, space), 16);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": the record at byte " + start + " is not '<serial hex> <certificate>'; "
                    + "refusing to guess the next serial");
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
    public void close() throws IOException {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }
}

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
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.bouncycastle.util.encoders.Base64;

/**
 * The local CA's durable record of every certificate it issued: an append-only text file, one line
 * per certificate, {@code <serial hex> <base64 DER>\n}. A line is forced to disk before the
 * certificate leaves the CA, so a certificate a client holds is always on record.
 *
 * <p><b>Group commit.</b> An fsync costs about as much as a P-256 signature, and concurrent
 * issuances would queue for it one by one. Instead, whichever request finds no write in progress
 * writes every line waiting at that moment in one {@code write} and one {@code force}, and wakes the
 * requests whose lines that covered; the others wait for it or lead the next batch. Durability per
 * certificate is unchanged; the cost of an fsync is shared by all issuances that arrived during the
 * previous one.
 *
 * <p><b>Serials</b> are 127 bits from a CSPRNG (the CA/Browser Forum Baseline Requirements, 7.1, ask for at
 * least 64): positive, at most 16 octets, and drawn again on the rare collision with one this CA ever
 * handed out, so none is used twice. {@link #newSerial} hands one out before the certificate is
 * signed, so signatures run in parallel. Logs of earlier versions hold sequential serials (1, 2, 3, ...):
 * they are read the same way, and a random draw equal to one of them is drawn again like any collision.
 *
 * <p><b>Start.</b> The whole file is read once to learn every serial on record ({@link SerialIndex}): about 2 s
 * for a million certificates (588 MB) from the page cache.
 * Everything written after the last completed {@code force} belongs to certificates never returned to a
 * client, so an unreadable tail (a line cut short, or blocks of a batch that never reached the disk) is
 * cut off from its first damaged line on, provided fewer than {@value #RECOVERY_LINES} lines follow it,
 * far more than one batch can hold. Damage anywhere else, a line that is not {@code <serial hex>
 * <certificate>}, or a serial on record twice stops start-up: someone changed the file.
 *
 * <p>The file is locked for as long as it is open, so two processes (a running server and the
 * init command, say) can never hand out the same serial number.
 */
final class IssuanceLog implements IssuedCertificates {

    private static final int TAIL_CHUNK = 64 * 1024;
    private static final int READ_CHUNK = 1 << 20;
    /** Far above the lines one batch can hold (one per request thread). */
    static final int RECOVERY_LINES = 4096;
    /** Hex digits of the longest serial RFC 5280 allows (20 octets). */
    private static final int MAX_SERIAL_HEX = 40;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final SecureRandom random;

    private final ReentrantLock mutex = new ReentrantLock();
    private final Condition committed = mutex.newCondition();
    // guarded by mutex
    private final SerialIndex serials = new SerialIndex();
    private List<byte[]> waiting = new ArrayList<>();
    private long enqueued;       // lines handed to append so far
    private long durable;        // of those, lines forced to disk
    private boolean writing;     // a leader is writing a batch
    private IOException failure; // a failed write: the log takes no more lines

    IssuanceLog(Path file) throws IOException {
        this(file, new SecureRandom());
    }

    IssuanceLog(Path file, SecureRandom random) throws IOException {
        this.file = file;
        this.random = random;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            channel.close();
            throw new CaInUseException(file + " is in use by another est4j process (or another deployment in this JVM)");
        }
        this.lock = l;
        try {
            recover();
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Whether this CA handed out {@code serial}: recorded, or reserved by a signature in progress. */
    @Override
    public boolean contains(BigInteger serial) {
        mutex.lock();
        try {
            return serials.contains(serial);
        } finally {
            mutex.unlock();
        }
    }

    /** A fresh random serial number; it is never handed out again, whether or not it is then recorded. */
    @Override
    public BigInteger newSerial() {
        mutex.lock();
        try {
            while (true) {
                BigInteger serial = new BigInteger(SERIAL_BITS, random);
                if (serial.signum() > 0 && serials.add(serial)) {
                    return serial;
                }
            }
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Records one certificate; returns once its line (and every line appended before it) is on disk.
     *
     * @throws IOException if the line could not be made durable; the certificate must not be returned
     */
    @Override
    public boolean record(BigInteger serial, java.security.cert.X509Certificate certificate) throws IOException {
        try {
            append(serial, certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException("cannot encode the certificate with serial " + serial.toString(16), e);
        }
        return true; // the serial was reserved by newSerial: nobody else can hold it
    }

    /** Records one certificate's DER; returns once its line (and every line appended before it) is on disk. */
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

    /** Reads every serial on record, and cuts off the trace of a batch a crash left unfinished. */
    private void recover() throws IOException {
        long size = channel.size();
        long end = size == 0 ? -1 : lastNewlineBefore(size); // bytes after the last newline: a line cut short
        long damagedAt = -1;        // start of the first damaged line
        long linesAfterDamage = 0;
        long lineStart = 0;
        StringBuilder serial = new StringBuilder(MAX_SERIAL_HEX + 1);
        boolean inSerial = true;    // still reading the current line's serial
        boolean nul = false;        // the current line holds a NUL: blocks of a write that never reached the disk
        ByteBuffer chunk = ByteBuffer.allocate(READ_CHUNK);
        for (long position = 0; position <= end; ) {
            chunk.clear();
            chunk.limit((int) Math.min(READ_CHUNK, end + 1 - position));
            int n = channel.read(chunk, position);
            if (n <= 0) {
                throw new IOException(file + " changed while it was read");
            }
            byte[] bytes = chunk.array();
            for (int i = 0; i < n; i++) {
                byte b = bytes[i];
                if (b == '\n') {
                    if (damagedAt >= 0) {
                        linesAfterDamage++;
                    } else if (nul) {
                        damagedAt = lineStart;
                    } else {
                        record(serial, inSerial, lineStart);
                    }
                    lineStart = position + i + 1;
                    serial.setLength(0);
                    inSerial = true;
                    nul = false;
                } else if (b == 0) {
                    nul = true;
                } else if (inSerial) {
                    if (b == ' ') {
                        inSerial = false;
                    } else if (serial.length() <= MAX_SERIAL_HEX) {
                        serial.append((char) (b & 0xff));
                    }
                }
            }
            position += n;
        }
        long keepUpTo = end + 1;
        if (damagedAt >= 0) {
            if (linesAfterDamage >= RECOVERY_LINES) {
                throw new IOException(file + ": the record at byte " + damagedAt + " is unreadable and " + linesAfterDamage
                        + " records follow it, more than one unfinished batch can hold; refusing to guess");
            }
            keepUpTo = damagedAt;
        }
        if (keepUpTo != size) {
            channel.truncate(keepUpTo);
            channel.force(true);
        }
    }

    /** Adds the serial of a complete, undamaged line. */
    private void record(CharSequence hex, boolean noSpace, long start) throws IOException {
        BigInteger serial;
        try {
            if (noSpace || hex.length() == 0 || hex.length() > MAX_SERIAL_HEX) {
                throw new NumberFormatException();
            }
            serial = new BigInteger(hex.toString(), 16);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": the record at byte " + start + " is not '<serial hex> <certificate>'; "
                    + "refusing to guess which serials were issued");
        }
        if (serial.signum() <= 0 || !serials.add(serial)) {
            throw new IOException(file + ": the record at byte " + start + " has serial " + serial.toString(16)
                    + ", which is not positive or is on record already; refusing to start");
        }
    }

    @Override
    public java.util.Optional<java.security.cert.X509Certificate> find(BigInteger serial) throws IOException {
        java.util.Optional<byte[]> der = find(file, serial);
        if (der.isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(org.est4j.war.Pem.parseCertificate(der.get()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(file + ": the certificate with serial " + serial.toString(16) + " is damaged", e);
        }
    }

    /**
     * Every record of the log {@code file}, read without the lock (for moving them elsewhere while nothing else
     * writes them): serial and DER, in the order they were written.
     */
    static void forEach(Path file, java.util.function.BiConsumer<BigInteger, byte[]> action) throws IOException {
        try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            for (String line; (line = in.readLine()) != null; ) {
                int space = line.indexOf(' ');
                try {
                    action.accept(new BigInteger(line.substring(0, space), 16), Base64.decode(line.substring(space + 1).strip()));
                } catch (RuntimeException e) {
                    throw new IOException(file + ": a record is damaged: " + e.getMessage(), e);
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // nothing issued yet
        }
    }

    @Override
    public Page search(Query query) throws IOException {
        return search(file, query);
    }

    /**
     * The certificates of the log {@code file} that match {@code query}, newest first, read without the lock (a running
     * server appends meanwhile: a last line still being written is not a match yet). The whole file is read; only the
     * matches of the page and those newer are kept.
     */
    static Page search(Path file, Query query) throws IOException {
        java.security.cert.CertificateFactory factory;
        try {
            factory = java.security.cert.CertificateFactory.getInstance("X.509");
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException("every Java platform reads X.509", e);
        }
        int keep = query.offset() + query.limit();
        java.util.ArrayDeque<Found> newest = new java.util.ArrayDeque<>(keep + 1);
        long matches = 0;
        String serialPrefix = query.serial().map(s -> s.toString(16) + " ").orElse(null);
        try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            String line = in.readLine();
            while (line != null) {
                String next = in.readLine();
                if (serialPrefix == null || line.startsWith(serialPrefix)) {
                    java.security.cert.X509Certificate c;
                    try {
                        int space = line.indexOf(' ');
                        c = (java.security.cert.X509Certificate) factory.generateCertificate(
                                new java.io.ByteArrayInputStream(Base64.decode(line.substring(space + 1).strip())));
                    } catch (java.security.cert.CertificateException | RuntimeException e) {
                        if (next == null) {
                            break; // the line an issuance is writing right now
                        }
                        throw new IOException(file + ": a record is damaged", e);
                    }
                    // the log keeps no time: the CA dates notBefore back by its clock-skew allowance from the moment of issue
                    Instant issued = c.getNotBefore().toInstant().plus(LocalCa.CLOCK_SKEW);
                    if (query.matches(c, issued)) {
                        matches++;
                        newest.addLast(new Found(c, issued));
                        if (newest.size() > keep) {
                            newest.removeFirst();
                        }
                    }
                }
                line = next;
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // nothing issued yet
        }
        List<Found> page = new ArrayList<>(newest);
        java.util.Collections.reverse(page);
        return new Page(List.copyOf(page.subList(Math.min(query.offset(), page.size()), page.size())), matches > keep);
    }

    /**
     * The certificate recorded with {@code serial} in the log {@code file}, read without the lock (a running
     * server holds it): for the administrator's command line. Reads the whole file.
     */
    static java.util.Optional<byte[]> find(Path file, BigInteger serial) throws IOException {
        String prefix = serial.toString(16) + " ";
        try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(prefix)) {
                    try {
                        return java.util.Optional.of(Base64.decode(line.substring(prefix.length()).strip()));
                    } catch (RuntimeException e) {
                        throw new IOException(file + ": the record of serial " + serial.toString(16) + " is damaged");
                    }
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.empty();
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

package org.est4j.war.packages;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.est4j.jaxrs.ClientText;
import org.est4j.spi.PackageKind;
import org.est4j.spi.PackageReturn;
import org.est4j.war.SecureFiles;

/**
 * {@code returns.log}: everything clients posted to a {@code /return} path, one line each, appended and fsync'd
 * before the client is told it was received. Fields, separated by one TAB:
 * <pre>
 * time  label|-  client|-  kind|serverkeygen  package-id  ACCEPTED|FAILED  detail  base64(message)
 * </pre>
 * Every text a client influences is escaped with {@link ClientText#quote}, which never leaves a TAB, CR or LF:
 * a line is one record, and its fields cannot be forged.
 *
 * <p>It is also the store's memory of what each client took: a package a client acknowledged with
 * {@code ACCEPTED} is not offered to it again, after a restart too. Several servers may share {@code EST_HOME}:
 * every look-up checks whether the file grew (one {@code stat}) and reads only the new lines. A line cut short
 * by a crash is not read until its newline arrives; it never will, so it was never confirmed to its client.
 */
final class ReturnLog {

    private static final System.Logger LOG = System.getLogger(ReturnLog.class.getName());

    /** What one line may quote of a client key or package id: long enough that honest values are never cut. */
    static final int KEY_LIMIT = 2048;
    /** Of a line, what is kept to parse: the fields before the message are far shorter. */
    private static final int LINE_PREFIX = 64 * 1024;
    /** The kind field of a server-generated key's acknowledgement ({@code /serverkeygen/return}). */
    static final String SERVER_KEYGEN = "serverkeygen";
    private static final String NONE = "-";

    private final Path file;
    // written under the lock, read without it
    private volatile Set<String> accepted = Set.of();
    private volatile long readUpTo;

    ReturnLog(Path file) throws IOException {
        this.file = file;
        synchronized (this) {
            refresh();
        }
    }

    /** Whether this client acknowledged this package with {@code ACCEPTED}. */
    boolean accepted(Optional<String> label, String clientKey, PackageKind kind, String packageId) throws IOException {
        if (sizeOnDisk() != readUpTo) {
            synchronized (this) {
                refresh();
            }
        }
        return accepted.contains(acceptKey(labelField(label), ClientText.quote(clientKey, KEY_LIMIT), kind.path(),
                ClientText.quote(packageId, KEY_LIMIT)));
    }

    /** Appends one record and forces it to disk. */
    synchronized void record(PackageReturn returned, Optional<String> clientKey) throws IOException {
        String line = String.join("\t",
                returned.received().toString(),
                labelField(returned.label()),
                clientKey.map(k -> ClientText.quote(k, KEY_LIMIT)).orElse(NONE),
                returned.kind().map(PackageKind::path).orElse(SERVER_KEYGEN),
                ClientText.quote(returned.packageId(), KEY_LIMIT),
                returned.outcome().name(),
                ClientText.quote(returned.detail()),
                Base64.getEncoder().encodeToString(returned.message())) + "\n";
        boolean created = !Files.exists(file);
        if (created) {
            SecureFiles.createPrivateDirectory(file.getParent());
        }
        // one write with O_APPEND: another server's line on a shared EST_HOME cannot interleave with this one
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
        if (created) {
            SecureFiles.syncDirectory(file.getParent()); // the new file's name must survive a crash too
        }
        refresh();
    }

    private static String labelField(Optional<String> label) {
        return label.map(ClientText::quote).orElse(NONE);
    }

    private static String acceptKey(String label, String client, String kind, String id) {
        return label + '\t' + client + '\t' + kind + '\t' + id;
    }

    private long sizeOnDisk() throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    /**
     * Reads the complete lines added since the last read, streaming: the messages make the file large, and only
     * the first fields of a line matter here. Call with the lock held.
     */
    private void refresh() throws IOException {
        long size = sizeOnDisk();
        if (size == readUpTo) {
            return;
        }
        if (size < readUpTo) {
            throw new IOException(file + " shrank: acknowledgements were removed; refusing to forget them");
        }
        Set<String> next = new HashSet<>(accepted);
        long consumed = readUpTo;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(readUpTo);
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch), 64 * 1024);
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long lineBytes = 0;
            for (int b = in.read(); b != -1; b = in.read()) {
                lineBytes++;
                if (b != '\n') {
                    if (line.size() < LINE_PREFIX) {
                        line.write(b);
                    }
                    continue;
                }
                consumed += lineBytes;
                lineBytes = 0;
                accept(line.toString(StandardCharsets.UTF_8), next);
                line.reset();
            }
            // what is left without a newline is a line in progress (or cut short): read it when it is complete
        }
        accepted = Set.copyOf(next);
        readUpTo = consumed;
    }

    private void accept(String line, Set<String> into) {
        String[] f = line.split("\t", 8);
        try {
            if (f.length < 7) {
                throw new IllegalArgumentException("too few fields");
            }
            Instant.parse(f[0]);
            PackageReturn.Outcome outcome = PackageReturn.Outcome.valueOf(f[5]);
            if (outcome == PackageReturn.Outcome.ACCEPTED && !NONE.equals(f[2])) {
                into.add(acceptKey(f[1], f[2], f[3], f[4]));
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            LOG.log(Level.ERROR, "{0}: skipping a line that is not a return record: {1}", file, ClientText.quote(line, 120));
        }
    }
}

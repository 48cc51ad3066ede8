package org.est4j.war.packages;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.est4j.jaxrs.ClientText;
import org.est4j.spi.PackageKind;
import org.est4j.spi.PackageReturn;
import org.est4j.war.AppendedLines;

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
final class ReturnLog implements ReturnRecords {

    private static final System.Logger LOG = System.getLogger(ReturnLog.class.getName());

    /** What one line may quote of a client key or package id: long enough that honest values are never cut. */
    static final int KEY_LIMIT = 2048;
    /** Of a line, what is kept to parse: the fields before the message are far shorter. */
    private static final int LINE_PREFIX = 64 * 1024;
    /** The kind field of a server-generated key's acknowledgement ({@code /serverkeygen/return}). */
    static final String SERVER_KEYGEN = "serverkeygen";
    private static final String NONE = "-";

    private final AppendedLines lines;
    // written under the lock, read without it
    private volatile Set<String> accepted = Set.of();

    ReturnLog(Path file) throws IOException {
        this.lines = new AppendedLines(file, "acknowledgements", LINE_PREFIX);
        synchronized (this) {
            refresh();
        }
    }

    @Override
    public boolean accepted(Optional<String> label, String clientKey, PackageKind kind, String packageId) throws IOException {
        if (lines.grew()) {
            synchronized (this) {
                refresh();
            }
        }
        return accepted.contains(acceptKey(labelField(label), ClientText.quote(clientKey, KEY_LIMIT), kind.path(),
                ClientText.quote(packageId, KEY_LIMIT)));
    }

    /** Appends one record and forces it to disk. */
    @Override
    public synchronized void record(PackageReturn returned, Optional<String> clientKey) throws IOException {
        String line = String.join("\t",
                returned.received().toString(),
                labelField(returned.label()),
                clientKey.map(k -> ClientText.quote(k, KEY_LIMIT)).orElse(NONE),
                returned.kind().map(PackageKind::path).orElse(SERVER_KEYGEN),
                ClientText.quote(returned.packageId(), KEY_LIMIT),
                returned.outcome().name(),
                ClientText.quote(returned.detail()),
                Base64.getEncoder().encodeToString(returned.message()));
        lines.append(line);
        refresh();
    }

    private static String labelField(Optional<String> label) {
        return label.map(ClientText::quote).orElse(NONE);
    }

    private static String acceptKey(String label, String client, String kind, String id) {
        return label + '\t' + client + '\t' + kind + '\t' + id;
    }

    /** Reads the lines added since the last read (only their first fields matter here). Call with the lock held. */
    private void refresh() throws IOException {
        Set<String> next = new HashSet<>(accepted);
        lines.readNew(line -> accept(line, next));
        accepted = Set.copyOf(next);
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
            LOG.log(Level.ERROR, "{0}: skipping a line that is not a return record: {1}", lines.file(), ClientText.quote(line, 120));
        }
    }
}

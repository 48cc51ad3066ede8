package org.est4j.war.localca;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;

import org.est4j.war.SecureFiles;

/**
 * The {@link ApprovalQueue} of a CA whose records are files in {@code EST_HOME}.
 *
 * <p>One directory, one small file per state change, each written atomically and fsync'd: a crash or a
 * restart loses nothing, and the administrator's command ({@link org.est4j.war.Admin}) and the running
 * server never write the same file. {@code <id>.request} holds the request and who sent it;
 * {@code <id>.approved} or {@code <id>.rejected} the decision; {@code <id>.issued} replaces the request
 * and the approval once the certificate is issued, so an approval is used once.
 */
public final class FileApprovalQueue implements ApprovalQueue {

    private final Path dir;

    public FileApprovalQueue(Path dir) {
        this.dir = dir;
    }

    public Path directory() {
        return dir;
    }

    @Override
    public synchronized State state(String id) {
        if (Files.exists(file(id, "rejected"))) {
            return State.REJECTED;
        }
        if (Files.exists(file(id, "approved"))) {
            return State.APPROVED;
        }
        return Files.exists(file(id, "request")) ? State.PENDING : State.NONE;
    }

    @Override
    public synchronized void submit(String id, Map<String, String> details) throws IOException {
        if (Files.exists(file(id, "request"))) {
            return;
        }
        SecureFiles.createPrivateDirectory(dir);
        Map<String, String> content = new LinkedHashMap<>();
        content.put("received", Instant.now().toString());
        content.putAll(details);
        SecureFiles.write(file(id, "request"), properties(content), SecureFiles.OWNER_ONLY);
    }

    /** Under the queue's lock, so two repetitions of an approved request issue one certificate. */
    @Override
    public synchronized <T> Optional<T> issueIfApproved(String id, Issuer<T> issue) throws IOException {
        if (state(id) != State.APPROVED) {
            return Optional.empty();
        }
        IssuedRecord<T> issued = issue.issue();
        Map<String, String> record = new LinkedHashMap<>(read(file(id, "request")));
        record.putAll(read(file(id, "approved")));
        record.put("issued", Instant.now().toString());
        record.put("serial", issued.serialHex());
        SecureFiles.write(file(id, "issued"), properties(record), SecureFiles.OWNER_ONLY);
        Files.deleteIfExists(file(id, "approved"));
        Files.deleteIfExists(file(id, "request"));
        SecureFiles.syncDirectory(dir);
        return Optional.of(issued.result());
    }

    // ---- administrator side ----

    @Override
    public List<Entry> list() throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        TreeSet<String> ids = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.request")) {
            files.forEach(f -> ids.add(f.getFileName().toString().replace(".request", "")));
        }
        for (String id : ids) {
            Map<String, String> details = new LinkedHashMap<>(read(file(id, "request")));
            State state = state(id);
            if (state == State.REJECTED) {
                details.putAll(read(file(id, "rejected")));
            }
            entries.add(new Entry(id, state, details));
        }
        entries.sort((a, b) -> a.details().getOrDefault("received", "").compareTo(b.details().getOrDefault("received", "")));
        return entries;
    }

    @Override
    public void approve(String id, String by, String note) throws IOException {
        decide(id, "approved", by, note);
    }

    @Override
    public void reject(String id, String by, String note) throws IOException {
        decide(id, "rejected", by, note);
    }

    private synchronized void decide(String id, String decision, String by, String note) throws IOException {
        if (!Files.exists(file(id, "request"))) {
            throw new IllegalArgumentException("no queued request " + id);
        }
        if (Files.exists(file(id, "approved")) || Files.exists(file(id, "rejected"))) {
            throw new IllegalArgumentException("request " + id + " was decided already");
        }
        Map<String, String> content = new LinkedHashMap<>();
        content.put(decision, Instant.now().toString());
        content.put(decision + "-by", by);
        if (note != null && !note.isBlank()) {
            content.put(decision + "-note", note);
        }
        SecureFiles.write(file(id, decision), properties(content), SecureFiles.OWNER_ONLY);
        // ca/<name>/pending: the CA is the parent directory's name
        Path caDir = dir.toAbsolutePath().getParent();
        org.est4j.war.audit.AuditLog.decided(decision.equals("approved"), caDir == null ? "" : String.valueOf(caDir.getFileName()),
                id, by, note);
    }

    private Path file(String id, String suffix) {
        if (!ApprovalQueue.isId(id)) {
            throw new IllegalArgumentException("not a request id: " + id);
        }
        return dir.resolve(id + "." + suffix);
    }

    private static Map<String, String> read(Path file) throws IOException {
        return Files.exists(file) ? decode(Files.readString(file, StandardCharsets.UTF_8)) : new LinkedHashMap<>();
    }

    private static byte[] properties(Map<String, String> content) {
        return encode(content).getBytes(StandardCharsets.UTF_8);
    }

    /** The details of a request as lines of {@code java.util.Properties}, in their order (also a database's text column). */
    public static String encode(Map<String, String> content) {
        StringWriter out = new StringWriter();
        for (Map.Entry<String, String> e : content.entrySet()) {
            Properties one = new Properties();
            one.setProperty(e.getKey(), e.getValue());
            try {
                StringWriter line = new StringWriter();
                one.store(line, null);
                // drop the date comment Properties.store writes first
                line.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> out.append(l).append('\n'));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return out.toString();
    }

    /** What {@link #encode} wrote, keys sorted. */
    public static Map<String, String> decode(String text) throws IOException {
        Properties p = new Properties();
        try (Reader r = new java.io.StringReader(text)) {
            p.load(r);
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            map.put(key, p.getProperty(key));
        }
        return map;
    }
}

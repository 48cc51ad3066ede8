package org.est4j.war.localca;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;

import org.est4j.spi.AuthenticatedClient;
import org.est4j.war.SecureFiles;

/**
 * Requests of one local CA that wait for a person (RFC 7030 sections 3.7 and 4.2.3): every request of a
 * CA with {@code approval = manual}, and requests whose authentication was incomplete on a label that
 * queues them. The client gets 202 and repeats the same request; once an administrator has approved
 * it, the repetition is issued.
 *
 * <p>One directory, one small file per state change, each written atomically and fsync'd: a crash or a
 * restart loses nothing, and the administrator's command ({@link org.est4j.war.Admin}) and the running
 * server never write the same file. {@code <id>.request} holds the request and who sent it;
 * {@code <id>.approved} or {@code <id>.rejected} the decision; {@code <id>.issued} replaces the request
 * and the approval once the certificate is issued, so an approval is used once.
 *
 * <p>The id is a digest of the client's identity and the request's DER: the same client repeating the
 * same request finds its entry, and nobody else can claim it with another key or from another identity.
 */
public final class ApprovalQueue {

    /** Where a request stands. */
    public enum State { NONE, PENDING, APPROVED, REJECTED }

    /** One queued request as the administrator sees it. */
    public record Entry(String id, State state, Map<String, String> details) {
    }

    private final Path dir;

    public ApprovalQueue(Path dir) {
        this.dir = dir;
    }

    public Path directory() {
        return dir;
    }

    /** The id of {@code csrDer} from {@code client}: 32 hex digits. */
    public static String idOf(AuthenticatedClient client, byte[] csrDer) {
        StringBuilder identity = new StringBuilder();
        client.certificate().ifPresent(c -> identity.append("tls:").append(fingerprint(c)).append('|'));
        client.username().ifPresent(u -> identity.append("user:").append(u).append('|'));
        client.unverified().ifPresent(u -> {
            if (!u.presentedChain().isEmpty()) {
                identity.append("unverified-tls:").append(fingerprint(u.presentedChain().get(0))).append('|');
            }
            u.claimedUsername().ifPresent(n -> identity.append("unverified-user:").append(n).append('|'));
        });
        MessageDigest sha256 = sha256();
        sha256.update(identity.toString().getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) '\n');
        sha256.update(csrDer);
        return HexFormat.of().formatHex(sha256.digest(), 0, 16);
    }

    /** A human-readable description of the client, for the administrator. */
    public static String describe(AuthenticatedClient client) {
        List<String> parts = new ArrayList<>();
        client.certificate().ifPresent(c -> parts.add("TLS certificate " + c.getSubjectX500Principal().getName()
                + " (issuer " + c.getIssuerX500Principal().getName() + ", SHA-256 " + fingerprint(c) + ")"));
        client.username().ifPresent(u -> parts.add("HTTP user " + u));
        client.unverified().ifPresent(u -> {
            if (!u.presentedChain().isEmpty()) {
                X509Certificate c = u.presentedChain().get(0);
                parts.add("UNVERIFIED TLS certificate " + c.getSubjectX500Principal().getName() + " (issuer "
                        + c.getIssuerX500Principal().getName() + ", SHA-256 " + fingerprint(c) + ")");
            }
            u.claimedUsername().ifPresent(n -> parts.add("UNKNOWN HTTP user " + n));
        });
        return String.join("; ", parts);
    }

    /** The state of {@code id}. */
    public synchronized State state(String id) {
        if (Files.exists(file(id, "rejected"))) {
            return State.REJECTED;
        }
        if (Files.exists(file(id, "approved"))) {
            return State.APPROVED;
        }
        return Files.exists(file(id, "request")) ? State.PENDING : State.NONE;
    }

    /** Queues a request (a no-op when it is queued already). */
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

    /**
     * Runs {@code issue} if {@code id} is approved, then marks the approval used; under the queue's lock,
     * so two repetitions of an approved request issue one certificate.
     *
     * @return the issuer's result, or empty when the request is not (or no longer) approved
     */
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

    /** The issuance run by {@link #issueIfApproved}. */
    @FunctionalInterface
    public interface Issuer<T> {
        IssuedRecord<T> issue() throws IOException;
    }

    /** What {@link Issuer} returns: the result and the serial to record. */
    public record IssuedRecord<T>(T result, String serialHex) {
    }

    // ---- administrator side ----

    /** Every request that waits for a decision or was rejected, oldest first. */
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

    /** Approves a queued request: the client's next repetition is issued. */
    public void approve(String id, String by, String note) throws IOException {
        decide(id, "approved", by, note);
    }

    /** Rejects a queued request: the client's repetitions get 403. */
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
    }

    private Path file(String id, String suffix) {
        if (!id.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("not a request id: " + id);
        }
        return dir.resolve(id + "." + suffix);
    }

    private static Map<String, String> read(Path file) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return map;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        for (String key : new TreeSet<>(p.stringPropertyNames())) {
            map.put(key, p.getProperty(key));
        }
        return map;
    }

    private static byte[] properties(Map<String, String> content) {
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
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String fingerprint(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(sha256().digest(c.getEncoded()));
        } catch (CertificateEncodingException e) {
            return "(unencodable)";
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.est4j.war.localca;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import org.est4j.war.Pem;
import org.est4j.war.SecureFiles;

/**
 * Where a local CA keeps its key generations in {@code EST_HOME/ca/<name>/}, and how it switches between them so that a
 * crash at any moment leaves either the old state or the complete new one.
 *
 * <p><b>Layout.</b> Generation 1, the key the CA was created with, is {@code ca-key.pem} and {@code ca.pem} in the CA's
 * directory, as before rollovers existed. Generation {@code n > 1} is the directory {@code generation-<n>/}:
 * {@code ca-key.pem} (0600), {@code ca.pem} (NewWithNew), {@code new-with-old.pem} and {@code old-with-new.pem} (the
 * link certificates to generation {@code n-1}) and, once it signed one, its {@code crl.der}. The file
 * {@value #STATE_FILE} names the generations in use ({@code current}, and {@code previous} during an overlap); without
 * it, generation 1 is the only one.
 *
 * <p><b>Crash safety.</b> A rollover writes the new generation into {@code generation-<n>.tmp/} (each file fsync'd),
 * renames that directory to {@code generation-<n>/} (fsync of the parent), and only then rewrites {@value #STATE_FILE}
 * atomically: that single rename is the switch. Before it, the old state is intact and the half-made directory is
 * ignored (and replaced by the next attempt); after it, every file of the new generation is on disk. Finishing an
 * overlap rewrites {@value #STATE_FILE} first and deletes the previous key afterwards, so a crash in between only leaves
 * files that the next {@link #read} deletes.
 */
final class KeyGenerations {

    /** The file naming the generations in use. */
    static final String STATE_FILE = "generations.properties";
    static final String KEY_FILE = "ca-key.pem";
    static final String CERTIFICATE_FILE = "ca.pem";
    static final String NEW_WITH_OLD = "new-with-old.pem";
    static final String OLD_WITH_NEW = "old-with-new.pem";

    /**
     * The generations in use.
     *
     * @param current  the generation that signs new certificates
     * @param previous the one before it while the overlap lasts, else 0
     */
    record State(int current, int previous) {
        boolean overlapping() {
            return previous != 0;
        }
    }

    private KeyGenerations() {
    }

    /** The directory of generation {@code n} of the CA in {@code caDir}. */
    static Path directory(Path caDir, int n) {
        return n == 1 ? caDir : caDir.resolve("generation-" + n);
    }

    /** The generations in use in {@code caDir}; cleans up what an interrupted {@link #finish} left. */
    static State read(Path caDir) throws IOException {
        Path file = caDir.resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return new State(1, 0);
        }
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file, StandardCharsets.ISO_8859_1)));
        State state;
        try {
            state = new State(Integer.parseInt(p.getProperty("current", "").strip()),
                    Integer.parseInt(p.getProperty("previous", "0").strip()));
        } catch (NumberFormatException e) {
            throw new IOException(file + " is damaged: 'current' (and 'previous') must be generation numbers");
        }
        if (state.current() < 1 || (state.overlapping() && state.previous() != state.current() - 1)) {
            throw new IOException(file + " is damaged: current = " + state.current() + ", previous = " + state.previous());
        }
        if (!state.overlapping()) {
            dropLeftovers(caDir, state.current());
        }
        return state;
    }

    /** The key of generation {@code n}. */
    static PrivateKey key(Path caDir, int n) throws IOException {
        return Pem.readPrivateKey(directory(caDir, n).resolve(KEY_FILE));
    }

    /** The root certificate of generation {@code n}. */
    static X509Certificate certificate(Path caDir, int n) throws IOException {
        return Pem.readCertificates(directory(caDir, n).resolve(CERTIFICATE_FILE)).get(0);
    }

    /** The current root certificate of the CA in {@code caDir}, whatever its generation (for tools reading a copy). */
    static X509Certificate currentCertificate(Path caDir) throws IOException {
        return certificate(caDir, read(caDir).current());
    }

    /** The link certificates of generation {@code n} (NewWithOld, OldWithNew), if it has them. */
    static Optional<List<X509Certificate>> links(Path caDir, int n) throws IOException {
        Path dir = directory(caDir, n);
        if (n == 1 || !Files.exists(dir.resolve(NEW_WITH_OLD))) {
            return Optional.empty();
        }
        return Optional.of(List.of(Pem.readCertificates(dir.resolve(NEW_WITH_OLD)).get(0),
                Pem.readCertificates(dir.resolve(OLD_WITH_NEW)).get(0)));
    }

    /** A test's stand-in for a crash between two steps of {@link #commit}. */
    @FunctionalInterface
    interface Step {
        Step NONE = name -> { };

        void reached(String name) throws IOException;
    }

    /**
     * Writes generation {@code state.current() + 1} with {@code key} (null for a key in a token) and {@code certificates},
     * then makes it current with
     * {@code state.current()} as the previous one. Returns the new state.
     */
    static State commit(Path caDir, State state, PrivateKey key, RolloverCertificates certificates, Step step) throws IOException {
        int n = state.current() + 1;
        Path target = directory(caDir, n);
        Path tmp = caDir.resolve("generation-" + n + ".tmp");
        // leftovers of an attempt that crashed before its switch: never in use, since the state file does not name them
        deleteTree(tmp);
        deleteTree(target);
        SecureFiles.createPrivateDirectory(tmp);
        if (key != null) { // null: the key is in a PKCS#11 token, labelled for this generation
            SecureFiles.write(tmp.resolve(KEY_FILE), Pem.privateKey(key), SecureFiles.OWNER_ONLY);
        }
        step.reached("key written");
        SecureFiles.write(tmp.resolve(CERTIFICATE_FILE), Pem.certificates(List.of(certificates.newWithNew())), SecureFiles.READABLE);
        SecureFiles.write(tmp.resolve(NEW_WITH_OLD), Pem.certificates(List.of(certificates.newWithOld())), SecureFiles.READABLE);
        SecureFiles.write(tmp.resolve(OLD_WITH_NEW), Pem.certificates(List.of(certificates.oldWithNew())), SecureFiles.READABLE);
        step.reached("generation written");
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target);
        }
        SecureFiles.syncDirectory(caDir);
        step.reached("generation in place");
        State next = new State(n, state.current());
        writeState(caDir, next);
        return next;
    }

    /** Ends the overlap: the previous generation's key and the link certificates are dropped. Returns the new state. */
    static State finish(Path caDir, State state) throws IOException {
        State next = new State(state.current(), 0);
        writeState(caDir, next);
        dropLeftovers(caDir, state.current());
        return next;
    }

    /** Deletes the previous generation's key and root, and the current generation's link certificates. */
    private static void dropLeftovers(Path caDir, int current) throws IOException {
        if (current == 1) {
            return;
        }
        Path previous = directory(caDir, current - 1);
        Files.deleteIfExists(previous.resolve(KEY_FILE));
        Files.deleteIfExists(previous.resolve(CERTIFICATE_FILE));
        Files.deleteIfExists(directory(caDir, current).resolve(NEW_WITH_OLD));
        Files.deleteIfExists(directory(caDir, current).resolve(OLD_WITH_NEW));
        SecureFiles.syncDirectory(previous);
    }

    private static void writeState(Path caDir, State state) throws IOException {
        Properties p = new Properties();
        p.setProperty("current", Integer.toString(state.current()));
        if (state.overlapping()) {
            p.setProperty("previous", Integer.toString(state.previous()));
        }
        StringWriter out = new StringWriter();
        p.store(out, "est4j: the CA key generations in use (docs/rollover.md); written by rollover, never by hand");
        SecureFiles.write(caDir.resolve(STATE_FILE), out.toString().getBytes(StandardCharsets.ISO_8859_1), SecureFiles.READABLE);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

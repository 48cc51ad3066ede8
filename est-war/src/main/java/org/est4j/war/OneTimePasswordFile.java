package org.est4j.war;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;


/**
 * One-time passwords (RFC 7030 section 3.2.3) in a file of SHA-256 digests, one per line, as
 * {@link Admin} {@code add-otp} writes them. Consuming one rewrites the file without it, atomically and
 * fsync'd, under a file lock that the Admin command takes as well.
 */
public final class OneTimePasswordFile implements OneTimePasswordStore {

    private final Path file;

    public OneTimePasswordFile(Path file) {
        this.file = file;
    }

    @Override
    public boolean consume(char[] password) {
        String digest = digest(password);
        try {
            return locked(() -> {
                if (!Files.exists(file)) {
                    return false;
                }
                List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.US_ASCII));
                if (!lines.remove(digest)) {
                    return false;
                }
                SecureFiles.write(file, (String.join("\n", lines) + (lines.isEmpty() ? "" : "\n")).getBytes(StandardCharsets.US_ASCII),
                        SecureFiles.OWNER_ONLY);
                return true;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + file, e);
        }
    }

    /** Adds passwords (their digests) to the file. */
    @Override
    public void add(List<char[]> passwords) throws IOException {
        locked(() -> {
            List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.US_ASCII)) : new ArrayList<>();
            for (char[] p : passwords) {
                lines.add(digest(p));
            }
            SecureFiles.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII), SecureFiles.OWNER_ONLY);
            return true;
        });
    }

    private interface Locked {
        boolean run() throws IOException;
    }

    /** Serialises the server and the Admin command (two processes) on a lock file next to the list. */
    private synchronized boolean locked(Locked action) throws IOException {
        Path lockFile = file.resolveSibling("." + file.getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            return action.run();
        }
    }

    private static String digest(char[] password) {
        return OneTimePasswordStore.digest(password);
    }
}

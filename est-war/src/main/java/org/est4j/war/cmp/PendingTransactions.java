package org.est4j.war.cmp;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

import org.est4j.war.SecureFiles;

/**
 * The CMP transactions that wait at the upstream ({@code waiting}, then {@code pollRep}), one file each under
 * {@code EST_HOME/cmp/<name>/pending/}, so that the EST client's repetition of the same request polls the same
 * transaction, after a restart too, instead of starting a second one. The key is the approval queue's request id:
 * the client's identity and the exact request.
 *
 * <p>Kept on the local file system of the instance that started the transaction: with several instances behind a
 * load balancer, a repetition that reaches another instance starts a new transaction (the upstream then sees two).
 */
final class PendingTransactions {

    /**
     * One waiting transaction.
     *
     * @param transaction the transaction id and the upstream's last nonce
     * @param certReqId   the certReqId the upstream answered with, polled for
     * @param started     when the first request was sent
     */
    record Entry(CmpClient.Transaction transaction, BigInteger certReqId, Instant started) {
    }

    private final Path dir;
    private final Duration maxAge;
    private final Clock clock;

    PendingTransactions(Path dir, Duration maxAge, Clock clock) {
        this.dir = dir;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** The waiting transaction of request {@code id}, unless there is none or it is older than the configured limit. */
    Optional<Entry> find(String id) throws IOException {
        Path file = file(id);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Properties p = new Properties();
        p.load(new StringReader(text));
        try {
            Entry entry = new Entry(new CmpClient.Transaction(HexFormat.of().parseHex(p.getProperty("transaction-id")),
                    HexFormat.of().parseHex(p.getProperty("server-nonce"))), new BigInteger(p.getProperty("cert-req-id")),
                    Instant.ofEpochSecond(Long.parseLong(p.getProperty("started"))));
            if (entry.started().plus(maxAge).isBefore(clock.instant())) {
                remove(id); // abandoned: the client gave up long ago, a repetition starts afresh
                return Optional.empty();
            }
            return Optional.of(entry);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a pending CMP transaction", e);
        }
    }

    /** Records (or updates) the waiting transaction of request {@code id}. */
    void save(String id, Entry entry) throws IOException {
        SecureFiles.createPrivateDirectory(dir);
        Properties p = new Properties();
        p.setProperty("transaction-id", HexFormat.of().formatHex(entry.transaction().id()));
        p.setProperty("server-nonce", HexFormat.of().formatHex(entry.transaction().serverNonce()));
        p.setProperty("cert-req-id", entry.certReqId().toString());
        p.setProperty("started", Long.toString(entry.started().getEpochSecond()));
        StringWriter out = new StringWriter();
        p.store(out, "a CMP transaction waiting at the upstream CA");
        SecureFiles.write(file(id), out.toString().getBytes(StandardCharsets.ISO_8859_1), SecureFiles.OWNER_ONLY);
    }

    /** Forgets request {@code id}'s transaction: it ended (issued, refused) or was abandoned. */
    void remove(String id) throws IOException {
        Files.deleteIfExists(file(id));
    }

    Instant now() {
        return clock.instant();
    }

    private Path file(String id) {
        if (!id.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("not a request id: " + id);
        }
        return dir.resolve(id + ".properties");
    }
}

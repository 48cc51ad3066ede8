package org.est4j.war.localca;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Revocations of one local CA, one line each ({@code time serial-hex reason by}), appended and
 * fsync'd before the client is told: the input for a CRL or OCSP responder, which est4j does not run.
 */
public final class RevocationLog {

    private final Path file;

    RevocationLog(Path file) {
        this.file = file;
    }

    public synchronized void record(BigInteger serial, int reason, String by) throws IOException {
        String line = Instant.now() + " " + serial.toString(16) + " " + reason + " " + org.est4j.jaxrs.ClientText.quote(by) + "\n";
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
    }

    /** Serial (hex) to CRLReason code of every revoked certificate. */
    public synchronized Map<String, Integer> revoked() throws IOException {
        Map<String, Integer> out = new HashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String l : lines) {
            String[] f = l.split(" ", 4);
            if (f.length >= 3) {
                out.put(f[1], Integer.parseInt(f[2]));
            }
        }
        return out;
    }
}

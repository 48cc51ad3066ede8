package org.est4j.war.localca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A revocation counts from the moment it is on disk, whichever process wrote it. */
class RevocationLogTest {

    @TempDir
    Path dir;

    @Test
    void aRevocationIsFoundAndRecordedOnce() throws Exception {
        RevocationLog log = new RevocationLog(dir.resolve("revoked.log"));
        assertTrue(log.find(BigInteger.TEN).isEmpty());
        Revocations.Revocation r = log.record(BigInteger.TEN, 1, "user:est");
        assertEquals(1, log.find(BigInteger.TEN).orElseThrow().reason());
        Revocations.Revocation again = log.record(BigInteger.TEN, 4, "someone else");
        assertEquals(r, again, "the first revocation stands");
        assertEquals(1, Files.readAllLines(dir.resolve("revoked.log")).size());
    }

    @Test
    void anotherProcesssRevocationTakesEffectAtOnce() throws Exception {
        RevocationLog server = new RevocationLog(dir.resolve("revoked.log"));
        assertTrue(server.find(BigInteger.valueOf(0xabc)).isEmpty());
        RevocationLog admin = new RevocationLog(dir.resolve("revoked.log")); // as the Admin command opens it
        admin.record(BigInteger.valueOf(0xabc), 4, "admin root");
        assertEquals(4, server.find(BigInteger.valueOf(0xabc)).orElseThrow().reason());
    }

    @Test
    void aLineCutShortIsNotReadUntilItIsComplete() throws Exception {
        Path file = dir.resolve("revoked.log");
        RevocationLog log = new RevocationLog(file);
        Files.write(file, "2026-12-03T10:00:00Z ff 1 ad".getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        assertTrue(log.find(BigInteger.valueOf(0xff)).isEmpty());
        Files.write(file, "min\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        assertEquals("admin", log.find(BigInteger.valueOf(0xff)).orElseThrow().by());
    }

    @Test
    void whoRevokedIsWrittenOnOneLine() throws Exception {
        Path file = dir.resolve("revoked.log");
        new RevocationLog(file).record(BigInteger.ONE, 0, "user:a\r\nforged 2 0 line");
        assertEquals(1, Files.readAllLines(file).size());
        assertFalse(Files.readString(file).contains("\r"));
    }

    @Test
    void aShrunkFileIsRefused() throws Exception {
        Path file = dir.resolve("revoked.log");
        RevocationLog log = new RevocationLog(file);
        log.record(BigInteger.ONE, 0, "a");
        log.record(BigInteger.TWO, 0, "b");
        Files.writeString(file, "");
        assertThrows(IOException.class, () -> log.find(BigInteger.ONE));
    }
}

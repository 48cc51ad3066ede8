package org.est4j.war.packages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.PackageKind;
import org.est4j.spi.PackageReturn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** returns.log: one record per line whatever a client sends, durable, and read back by every instance. */
class ReturnLogTest {

    @TempDir
    Path dir;

    static PackageReturn returned(AuthenticatedClient client, Optional<PackageKind> kind, String id, PackageReturn.Outcome outcome,
                                  String detail, byte[] message) {
        return new PackageReturn(Optional.empty(), client, kind, id, outcome, detail, message, Instant.parse("2026-12-03T21:00:00Z"));
    }

    @Test
    void aRecordIsOneLineOfEightFields() throws Exception {
        Path file = dir.resolve("packages/returns.log");
        ReturnLog log = new ReturnLog(file);
        byte[] message = {0x30, 3, 2, 1, 5};
        log.record(new PackageReturn(Optional.of("iot"), FilePackageServiceTest.user("alice"), Optional.of(PackageKind.FIRMWARE),
                "fw.der", PackageReturn.Outcome.FAILED, "error 7", message, Instant.parse("2026-12-03T21:00:00Z")), Optional.of("user:alice"));
        log.record(returned(FilePackageServiceTest.user("alice"), Optional.empty(), "1a2b", PackageReturn.Outcome.ACCEPTED, "receipt",
                message), Optional.of("user:alice"));
        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of(
                "2026-12-03T21:00:00Z\tiot\tuser:alice\tfirmware\tfw.der\tFAILED\terror 7\t" + Base64.getEncoder().encodeToString(message),
                "2026-12-03T21:00:00Z\t-\tuser:alice\tserverkeygen\t1a2b\tACCEPTED\treceipt\tMAMCAQU="), lines);
    }

    @Test
    void hostileTextStaysInsideItsField() throws Exception {
        Path file = dir.resolve("returns.log");
        String name = "eve\tforged\r\n2026-12-03T21:00:00Z\t-\tuser:bob\tfirmware\tfw.der\tACCEPTED\tx\tAA==\u202e\\";
        String id = "fw.der\n";
        String detail = "bad\r\nWARNING: forged\tline\u0000";
        ReturnLog log = new ReturnLog(file);
        log.record(returned(FilePackageServiceTest.user(name), Optional.of(PackageKind.FIRMWARE), id, PackageReturn.Outcome.ACCEPTED,
                detail, new byte[] {1}), Optional.of("user:" + name));
        String content = Files.readString(file);
        assertEquals(1, content.split("\n", -1).length - 1, "exactly one line: " + content);
        assertFalse(content.contains("\r") || content.contains("\u202e") || content.contains("\u0000"), content);
        String[] fields = content.substring(0, content.length() - 1).split("\t", -1);
        assertEquals(8, fields.length, content);
        assertTrue(fields[2].startsWith("user:eve\\tforged\\r\\n2026-12-03T21:00:00Z\\t-\\tuser:bob"), fields[2]);
        assertTrue(fields[2].endsWith("\\u202e\\\\"), fields[2]);
        assertEquals("fw.der\\n", fields[4]);
        assertEquals("bad\\r\\nWARNING: forged\\tline\\x00", fields[6]);

        ReturnLog reread = new ReturnLog(file);
        assertTrue(reread.accepted(Optional.empty(), "user:" + name, PackageKind.FIRMWARE, id), "the hostile client's own record counts");
        assertFalse(reread.accepted(Optional.empty(), "user:bob", PackageKind.FIRMWARE, "fw.der"), "no forged record for bob");
        assertFalse(reread.accepted(Optional.empty(), "user:eve", PackageKind.FIRMWARE, id));
    }

    @Test
    void concurrentRecordsAreWholeLines() throws Exception {
        Path file = dir.resolve("returns.log");
        ReturnLog log = new ReturnLog(file);
        ReturnLog other = new ReturnLog(file); // a second instance on the same file, as two servers on one EST_HOME
        int threads = 16;
        int each = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    byte[] message = new byte[1000 + thread * 700 + i];
                    java.util.Arrays.fill(message, (byte) thread);
                    (thread % 2 == 0 ? log : other).record(returned(FilePackageServiceTest.user("u" + thread),
                            Optional.of(PackageKind.TAMP), "q" + i + ".der", PackageReturn.Outcome.ACCEPTED, "t" + thread,
                            message), Optional.of("user:u" + thread));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        List<String> lines = Files.readAllLines(file);
        assertEquals(threads * each, lines.size());
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            assertEquals(8, f.length, line.substring(0, Math.min(200, line.length())));
            int thread = Integer.parseInt(f[6].substring(1));
            assertEquals("user:u" + thread, f[2]);
            byte[] message = Base64.getDecoder().decode(f[7]);
            int i = Integer.parseInt(f[4].substring(1, f[4].length() - 4));
            assertEquals(1000 + thread * 700 + i, message.length);
            for (byte b : message) {
                assertEquals(thread, b);
            }
            assertTrue(seen.add(f[2] + f[4]), "once each");
        }
        for (int t = 0; t < threads; t++) {
            assertTrue(log.accepted(Optional.empty(), "user:u" + t, PackageKind.TAMP, "q" + (each - 1) + ".der"));
            assertTrue(other.accepted(Optional.empty(), "user:u" + t, PackageKind.TAMP, "q0.der"));
        }
    }

    @Test
    void aLineCutShortIsReadOnlyOnceComplete() throws Exception {
        Path file = dir.resolve("returns.log");
        ReturnLog log = new ReturnLog(file);
        Files.writeString(file, "2026-12-03T21:00:00Z\t-\tuser:a\ttamp\tq.der\tACC", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        assertFalse(log.accepted(Optional.empty(), "user:a", PackageKind.TAMP, "q.der"));
        Files.writeString(file, "EPTED\treceipt\tAA==\n", StandardOpenOption.APPEND);
        assertTrue(log.accepted(Optional.empty(), "user:a", PackageKind.TAMP, "q.der"));
    }

    @Test
    void aRecordIsOnDiskWhenRecordReturnsAndTheMessageIsKept() throws Exception {
        Path file = dir.resolve("returns.log");
        byte[] message = new byte[5000];
        new java.util.Random(1).nextBytes(message);
        new ReturnLog(file).record(returned(FilePackageServiceTest.user("a"), Optional.of(PackageKind.SYMMETRIC_KEYS), "k.der",
                PackageReturn.Outcome.ACCEPTED, "receipt", message), Optional.of("user:a"));
        String line = Files.readAllLines(file).get(0);
        assertArrayEquals(message, Base64.getDecoder().decode(line.split("\t")[7]));
    }

    @Test
    void theEscapedFileReadsBackLineByLineWithPython() throws Exception {
        // an independent reader: what an operator's script sees (8 TAB-separated fields, one record a line)
        Path file = dir.resolve("returns.log");
        ReturnLog log = new ReturnLog(file);
        log.record(returned(FilePackageServiceTest.user("x\ny"), Optional.of(PackageKind.TAMP), "q.der", PackageReturn.Outcome.FAILED,
                "a\tb", new byte[] {0x30, 0}), Optional.of("user:x\ny"));
        Process python = new ProcessBuilder("/usr/bin/python3", "-c",
                "import sys,base64\n"
                        + "for l in open(sys.argv[1], encoding='utf-8', newline=''):\n"
                        + "    f = l.rstrip('\\n').split('\\t')\n"
                        + "    print(len(f), f[2], f[6], base64.b64decode(f[7]).hex())\n",
                file.toString()).redirectErrorStream(true).start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, python.waitFor());
        assertEquals("8 user:x\\ny a\\tb 3000", out);
    }
}

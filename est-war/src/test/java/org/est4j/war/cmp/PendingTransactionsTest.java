package org.est4j.war.cmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingTransactionsTest {

    private static final String ID = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    private PendingTransactions at(Instant now) {
        return new PendingTransactions(dir.resolve("pending"), Duration.ofHours(2), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aSavedTransactionIsFoundByAnotherInstanceUntilItIsTooOld() throws Exception {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        at(start).save(ID, new PendingTransactions.Entry(new CmpClient.Transaction(new byte[] {1, 2, 3}, new byte[] {4, 5}),
                BigInteger.valueOf(-1), start));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("pending").resolve(ID + ".properties"))));

        PendingTransactions.Entry read = at(start.plusSeconds(3600)).find(ID).orElseThrow();
        assertArrayEquals(new byte[] {1, 2, 3}, read.transaction().id());
        assertArrayEquals(new byte[] {4, 5}, read.transaction().serverNonce());
        assertEquals(BigInteger.valueOf(-1), read.certReqId());

        assertFalse(at(start.plusSeconds(3 * 3600)).find(ID).isPresent(), "abandoned after cmp.pending-max-hours");
        assertFalse(Files.exists(dir.resolve("pending").resolve(ID + ".properties")), "and forgotten");
    }

    @Test
    void removeForgetsAndOnlyRequestIdsNameFiles() throws Exception {
        Instant now = Instant.now();
        at(now).save(ID, new PendingTransactions.Entry(new CmpClient.Transaction(new byte[] {1}, new byte[] {2}), BigInteger.ZERO, now));
        at(now).remove(ID);
        assertTrue(at(now).find(ID).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> at(now).find("../../etc/passwd"));
    }
}

package org.est4j.war.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Concurrent rows share transactions, and each request learns its own row's outcome. */
class GroupCommitTest {

    @Test
    void concurrentRowsShareBatchesAndEachGetsItsOwnOutcome() throws Exception {
        Set<Integer> written = ConcurrentHashMap.newKeySet();
        AtomicInteger batches = new AtomicInteger();
        GroupCommit<Integer> commits = new GroupCommit<>(batch -> {
            batches.incrementAndGet();
            sleep(5); // a commit's flush: rows arriving meanwhile form the next batch
            boolean[] added = new boolean[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                added[i] = batch.get(i) % 7 != 0 && written.add(batch.get(i)); // multiples of 7: "serial taken"
            }
            return added;
        });
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 1; i <= 400; i++) {
            int row = i;
            results.add(pool.submit(() -> commits.submit(row)));
        }
        for (int i = 1; i <= 400; i++) {
            assertEquals(i % 7 != 0, results.get(i - 1).get(), "row " + i);
        }
        pool.shutdown();
        assertEquals(400 - 400 / 7, written.size());
        assertTrue(batches.get() < 200, "rows shared transactions: " + batches.get() + " batches for 400 rows");
    }

    @Test
    void aFailedBatchFailsEveryRowInItAndTheNextBatchWorks() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        GroupCommit<String> commits = new GroupCommit<>(batch -> {
            if (calls.incrementAndGet() == 1) {
                first.countDown();
                throw new IOException("the database went away");
            }
            boolean[] added = new boolean[batch.size()];
            java.util.Arrays.fill(added, true);
            return added;
        });
        IOException e = assertThrows(IOException.class, () -> commits.submit("a"));
        assertEquals("the database went away", e.getMessage());
        assertTrue(commits.submit("b"));
        assertEquals(2, calls.get());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

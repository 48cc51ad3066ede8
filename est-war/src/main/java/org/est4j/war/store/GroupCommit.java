package org.est4j.war.store;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for rows that each request must see committed before it answers: whichever request finds no batch in
 * progress writes every row waiting at that moment in one transaction, then wakes the requests it covered; the
 * others wait for it or lead the next batch. Durability per row is unchanged; a commit's round trips and WAL flush
 * are shared by every request that arrived during the previous one (the same scheme as the file store's issuance log).
 *
 * @param <R> a row
 */
final class GroupCommit<R> {

    /** Writes a batch in one transaction; for each row, whether it was added. */
    @FunctionalInterface
    interface Writer<R> {
        boolean[] write(List<R> batch) throws IOException;
    }

    /** One row waiting: its outcome once its batch is written. */
    private static final class Waiting<R> {
        final R row;
        boolean done;
        boolean added;
        IOException failure;

        Waiting(R row) {
            this.row = row;
        }
    }

    /** Rows per transaction at most: a batch stays far below what a statement batch or a transaction handles well. */
    private static final int MAX_BATCH = 256;

    private final Writer<R> writer;
    private final ReentrantLock mutex = new ReentrantLock();
    private final Condition written = mutex.newCondition();
    // guarded by mutex
    private List<Waiting<R>> queue = new ArrayList<>();
    private boolean writing;

    GroupCommit(Writer<R> writer) {
        this.writer = writer;
    }

    /**
     * Returns once {@code row} is committed (true) or refused by a constraint (false).
     *
     * @throws IOException if its batch could not be committed: the row may not be relied on
     */
    boolean submit(R row) throws IOException {
        Waiting<R> mine = new Waiting<>(row);
        mutex.lock();
        try {
            queue.add(mine);
            while (!mine.done) {
                if (writing) {
                    written.awaitUninterruptibly();
                    continue;
                }
                // lead: take what waits (at most MAX_BATCH), write it without holding the mutex
                List<Waiting<R>> batch;
                if (queue.size() <= MAX_BATCH) {
                    batch = queue;
                    queue = new ArrayList<>();
                } else {
                    batch = new ArrayList<>(queue.subList(0, MAX_BATCH));
                    queue = new ArrayList<>(queue.subList(MAX_BATCH, queue.size()));
                }
                writing = true;
                mutex.unlock();
                boolean[] added = null;
                IOException failure = null;
                try {
                    List<R> rows = new ArrayList<>(batch.size());
                    for (Waiting<R> w : batch) {
                        rows.add(w.row);
                    }
                    added = writer.write(rows);
                } catch (IOException e) {
                    failure = e;
                } catch (RuntimeException e) {
                    failure = new IOException("the batch could not be written: " + e, e);
                } finally {
                    mutex.lock();
                    for (int i = 0; i < batch.size(); i++) {
                        Waiting<R> w = batch.get(i);
                        w.done = true;
                        w.failure = failure;
                        w.added = failure == null && added != null && i < added.length && added[i];
                    }
                    writing = false;
                    written.signalAll();
                }
            }
        } finally {
            mutex.unlock();
        }
        if (mine.failure != null) {
            throw new IOException(mine.failure.getMessage(), mine.failure);
        }
        return mine.added;
    }
}

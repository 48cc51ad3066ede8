package org.est4j.war.localca;

import java.math.BigInteger;

/**
 * The serial numbers a local CA has handed out, as a set of 64-bit fingerprints (the serial's low 64 bits)
 * in an open-addressing table: a million certificates take 16 MiB, where a set of {@code BigInteger}s
 * would take over a hundred.
 *
 * <p>Two serials that differ only above bit 63 share a fingerprint: {@link #add} then refuses the second,
 * and the CA draws another, which is the safe direction. {@link #contains} can therefore, with probability
 * about n / 2<sup>64</sup>, call a serial known that was never issued; the callers only use it to refuse
 * what cannot be this CA's. Not thread-safe: {@link IssuanceLog} guards it.
 */
final class SerialIndex {

    private static final long EMPTY = 0L;   // serial fingerprints are never zero: zero stands for "free"
    private static final long ZERO_KEY = Long.MIN_VALUE ^ 0x9E3779B97F4A7C15L; // where a fingerprint of 0 is kept

    private long[] table = new long[1024];
    private int size;

    /** Whether the fingerprint of {@code serial} was added. */
    boolean contains(BigInteger serial) {
        long key = key(serial);
        long[] t = table;
        for (int i = slot(key, t.length); ; i = (i + 1) & (t.length - 1)) {
            if (t[i] == EMPTY) {
                return false;
            }
            if (t[i] == key) {
                return true;
            }
        }
    }

    /** Adds the fingerprint of {@code serial}; false if it was there already. */
    boolean add(BigInteger serial) {
        if ((size + 1) * 2 > table.length) {
            grow();
        }
        long key = key(serial);
        for (int i = slot(key, table.length); ; i = (i + 1) & (table.length - 1)) {
            if (table[i] == EMPTY) {
                table[i] = key;
                size++;
                return true;
            }
            if (table[i] == key) {
                return false;
            }
        }
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        for (long key : old) {
            if (key != EMPTY) {
                for (int i = slot(key, table.length); ; i = (i + 1) & (table.length - 1)) {
                    if (table[i] == EMPTY) {
                        table[i] = key;
                        break;
                    }
                }
            }
        }
    }

    private static long key(BigInteger serial) {
        long fingerprint = serial.longValue();
        return fingerprint == EMPTY ? ZERO_KEY : fingerprint;
    }

    private static int slot(long key, int length) {
        long h = key * 0x9E3779B97F4A7C15L; // sequential serials spread over the table too
        return (int) (h ^ (h >>> 32)) & (length - 1);
    }
}

package dev.livecounter.common.security;

import java.util.Iterator;
import java.util.TreeMap;

/**
 * The signatures a replica has accepted whose time is still inside the window, so that a captured call sent again
 * verbatim is refused. An entry is forgotten once its time has left the window (the window alone refuses it then),
 * and the set never holds more than {@code capacity} entries: only verified signatures enter it, so only callers
 * that hold the secret can fill it, and a full set refuses new calls rather than forgetting early and reopening a
 * replay.
 *
 * <p>Internal calls are the hot path (every connect batch, every press, every change posted to every replica), so
 * the set costs about 16 bytes a signature (the first 64 bits of each MAC in open-addressing tables of primitive
 * longs, one table per second of expiry) and forgets a whole second at once: a million signatures take ~16-32 MB,
 * where boxed maps took ~100 bytes each.
 */
final class SeenSignatures {

    /** What {@link #see} found. */
    enum Sight {
        FIRST,
        REPLAY,
        FULL
    }

    private final int capacity;
    /** Second of expiry -> the signatures that expire in it. */
    private final TreeMap<Long, LongSet> bySecond = new TreeMap<>();
    private int size;

    SeenSignatures(int capacity) {
        this.capacity = capacity;
    }

    /** Records {@code key} (kept until {@code forgetAfter}) unless it is already there or the set is full. */
    synchronized Sight see(long key, long forgetAfter, long now) {
        // a second's table goes once the whole second is past: kept a little longer, never shorter
        for (Iterator<LongSet> expired = bySecond.headMap(Math.floorDiv(now, 1000)).values().iterator(); expired.hasNext(); ) {
            size -= expired.next().size();
            expired.remove();
        }
        for (LongSet second : bySecond.values()) {
            if (second.contains(key)) {
                return Sight.REPLAY;
            }
        }
        if (size >= capacity) {
            return Sight.FULL;
        }
        bySecond.computeIfAbsent(Math.floorDiv(forgetAfter, 1000), s -> new LongSet()).add(key);
        size++;
        return Sight.FIRST;
    }

    synchronized int size() {
        return size;
    }

    /** A set of longs by open addressing (linear probing); it only grows, and is dropped whole. */
    private static final class LongSet {
        private long[] slots = new long[64];
        private boolean hasZero;
        private int size;

        int size() {
            return size;
        }

        boolean contains(long key) {
            if (key == 0) {
                return hasZero;
            }
            int mask = slots.length - 1;
            for (int i = index(key, mask); slots[i] != 0; i = (i + 1) & mask) {
                if (slots[i] == key) {
                    return true;
                }
            }
            return false;
        }

        /** Adds a key known to be absent. */
        void add(long key) {
            size++;
            if (key == 0) {
                hasZero = true;
                return;
            }
            if (size * 2 > slots.length) {
                long[] old = slots;
                slots = new long[old.length * 2];
                for (long k : old) {
                    if (k != 0) {
                        insert(k);
                    }
                }
            }
            insert(key);
        }

        private void insert(long key) {
            int mask = slots.length - 1;
            int i = index(key, mask);
            while (slots[i] != 0) {
                i = (i + 1) & mask;
            }
            slots[i] = key;
        }

        private static int index(long key, int mask) {
            return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
        }
    }
}

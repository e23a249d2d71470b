package dev.livecounter.common.security;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The signatures a replica has accepted whose time is still inside the window, so that a captured call sent again
 * verbatim is refused. An entry is forgotten once its time has left the window (the window alone refuses it then),
 * and the set never holds more than {@code capacity} entries: only verified signatures enter it, so only callers
 * that hold the secret can fill it, and a full set refuses new calls rather than forgetting early and reopening a
 * replay.
 */
final class SeenSignatures {

    /** What {@link #see} found. */
    enum Sight {
        FIRST,
        REPLAY,
        FULL
    }

    private record Entry(long key, long forgetAfter) {}

    private final int capacity;
    private final Map<Long, Long> forgetAfter = new HashMap<>();
    private final PriorityQueue<Entry> byTime = new PriorityQueue<>(Comparator.comparingLong(Entry::forgetAfter));

    SeenSignatures(int capacity) {
        this.capacity = capacity;
    }

    /** Records {@code key} (kept until {@code forgetAfter}) unless it is already there or the set is full. */
    synchronized Sight see(long key, long forgetAfter, long now) {
        while (!byTime.isEmpty() && byTime.peek().forgetAfter() < now) {
            this.forgetAfter.remove(byTime.poll().key());
        }
        if (this.forgetAfter.containsKey(key)) {
            return Sight.REPLAY;
        }
        if (this.forgetAfter.size() >= capacity) {
            return Sight.FULL;
        }
        this.forgetAfter.put(key, forgetAfter);
        byTime.add(new Entry(key, forgetAfter));
        return Sight.FIRST;
    }

    synchronized int size() {
        return forgetAfter.size();
    }
}

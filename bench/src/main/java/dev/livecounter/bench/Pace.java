package dev.livecounter.bench;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/** The drive step every scenario shares: actions at a steady rate, and waits bounded in time. */
final class Pace {

    private Pace() {}

    /**
     * Runs {@code action(0..count-1)}, the i-th at {@code start + i / rate} (as soon as possible when {@code rate}
     * is 0), then waits until the whole span {@code count / rate} has passed. Returns the start (nanoTime).
     */
    static long paced(int count, double rate, IntConsumer action) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (rate > 0) {
                until(start + (long) (i * 1e9 / rate));
            }
            action.accept(i);
        }
        if (rate > 0) {
            until(start + (long) (count * 1e9 / rate));
        }
        return start;
    }

    /** Parks until {@code nanoTime}. */
    static void until(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** Waits until every one of pages {@code 0..pages-1} shows at least {@code value}; throws past the timeout. */
    static void awaitValue(WsFleet fleet, int pages, long value, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int p = 0; p < pages; p++) {
            while (fleet.lastValue(p) < value) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("value " + value + " did not reach every page within " + timeout
                            + " (page " + p + " shows " + fleet.lastValue(p) + ")");
                }
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}

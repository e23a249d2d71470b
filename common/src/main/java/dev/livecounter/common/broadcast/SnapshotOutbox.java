package dev.livecounter.common.broadcast;

import dev.livecounter.common.model.CounterSnapshot;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Coalesces the counter changes a service posts to the broadcaster replicas: per counter at most one send per
 * interval, always the newest version offered, and the first change after a quiet interval at once. An older
 * version than one already offered is dropped. Used where a service that made a change posts it itself
 * (connection-service to every replica, a broadcaster to its peers); a lost post costs latency, not
 * correctness: the stream brings every change too.
 */
public final class SnapshotOutbox implements AutoCloseable {

    private final Consumer<CounterSnapshot> send;
    private final long intervalNanos;
    /** Counters with a change sent within the last interval; each guarded by the map's compute. */
    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sender;

    /**
     * @param threadName the name of the one daemon thread that sends
     * @param interval at most one send per counter per this interval
     * @param send posts one snapshot (asynchronously: it must not block the sender thread)
     */
    public SnapshotOutbox(String threadName, Duration interval, Consumer<CounterSnapshot> send) {
        this.send = send;
        this.intervalNanos = interval.toNanos();
        this.sender = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A counter as a write left it: sent at once, or with the next send of its counter. */
    public void offer(CounterSnapshot snapshot) {
        pending.compute(snapshot.counter(), (counter, box) -> {
            Pending next = box == null ? new Pending() : box;
            if (snapshot.isNewerThan(next.newest)) {
                next.newest = snapshot;
                if (!next.scheduled) {
                    next.scheduled = true;
                    schedule(counter, next.sent == null ? 0 : Math.max(0, next.sentAt + intervalNanos - System.nanoTime()));
                }
            }
            return next;
        });
    }

    /** Sends what came since the last send, then looks again one interval later; a counter idle that long goes. */
    private void flush(String counter) {
        CounterSnapshot[] due = new CounterSnapshot[1];
        pending.computeIfPresent(counter, (name, box) -> {
            box.scheduled = false;
            if (box.newest == box.sent) {
                return null;
            }
            due[0] = box.newest;
            box.sent = box.newest;
            box.sentAt = System.nanoTime();
            box.scheduled = true;
            schedule(name, intervalNanos);
            return box;
        });
        if (due[0] != null) {
            send.accept(due[0]);
        }
    }

    private void schedule(String counter, long delayNanos) {
        try {
            sender.schedule(() -> flush(counter), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            // shutting down: the stream brings the change
        }
    }

    /** Stops sending; what is still pending is left to the stream. */
    @Override
    public void close() {
        sender.shutdownNow();
    }

    private static final class Pending {
        CounterSnapshot newest;
        CounterSnapshot sent;
        long sentAt;
        boolean scheduled;
    }
}

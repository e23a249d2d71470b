package dev.livecounter.common.broadcast;

import dev.livecounter.common.model.CounterSnapshot;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coalesces the counter changes a service sends on (to the broadcaster replicas, or a replica to its pages): per
 * counter at most one send per interval, always the newest version offered. The first change after a quiet interval
 * is sent at once, on the offering thread: a lone change waits for neither the interval nor another thread. The
 * changes that follow it within the interval wait for its end and go as one, the newest. An older version than one
 * offered since the counter's last quiet interval is dropped, and a counter's sends never overtake each other; after a
 * quiet interval the outbox forgets the counter, and a late old copy is dropped by whoever receives it (a page's sink,
 * a replica's fan-out). Used where a service that made a change posts it itself (connection-service to every
 * replica, a broadcaster to its peers) and for a replica's own pages; a lost post costs latency, not correctness: the
 * stream brings every change too.
 */
public final class SnapshotOutbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotOutbox.class);

    /** Where and when the sends that wait out an interval run: a daemon thread on the system clock, or a test's hand. */
    public interface Scheduler extends AutoCloseable {
        /** Runs {@code task} once, {@code delayNanos} from now; throws {@link RejectedExecutionException} once closed. */
        void schedule(Runnable task, long delayNanos);

        /** Runs nothing more. */
        @Override
        void close();

        /** One daemon thread named {@code name}, on the system clock. */
        static Scheduler thread(String name) {
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, name);
                thread.setDaemon(true);
                return thread;
            });
            return new Scheduler() {
                @Override
                public void schedule(Runnable task, long delayNanos) {
                    executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
                }

                @Override
                public void close() {
                    executor.shutdownNow();
                }
            };
        }
    }

    private final Consumer<CounterSnapshot> send;
    private final long intervalNanos;
    /** Counters with a change sent within the last interval; each guarded by the map's compute. */
    private final ConcurrentHashMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final Scheduler scheduler;
    private volatile boolean closed;

    /**
     * @param threadName the name of the one daemon thread that sends what waited out an interval
     * @param interval at most one send per counter per this interval
     * @param send posts one snapshot; called on the offering thread or the outbox's own, so it must not block (nor
     *             offer to this outbox)
     */
    public SnapshotOutbox(String threadName, Duration interval, Consumer<CounterSnapshot> send) {
        this(interval, send, Scheduler.thread(threadName));
    }

    /** An outbox whose waiting sends run on {@code scheduler} (a test's, that moves time by hand). */
    public SnapshotOutbox(Duration interval, Consumer<CounterSnapshot> send, Scheduler scheduler) {
        this.send = send;
        this.intervalNanos = interval.toNanos();
        this.scheduler = scheduler;
    }

    /** A counter as a write left it: sent at once if its counter was quiet for an interval, else with its next send. */
    public void offer(CounterSnapshot snapshot) {
        if (closed) {
            return;
        }
        pending.compute(snapshot.counter(), (counter, box) -> {
            if (box == null) {
                // quiet for a whole interval: out now, inside the compute, so that no later send of this counter
                // (those run only while its box is here, one after another) can overtake it
                Pending sent = new Pending(snapshot);
                schedule(counter, intervalNanos);
                sendSafely(snapshot);
                return sent;
            }
            if (snapshot.isNewerThan(box.newest)) {
                box.newest = snapshot;
            }
            return box;
        });
    }

    /**
     * One interval after a send: sends what came since, the newest, and looks again one interval later; a counter
     * that stayed quiet that long goes, and its next change is sent at once.
     */
    private void flush(String counter) {
        CounterSnapshot[] due = new CounterSnapshot[1];
        pending.computeIfPresent(counter, (name, box) -> {
            if (box.newest == box.sent) {
                return null;
            }
            due[0] = box.newest;
            box.sent = box.newest;
            schedule(name, intervalNanos);
            return box;
        });
        if (due[0] != null) {
            // outside the compute: the box stays, so no offer sends this counter before the next flush, which runs
            // on this same thread after this send
            sendSafely(due[0]);
        }
    }

    private void schedule(String counter, long delayNanos) {
        try {
            scheduler.schedule(() -> flush(counter), delayNanos);
        } catch (RejectedExecutionException closing) {
            // shutting down: the stream brings the change
        }
    }

    private void sendSafely(CounterSnapshot snapshot) {
        try {
            send.accept(snapshot);
        } catch (RuntimeException e) {
            LOG.warn("Sending {} v{} failed: {}", snapshot.counter(), snapshot.version(), e.toString());
        }
    }

    /** Stops sending; what is still pending is left to the stream. */
    @Override
    public void close() {
        closed = true;
        scheduler.close();
    }

    private static final class Pending {
        CounterSnapshot newest;
        CounterSnapshot sent;

        Pending(CounterSnapshot first) {
            this.newest = first;
            this.sent = first;
        }
    }
}

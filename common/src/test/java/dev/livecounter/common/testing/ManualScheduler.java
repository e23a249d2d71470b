package dev.livecounter.common.testing;

import dev.livecounter.common.broadcast.SnapshotOutbox;
import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * A coalescer's clock moved by the test ({@link SnapshotOutbox.Scheduler}): scheduled tasks run on the test's thread
 * when time passes them, in time order; closed, it runs none.
 */
public final class ManualScheduler implements SnapshotOutbox.Scheduler {

    private record Task(long at, long order, Runnable run) {}

    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>(Comparator.comparingLong(Task::at).thenComparingLong(Task::order));
    private long now;
    private long order;
    private boolean closed;

    public void advance(Duration by) {
        long until = now + by.toNanos();
        while (!tasks.isEmpty() && tasks.peek().at() <= until) {
            Task task = tasks.poll();
            now = task.at();
            task.run().run();
        }
        now = until;
    }

    @Override
    public void schedule(Runnable task, long delayNanos) {
        if (closed) {
            throw new RejectedExecutionException("closed");
        }
        tasks.add(new Task(now + delayNanos, order++, task));
    }

    @Override
    public void close() {
        closed = true;
        tasks.clear();
    }
}

package dev.livecounter.common.batch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.ToIntFunction;

/**
 * Group commit, the one batching layer of a hop: the calls of a lane that arrive while its batches are under way
 * wait, and the next batch carries all of them at once. Under a trickle a call is sent alone at once; in a storm
 * the other side sees one write (or one request) per batch instead of one per call. What a lane is, is the
 * caller's, and says how many of its batches may be under way at once ({@link Limits#inFlight}):
 * <ul>
 *   <li>one item that every call of the lane changes (a counter: its connects, its presses), one batch at a time:
 *       writes of one item cannot go to DynamoDB side by side anyway (they conflict and retry);</li>
 *   <li>calls whose writes would conflict though their items are not known yet (disconnects, whose counters are
 *       read in the batch), one batch at a time as well;</li>
 *   <li>calls that share no item (a replica's calls to connection-service, whose lanes are there), several batches
 *       at once, each taking what waits when it starts.</li>
 * </ul>
 * Lanes take turns on a small pool, so a busy lane does not hold back the others.
 *
 * @param <C> a call
 * @param <R> its result
 */
public final class GroupCommit<C, R> implements AutoCloseable {

    /** Writes one batch of calls to one lane's item. */
    @FunctionalInterface
    public interface Writer<C, R> {
        /** @return one result per call, in order; an exception fails every call of the batch */
        List<R> write(String lane, List<C> calls);
    }

    /**
     * What one batch may hold.
     *
     * @param maxCalls      the most calls
     * @param weight        of one call, at most {@code maxWeight} (e.g. the items a call adds to a transaction)
     * @param maxWeight     the most a batch may weigh, so that it fits one transaction whatever its calls
     * @param exclusiveKeys keys of which a batch holds one call at most (items a call writes that another may write
     *                      too: one transaction cannot write an item twice); a call that shares one waits for the
     *                      next batch
     * @param inFlight      batches of one lane under way at once: 1 for a lane of one item; more only for a lane
     *                      whose calls share no item
     */
    public record Limits<C>(int maxCalls, ToIntFunction<C> weight, int maxWeight,
            Function<C, List<String>> exclusiveKeys, int inFlight) {

        public Limits {
            if (maxCalls < 1 || maxWeight < 1 || inFlight < 1) {
                throw new IllegalArgumentException("maxCalls, maxWeight and inFlight must be at least 1");
            }
        }

        /** Up to {@code maxCalls} calls, any calls, one batch of a lane at a time. */
        public static <C> Limits<C> calls(int maxCalls) {
            return new Limits<>(maxCalls, c -> 1, maxCalls, c -> List.of(), 1);
        }

        /** These limits, with no two calls that share a key in one batch. */
        public Limits<C> exclusive(Function<C, List<String>> keys) {
            return new Limits<>(maxCalls, weight, maxWeight, keys, inFlight);
        }

        /** These limits, and calls that weigh no more than {@code max} together. */
        public Limits<C> weighed(ToIntFunction<C> callWeight, int max) {
            return new Limits<>(maxCalls, callWeight, max, exclusiveKeys, inFlight);
        }

        /** These limits, with up to {@code batches} of one lane under way at once (its calls share no item). */
        public Limits<C> inFlight(int batches) {
            return new Limits<>(maxCalls, weight, maxWeight, exclusiveKeys, batches);
        }
    }

    /** A waiting call is never looked at past this many others of its lane when a batch is put together. */
    private static final int SCAN_LIMIT = 1_000;

    private final Writer<C, R> writer;
    private final Limits<C> limits;
    private final IntConsumer batchSizes;
    private final ExecutorService committers;
    /** Lanes with calls waiting or a batch under way; guarded by itself. */
    private final Map<String, Lane<C, R>> lanes = new HashMap<>();

    /**
     * @param threads    lanes written at once
     * @param batchSizes told the size of every batch written
     */
    public GroupCommit(String name, int threads, Limits<C> limits, IntConsumer batchSizes, Writer<C, R> writer) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.writer = writer;
        this.limits = limits;
        this.batchSizes = batchSizes;
        AtomicInteger count = new AtomicInteger();
        this.committers = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Completes when the batch holding the call is written, with the call's result (or the batch's failure). */
    public CompletableFuture<R> submit(String lane, C call) {
        Waiting<C, R> waiting = new Waiting<>(call, new CompletableFuture<>());
        Lane<C, R> queue;
        boolean start;
        synchronized (lanes) {
            queue = lanes.computeIfAbsent(lane, Lane::new);
            queue.waiting.add(waiting);
            start = queue.running < limits.inFlight();
            if (start) {
                queue.running++;
            }
        }
        if (start) {
            schedule(queue);
        }
        return waiting.result();
    }

    private void schedule(Lane<C, R> lane) {
        try {
            committers.execute(() -> commitNext(lane));
        } catch (RejectedExecutionException stopped) {
            List<Waiting<C, R>> orphans;
            synchronized (lanes) {
                orphans = new ArrayList<>(lane.waiting);
                lane.waiting.clear();
                lanes.remove(lane.name);
            }
            orphans.forEach(w -> w.result().completeExceptionally(new IllegalStateException("shutting down")));
        }
    }

    /**
     * Writes one batch of the lane and queues the lane again (behind the other lanes) before it answers the
     * batch's calls: answering a thousand calls (their responses written by the callers' code, on this thread)
     * takes a while, and the next batch need not wait for it.
     */
    private void commitNext(Lane<C, R> lane) {
        List<Waiting<C, R>> batch = take(lane);
        List<R> results = null;
        RuntimeException failure = null;
        try {
            // empty when another batch of the lane under way at once took what waited
            results = batch.isEmpty() ? List.of() : writer.write(lane.name, batch.stream().map(Waiting::call).toList());
            if (!batch.isEmpty()) {
                batchSizes.accept(batch.size());
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            boolean more;
            synchronized (lanes) {
                more = !lane.waiting.isEmpty();
                if (!more && --lane.running == 0) {
                    lanes.remove(lane.name);
                }
            }
            if (more) {
                schedule(lane);
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            if (failure == null) {
                batch.get(i).result().complete(results.get(i));
            } else {
                batch.get(i).result().completeExceptionally(failure);
            }
        }
    }

    /** The oldest waiting calls, at most a batch, leaving for the next batch a call that shares an exclusive key. */
    private List<Waiting<C, R>> take(Lane<C, R> lane) {
        synchronized (lanes) {
            List<Waiting<C, R>> batch = new ArrayList<>(Math.min(limits.maxCalls(), lane.waiting.size()));
            Set<String> taken = new HashSet<>();
            int weighs = 0;
            Iterator<Waiting<C, R>> waiting = lane.waiting.iterator();
            int most = limits.maxCalls();
            for (int scanned = 0; waiting.hasNext() && batch.size() < most && scanned < SCAN_LIMIT; scanned++) {
                Waiting<C, R> next = waiting.next();
                int w = limits.weight().applyAsInt(next.call());
                if (weighs + w > limits.maxWeight() && !batch.isEmpty()) {
                    break; // full: the oldest calls go first, so none is passed over for a lighter one
                }
                List<String> keys = limits.exclusiveKeys().apply(next.call());
                if (keys.stream().noneMatch(taken::contains)) {
                    taken.addAll(keys);
                    weighs += w;
                    batch.add(next);
                    waiting.remove();
                }
            }
            return batch;
        }
    }

    /** Stops: batches already queued are still written, calls that would need another batch fail. */
    @Override
    public void close() {
        committers.shutdown();
    }

    private record Waiting<C, R>(C call, CompletableFuture<R> result) {}

    private static final class Lane<C, R> {
        final String name;
        final ArrayDeque<Waiting<C, R>> waiting = new ArrayDeque<>();
        /** batches of this lane queued or being written */
        int running;

        Lane(String name) {
            this.name = name;
        }
    }
}

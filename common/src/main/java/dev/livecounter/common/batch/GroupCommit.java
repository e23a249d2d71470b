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
 * Group commit of writes that all change one item (a counter): such writes cannot go to DynamoDB side by side
 * anyway (they conflict and retry, or queue on the item), so each item has a lane, and while one write of a lane
 * is under way the calls that arrive wait for the next, which writes all of them at once. Under a trickle a call
 * is written alone at once; in a storm the database sees one write per batch instead of one per call.
 * Lanes take turns on a small pool, one batch at a time, so a busy item does not hold back the others.
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
     */
    public record Limits<C>(int maxCalls, ToIntFunction<C> weight, int maxWeight,
            Function<C, List<String>> exclusiveKeys) {

        public Limits {
            if (maxCalls < 1 || maxWeight < 1) {
                throw new IllegalArgumentException("maxCalls and maxWeight must be at least 1");
            }
        }

        /** Up to {@code maxCalls} calls, any calls. */
        public static <C> Limits<C> calls(int maxCalls) {
            return new Limits<>(maxCalls, c -> 1, maxCalls, c -> List.of());
        }

        /** These limits, with no two calls that share a key in one batch. */
        public Limits<C> exclusive(Function<C, List<String>> keys) {
            return new Limits<>(maxCalls, weight, maxWeight, keys);
        }

        /** These limits, and calls that weigh no more than {@code max} together. */
        public Limits<C> weighed(ToIntFunction<C> callWeight, int max) {
            return new Limits<>(maxCalls, callWeight, max, exclusiveKeys);
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
            start = !queue.scheduled;
            queue.scheduled = true;
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
            results = writer.write(lane.name, batch.stream().map(Waiting::call).toList());
            batchSizes.accept(batch.size());
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            boolean more;
            synchronized (lanes) {
                more = !lane.waiting.isEmpty();
                lane.scheduled = more;
                if (!more) {
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
        /** a batch of this lane is queued or being written */
        boolean scheduled;

        Lane(String name) {
            this.name = name;
        }
    }
}

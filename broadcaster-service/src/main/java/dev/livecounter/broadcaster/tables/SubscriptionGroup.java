package dev.livecounter.broadcaster.tables;

import io.micronaut.core.annotation.Nullable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The subscribers of one {@link Subscription} on this replica. A change is evaluated once (selected? in view before
 * and after?) and its frame encoded once for all of them. A stream batch's frames are then handed over together:
 * each event loop gets one task that writes all of them to that loop's subscribers and flushes each socket once, so
 * the cost of a change follows the distinct subscriptions, not the subscribers, and a socket costs one write to the
 * kernel per batch, not per change.
 */
final class SubscriptionGroup {

    final Subscription subscription;
    private final ConcurrentHashMap<EventLoop, LoopSinks> loops = new ConcurrentHashMap<>(4);
    /** Subscribers, changed under the topic's lock. */
    int size;
    /** The table's subscribers that are catching up or fenced (while any are, the table keeps each item's history). */
    private final AtomicInteger watchers;

    SubscriptionGroup(Subscription subscription, AtomicInteger watchers) {
        this.subscription = subscription;
        this.watchers = watchers;
    }

    /** A subscriber of this group started (1) or stopped (-1) catching up or being fenced. */
    void watching(int delta) {
        watchers.addAndGet(delta);
    }

    /** A change and its frame for this group, encoded once for all its subscribers. */
    record Framed(Delivered change, ByteBuf frame) {}

    /**
     * Under the topic's lock, in the order of the table's log: a batch's changes in this group's view, to every
     * subscriber. Takes over the frames' references.
     */
    void send(List<Framed> batch) {
        try {
            for (LoopSinks loop : loops.values()) {
                loop.offer(batch);
            }
        } finally {
            batch.forEach(framed -> framed.frame.release());
        }
    }

    /** The change's frame for this subscription, or null when the change is not in its view before or after. */
    @Nullable
    ByteBuf frame(Delivered change, ByteBufAllocator allocator, String table) {
        if (!subscription.selects(change.change.keys())) {
            return null;
        }
        boolean in = subscription.passes(change.change.newImage());
        boolean was = subscription.passes(change.change.oldImage());
        return in || was
                ? TableFrames.change(allocator, subscription.id(), table, change.change, in, subscription.projection(), change.position)
                : null;
    }

    /** Under the topic's lock. */
    void add(TableSink sink) {
        size++;
        loops.computeIfAbsent(sink.eventLoop(), LoopSinks::new).add(sink);
    }

    /** Under the topic's lock; returns whether no subscriber is left. */
    boolean remove(TableSink sink) {
        LoopSinks loop = loops.get(sink.eventLoop());
        if (loop != null) {
            size--;
            loop.remove(sink);
        }
        return size <= 0;
    }

    /** Every subscriber, for a gap: each starts again on its own loop. */
    void forEach(java.util.function.Consumer<TableSink> action) {
        loops.values().forEach(loop -> loop.execute(() -> List.copyOf(loop.sinks).forEach(action)));
    }

    /** A group's subscribers on one event loop; the list is changed and read on that loop only. */
    private static final class LoopSinks {
        final EventLoop loop;
        final List<TableSink> sinks = new ArrayList<>();
        final List<TableSink> written = new ArrayList<>();

        LoopSinks(EventLoop loop) {
            this.loop = loop;
        }

        void add(TableSink sink) {
            execute(() -> sinks.add(sink));
        }

        void remove(TableSink sink) {
            execute(() -> sinks.remove(sink));
        }

        void offer(List<Framed> batch) {
            batch.forEach(framed -> framed.frame.retain());
            try {
                loop.execute(() -> {
                    try {
                        for (TableSink sink : sinks) {
                            boolean wrote = false;
                            for (Framed framed : batch) {
                                wrote |= sink.offer(framed.change, framed.frame);
                            }
                            if (wrote) {
                                written.add(sink);
                            }
                        }
                        for (TableSink sink : written) {
                            sink.wire.flush();
                        }
                        written.clear();
                    } finally {
                        batch.forEach(framed -> framed.frame.release());
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                batch.forEach(framed -> framed.frame.release());
            }
        }

        void execute(Runnable task) {
            try {
                loop.execute(task);
            } catch (RejectedExecutionException shuttingDown) {
                // the server is stopping: nothing is written any more
            }
        }
    }
}

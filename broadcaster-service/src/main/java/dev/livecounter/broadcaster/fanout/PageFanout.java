package dev.livecounter.broadcaster.fanout;

import dev.livecounter.broadcaster.config.BroadcasterSettings;
import dev.livecounter.broadcaster.protocol.WireFrame;
import dev.livecounter.common.broadcast.SnapshotOutbox;
import dev.livecounter.common.metrics.MetricNames;
import dev.livecounter.common.model.CounterSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Pushes counter changes to this replica's own pages. Per counter the {@link SnapshotOutbox} writes a lone change
 * at once, on the thread that brought it (the press's answer, the peer's post), and lets a burst out as at most one
 * frame per coalescing interval, always the newest. A change not newer than one this replica already had for the
 * counter (the stream's copy of a press, a change posted twice) is dropped before it costs a frame; each page's sink
 * drops a version older than one it already has (a late welcome).
 *
 * <p>The hot path, per update: the frame is encoded once, header included, and each event loop gets one task that
 * writes a retained duplicate of it to each of that loop's pages of the counter, then flushes them: at 10,000 pages
 * on 2 loops that is one encoding and 2 tasks, and per socket one write and one flush.
 *
 * <p>The change -> frame latency ({@link MetricNames#CHANGE_FRAME_LATENCY}) runs from the arrival here of the oldest
 * change a frame carries (the write time is not carried between services) to the flush on each event loop.
 */
@Singleton
public class PageFanout implements AutoCloseable {

    private final ConcurrentHashMap<String, CounterPages> counters = new ConcurrentHashMap<>();
    private final SnapshotOutbox outbox;
    private final ByteBufAllocator allocator;
    private final Timer latency;
    private final Counter coalesced;

    @Inject
    PageFanout(BroadcasterSettings settings, MeterRegistry meters) {
        this(settings.coalesceInterval(), PooledByteBufAllocator.DEFAULT, meters);
    }

    /** A fan-out with its own coalescing interval, buffers and meters. */
    PageFanout(Duration coalesceInterval, ByteBufAllocator allocator, MeterRegistry meters) {
        this(coalesceInterval, allocator, meters, SnapshotOutbox.Scheduler.thread("page-fanout"));
    }

    /** A fan-out whose coalesced frames wait on {@code scheduler} (a test's, that moves time by hand). */
    PageFanout(Duration coalesceInterval, ByteBufAllocator allocator, MeterRegistry meters,
            SnapshotOutbox.Scheduler scheduler) {
        this.allocator = allocator;
        this.outbox = new SnapshotOutbox(coalesceInterval, this::writeToPages, scheduler);
        this.latency = Timer.builder(MetricNames.CHANGE_FRAME_LATENCY)
                .description("from a change's arrival at this replica to the flush of its frame to the pages")
                .serviceLevelObjectives(MetricNames.LATENCY_BUCKETS)
                .register(meters);
        this.coalesced = Counter.builder(MetricNames.FANOUT_COALESCED)
                .description("changes replaced by a newer one before their frame was written")
                .register(meters);
    }

    /** Starts pushing {@code counter}'s changes to the socket on {@code channel}. */
    public CountSink subscribe(String counter, Channel channel) {
        ChannelSink sink = new ChannelSink(counter, channel);
        subscribe(sink);
        return sink;
    }

    /** Starts pushing the sink's counter's changes to it. */
    void subscribe(CountSink sink) {
        counters.compute(sink.counter(), (name, pages) -> {
            CounterPages next = pages == null ? new CounterPages() : pages;
            next.add(sink);
            return next;
        });
    }

    public void unsubscribe(CountSink sink) {
        counters.computeIfPresent(sink.counter(), (name, pages) -> pages.remove(sink) ? null : pages);
    }

    /**
     * A change of a counter; the pages of this replica that show it get it at once, or within one coalescing
     * interval when it follows another.
     */
    public void offer(CounterSnapshot snapshot) {
        CounterPages pages = counters.get(snapshot.counter());
        if (pages != null) {
            Arrival arrival = pages.arrived(snapshot.version());
            if (arrival == Arrival.SEEN) {
                return;
            }
            if (arrival == Arrival.REPLACES_WAITING) {
                coalesced.increment();
            }
            outbox.offer(snapshot);
        }
    }

    /** A new page's first count, at once; then to the other pages, for whom it may be news too. */
    public void welcome(CountSink sink, CounterSnapshot snapshot) {
        ByteBuf frame = WireFrame.count(allocator, snapshot);
        long version = snapshot.version();
        run(sink.eventLoop(), frame, () -> {
            if (sink.write(frame, version)) {
                sink.flush();
            }
        });
        offer(snapshot);
    }

    @PreDestroy
    @Override
    public void close() {
        outbox.close();
    }

    /** On the offering thread or the outbox's: one encoding, one task per event loop. */
    private void writeToPages(CounterSnapshot snapshot) {
        CounterPages pages = counters.get(snapshot.counter());
        if (pages == null) {
            return;
        }
        ByteBuf frame = WireFrame.count(allocator, snapshot);
        long since = pages.taken();
        try {
            for (LoopPages loop : pages.loops.values()) {
                loop.write(frame, snapshot.version(), since, latency);
            }
        } finally {
            frame.release();
        }
    }

    /** Runs {@code task} on {@code loop} holding a reference to {@code frame}, released after it (or if refused). */
    private static void run(EventLoop loop, ByteBuf frame, Runnable task) {
        try {
            loop.execute(() -> {
                try {
                    task.run();
                } finally {
                    frame.release();
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            frame.release();
        }
    }

    private enum Arrival { SEEN, NEWS, REPLACES_WAITING }

    /** One counter's pages on this replica, by event loop; the count is kept under the map's compute. */
    private static final class CounterPages {
        final ConcurrentHashMap<EventLoop, LoopPages> loops = new ConcurrentHashMap<>(4);
        int size;
        /** The newest version offered, and since when changes wait for a frame (0: none waits). */
        private long newestOffered = -1;
        private long waitingSince;

        /** A change of this version arrived: one seen before, news, or news replacing a change still waiting. */
        synchronized Arrival arrived(long version) {
            if (version <= newestOffered) {
                return Arrival.SEEN;
            }
            newestOffered = version;
            if (waitingSince == 0) {
                waitingSince = System.nanoTime();
                return Arrival.NEWS;
            }
            return Arrival.REPLACES_WAITING;
        }

        /** A frame is going out: since when its changes waited (0: it carries no new change). */
        synchronized long taken() {
            long since = waitingSince;
            waitingSince = 0;
            return since;
        }

        void add(CountSink sink) {
            size++;
            loops.computeIfAbsent(sink.eventLoop(), LoopPages::new).add(sink);
        }

        /** Returns whether no page is left. */
        boolean remove(CountSink sink) {
            LoopPages loop = loops.get(sink.eventLoop());
            if (loop != null) {
                size--;
                loop.remove(sink);
            }
            return size <= 0;
        }
    }

    /**
     * A counter's pages on one event loop. The list is changed and read on that loop only (changes are queued to
     * it), so a write task needs no lock and sees every page subscribed before it was queued.
     */
    private static final class LoopPages {
        final EventLoop loop;
        final List<CountSink> sinks = new ArrayList<>();
        final List<CountSink> written = new ArrayList<>();
        /** The newest version queued to this loop: an older task still waiting (a busy loop) is skipped, not burst. */
        volatile long newestQueued = -1;

        LoopPages(EventLoop loop) {
            this.loop = loop;
        }

        void add(CountSink sink) {
            execute(() -> sinks.add(sink));
        }

        void remove(CountSink sink) {
            execute(() -> sinks.remove(sink));
        }

        void write(ByteBuf frame, long version, long waitingSince, Timer latency) {
            newestQueued = Math.max(newestQueued, version);
            run(loop, frame.retain(), () -> {
                if (version < newestQueued) {
                    return;
                }
                for (CountSink sink : sinks) {
                    if (sink.write(frame, version)) {
                        written.add(sink);
                    }
                }
                for (CountSink sink : written) {
                    sink.flush();
                }
                if (waitingSince != 0 && !written.isEmpty()) {
                    latency.record(System.nanoTime() - waitingSince, TimeUnit.NANOSECONDS);
                }
                written.clear();
            });
        }

        private void execute(Runnable change) {
            try {
                loop.execute(change);
            } catch (RejectedExecutionException shuttingDown) {
                // the server is stopping: nothing is written any more
            }
        }
    }
}

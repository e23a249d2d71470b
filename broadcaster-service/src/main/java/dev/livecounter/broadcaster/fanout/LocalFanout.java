package dev.livecounter.broadcaster.fanout;

import dev.livecounter.broadcaster.config.BroadcasterSettings;
import dev.livecounter.broadcaster.websocket.Frames;
import dev.livecounter.broadcaster.websocket.PageSession;
import dev.livecounter.common.model.CounterSnapshot;
import jakarta.annotation.PreDestroy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pushes counter changes to this replica's own pages. Per counter it keeps the newest version seen and sends at
 * most one frame per coalescing interval, always the newest: a burst of presses becomes a few frames, and an
 * older version that arrives late (another replica, a replayed stream record) is dropped.
 *
 * <p>The hot path: a frame is encoded once per flush into one buffer, and every page gets a retained duplicate of
 * it, written by one task per event loop for all of that loop's pages (not one task per page): at 10,000 pages
 * that is 2 tasks and one encoding per flush instead of 10,000 of each.
 */
@Singleton
public class LocalFanout {

    private final ConcurrentHashMap<String, CounterChannel> channels = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "fanout-flusher");
        thread.setDaemon(true);
        return thread;
    });
    private final long intervalNanos;

    public LocalFanout(BroadcasterSettings settings) {
        this.intervalNanos = settings.coalesceInterval().toNanos();
    }

    public void subscribe(PageSession page) {
        channels.computeIfAbsent(page.counter(), CounterChannel::new).pages.add(page);
    }

    public void unsubscribe(PageSession page) {
        channels.computeIfPresent(page.counter(), (name, channel) -> {
            channel.pages.remove(page);
            return channel.pages.isEmpty() ? null : channel;
        });
    }

    /** A change of a counter; pages of this replica that show it get it within one coalescing interval. */
    public void offer(CounterSnapshot snapshot) {
        CounterChannel channel = channels.get(snapshot.counter());
        if (channel != null) {
            channel.offer(snapshot);
        }
    }

    /**
     * A new page's first count. It goes through the same thread as every later push: frames queued from one
     * thread leave in order, while a send from a socket's own event loop would overtake frames queued before it.
     */
    public void welcome(PageSession page, CounterSnapshot snapshot) {
        flusher.execute(() -> {
            page.push(snapshot.version(), Frames.count(snapshot));
            // newer than anything this replica has shown, perhaps: the other pages may have it too
            offer(snapshot);
        });
    }

    /** Sockets open on this replica. */
    public int pageCount() {
        int count = 0;
        for (CounterChannel channel : channels.values()) {
            count += channel.pages.size();
        }
        return count;
    }

    @PreDestroy
    void stop() {
        flusher.shutdownNow();
    }

    private final class CounterChannel {
        private final Set<PageSession> pages = ConcurrentHashMap.newKeySet();
        private CounterSnapshot newest;
        private long lastFlushNanos = System.nanoTime() - intervalNanos;
        private boolean flushPending;

        CounterChannel(String name) {}

        synchronized void offer(CounterSnapshot snapshot) {
            if (!snapshot.isNewerThan(newest)) {
                return;
            }
            newest = snapshot;
            if (flushPending) {
                return;
            }
            flushPending = true;
            long wait = Math.max(0, lastFlushNanos + intervalNanos - System.nanoTime());
            flusher.schedule(this::flush, wait, TimeUnit.NANOSECONDS);
        }

        private void flush() {
            CounterSnapshot snapshot;
            synchronized (this) {
                flushPending = false;
                lastFlushNanos = System.nanoTime();
                snapshot = newest;
            }
            String frame = Frames.count(snapshot);
            long version = snapshot.version();
            Map<EventLoop, List<PageSession>> byLoop = new IdentityHashMap<>();
            for (PageSession page : pages) {
                if (!page.claim(version)) {
                    continue;
                }
                Channel channel = page.channel();
                if (channel == null) {
                    page.send(frame);
                } else {
                    byLoop.computeIfAbsent(channel.eventLoop(), loop -> new ArrayList<>()).add(page);
                }
            }
            if (byLoop.isEmpty()) {
                return;
            }
            ByteBuf encoded = ByteBufUtil.writeUtf8(PooledByteBufAllocator.DEFAULT, frame);
            try {
                // claims were made here in version order; each loop runs its tasks in the order they were queued
                for (Map.Entry<EventLoop, List<PageSession>> loop : byLoop.entrySet()) {
                    List<PageSession> batch = loop.getValue();
                    ByteBuf shared = encoded.retain();
                    try {
                        loop.getKey().execute(() -> {
                            try {
                                for (PageSession page : batch) {
                                    page.write(shared, version);
                                }
                            } finally {
                                shared.release();
                            }
                        });
                    } catch (RejectedExecutionException shuttingDown) {
                        shared.release();
                    }
                }
            } finally {
                encoded.release();
            }
        }
    }
}

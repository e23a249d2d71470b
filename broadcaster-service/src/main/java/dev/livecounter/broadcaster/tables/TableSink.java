package dev.livecounter.broadcaster.tables;

import dev.livecounter.broadcaster.fanout.SocketWire;
import dev.livecounter.broadcaster.protocol.WireFrame;
import io.micronaut.core.annotation.Nullable;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * One subscription of one socket. Everything here runs on the socket's event loop, in the order it was queued
 * there, which is what keeps a subscription's frames in order: a subscription starts catching up (changes are held
 * while its snapshot is read or its missed changes are found), then {@link #caughtUp} writes the snapshot or the
 * missed changes, the held changes that are news, and from then on every change as it comes.
 *
 * <p>Per shard it remembers the last change it was given (its floor): a change at or below it is one it has, come
 * again (a replayed stream batch, a second copy).
 */
final class TableSink {

    /** Changes held while catching up, at most; past it the subscription starts again with a gap. */
    static final int MAX_HELD = 10_000;

    final SubscriptionGroup group;
    final SocketWire wire;
    /** The socket's connection id. */
    final String socket;
    @Nullable
    final String ref;
    private final Map<String, BigInteger> floor = new HashMap<>();
    /** Changes and their frames held while catching up; null once caught up. */
    private List<Held> held = new ArrayList<>();
    private boolean overflowed;
    /** A hole was found while the snapshot under way was read: it must be read again when it lands. */
    private boolean stale;
    @Nullable
    private Fence fence;
    private boolean ended;
    /** Whether it is catching up or fenced: counted for its table, which keeps each item's history meanwhile. */
    private boolean watching;
    @Nullable
    ScheduledFuture<?> expiry;

    private record Held(Delivered change, ByteBuf frame) {}

    TableSink(SubscriptionGroup group, SocketWire wire, String socket, @Nullable String ref) {
        this.group = group;
        this.wire = wire;
        this.socket = socket;
        this.ref = ref;
        watch();
    }

    /** Tells its table whether this sink is catching up or fenced now. */
    private void watch() {
        boolean now = !ended && (held != null || fence != null);
        if (now != watching) {
            watching = now;
            group.watching(now ? 1 : -1);
        }
    }

    EventLoop eventLoop() {
        return wire.channel().eventLoop();
    }

    String sub() {
        return group.subscription.id();
    }

    /**
     * A change in the subscription's view and its encoded frame (shared: the sink takes its own reference). Returns
     * whether it was written (the caller flushes).
     */
    boolean offer(Delivered change, ByteBuf frame) {
        if (ended) {
            return false;
        }
        if (held != null) {
            if (held.size() >= MAX_HELD) {
                overflowed = true;
            } else {
                held.add(new Held(change, frame.retain()));
            }
            return false;
        }
        return admit(change) && write(frame);
    }

    /** Whether the change is news: above the floor, and past the fence. */
    private boolean admit(Delivered change) {
        BigInteger seen = floor.get(change.shard);
        if (seen != null && change.sequence().compareTo(seen) <= 0) {
            return false;
        }
        floor.put(change.shard, change.sequence());
        if (fence != null) {
            if (fence.over()) {
                fence = null;
                watch();
            } else {
                return fence.passes(change);
            }
        }
        return true;
    }

    private boolean write(ByteBuf frame) {
        if (!wire.channel().isActive()) {
            return false;
        }
        wire.write(frame);
        return true;
    }

    /**
     * Catching up is over: writes {@code first} (the snapshot's frames, or the resumed frame and the missed changes'),
     * then the held changes that are news. {@code floor} is the table's position when the subscription was taken in;
     * {@code fence} (for a snapshot) drops the held and later changes the snapshot already holds.
     *
     * @return false when the held changes overflowed, or a hole was found meanwhile: the caller starts the
     *         subscription again with a gap (it goes on holding changes)
     */
    boolean caughtUp(List<ByteBuf> first, Map<String, BigInteger> floor, @Nullable Fence fence) {
        if (ended) {
            first.forEach(ByteBuf::release);
            return true;
        }
        if (overflowed || stale) {
            first.forEach(ByteBuf::release);
            release();
            overflowed = false;
            stale = false;
            return false;
        }
        first.forEach(wire::writeOwned);
        this.floor.clear();
        this.floor.putAll(floor);
        this.fence = fence;
        List<Held> waiting = held;
        held = null;
        for (Held h : waiting) {
            if (admit(h.change)) {
                write(h.frame);
            }
            h.frame.release();
        }
        wire.flush();
        watch();
        return true;
    }

    /**
     * Changes of its table may have been missed: returns true when the caller must start it again now (a gap frame,
     * a fresh snapshot; frames are held until the next {@link #caughtUp}). While it is catching up already, the
     * snapshot under way is marked stale and started again when it lands.
     */
    boolean gap() {
        if (ended) {
            return false;
        }
        if (held != null) {
            stale = true;
            return false;
        }
        held = new ArrayList<>();
        watch();
        return true;
    }

    /** Sends one text frame now (the socket's own frames: errors, gaps, unsubscribed). */
    void send(String text) {
        if (wire.channel().isActive()) {
            wire.writeOwned(WireFrame.text(wire.channel().alloc(), text));
            wire.flush();
        }
    }

    /** No more frames; releases what it holds. */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        fence = null;
        watch();
        if (expiry != null) {
            expiry.cancel(false);
        }
        release();
    }

    boolean ended() {
        return ended;
    }

    private void release() {
        if (held != null) {
            held.forEach(h -> h.frame.release());
            held = new ArrayList<>();
        }
    }
}

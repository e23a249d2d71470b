package dev.livecounter.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * The load generator: many plain WebSocket clients (Netty, two event loops) in this process, opened by
 * {@link FleetOpener}, each a {@link FleetSocket}. Count frames are read without a JSON parser ({@link CountFrame}):
 * {@code value}, {@code version} and {@code online} are picked out of the bytes and handed to a {@link Listener}
 * with the arrival time; per socket the fleet keeps the first frame's time and the last value and version.
 *
 * <p>One process holds at most ~19,900 sockets here (20,000 open files), so {@link #MAX_SOCKETS} is a hard cap.
 */
final class WsFleet implements AutoCloseable {

    /** Open files per process minus a margin for the JVM's own. */
    static final int MAX_SOCKETS = 19_000;

    /** Which framing the server speaks on top of WebSocket. */
    enum Protocol {
        /** Our protocol: a JSON text frame per message. */
        PLAIN,
        /** Socket.IO v4 (Engine.IO 4) over a WebSocket: {@code 0} open, {@code 40} connect, {@code 42[...]} events, {@code 2}/{@code 3} ping/pong. */
        SOCKET_IO
    }

    /** Called on an event loop thread for every count frame. */
    interface Listener {
        void onCount(int socket, long value, long version, long online, long nanos);
    }

    /**
     * Called on an event loop thread for every text frame, instead of the count-frame reading: for frames that are
     * not count frames (table subscriptions'). The buffer is only valid during the call.
     */
    interface FrameListener {
        void onFrame(int socket, ByteBuf frame, long nanos);
    }

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Protocol protocol;
    private final int capacity;
    private final int sourceAddresses;
    private volatile Listener listener = (s, v, ver, o, n) -> {};
    private volatile FrameListener frameListener;
    private final Channel[] channels;
    private final AtomicLongArray upgradedAt;
    private final AtomicLongArray firstFrameAt;
    private final AtomicLongArray lastValue;
    private final AtomicLongArray lastVersion;
    private final AtomicIntegerArray frameCount;
    private final AtomicInteger upgraded = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger closedByServer = new AtomicInteger();
    private final LongAdder frames = new LongAdder();
    private final LongAdder errorFrames = new LongAdder();
    private volatile String lastFailure;
    private volatile boolean closing;

    WsFleet(int capacity, Protocol protocol, int sourceAddresses) {
        if (capacity > MAX_SOCKETS) {
            throw new IllegalArgumentException("one process holds at most " + MAX_SOCKETS + " sockets here (open files)");
        }
        this.capacity = capacity;
        this.protocol = protocol;
        this.sourceAddresses = Math.max(1, Math.min(250, sourceAddresses));
        this.channels = new Channel[capacity];
        this.upgradedAt = new AtomicLongArray(capacity);
        this.firstFrameAt = new AtomicLongArray(capacity);
        this.lastValue = new AtomicLongArray(capacity);
        this.lastVersion = new AtomicLongArray(capacity);
        this.frameCount = new AtomicIntegerArray(capacity);
        for (int i = 0; i < capacity; i++) {
            lastValue.set(i, Long.MIN_VALUE);
            lastVersion.set(i, -1);
        }
    }

    WsFleet(int capacity) {
        this(capacity, Protocol.PLAIN, 8);
    }

    void listener(Listener listener) {
        this.listener = listener;
    }

    /** Every text frame goes to {@code frameListener} as it is, and none is read as a count frame. */
    void frameListener(FrameListener frameListener) {
        this.frameListener = frameListener;
    }

    /**
     * Opens sockets {@code from .. to-1} to the URIs {@code target} gives, at most {@code inFlight} handshakes at a
     * time and at most {@code perSecond} starts per second (0: as fast as handshakes finish). Returns when every
     * attempt has ended (upgraded or failed) or the timeout passed; the counts tell which.
     */
    void open(int from, int to, IntFunction<URI> target, int inFlight, double perSecond, Duration timeout) {
        if (to > capacity) {
            throw new IllegalArgumentException("socket " + (to - 1) + " beyond this fleet's capacity " + capacity);
        }
        new FleetOpener(this, group, sourceAddresses).open(from, to, target, inFlight, perSecond, timeout);
    }

    /** The socket {@code index} is connected (not yet upgraded). */
    void connected(int index, Channel channel) {
        channels[index] = channel;
    }

    /** Sends a text frame on socket {@code index} (if it is open). */
    void send(int index, String text) {
        Channel channel = channels[index];
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(new TextWebSocketFrame(text));
        }
    }

    int upgraded() {
        return upgraded.get();
    }

    int failed() {
        return failed.get();
    }

    int closedByServer() {
        return closedByServer.get();
    }

    long frames() {
        return frames.sum();
    }

    long errorFrames() {
        return errorFrames.sum();
    }

    String lastFailure() {
        return lastFailure;
    }

    /** nanoTime the socket's upgrade completed, 0 if it did not. */
    long upgradedAt(int index) {
        return upgradedAt.get(index);
    }

    /** nanoTime of the socket's first count frame (the welcome), 0 if none yet. */
    long firstFrameAt(int index) {
        return firstFrameAt.get(index);
    }

    long lastValue(int index) {
        return lastValue.get(index);
    }

    long lastVersion(int index) {
        return lastVersion.get(index);
    }

    int frameCount(int index) {
        return frameCount.get(index);
    }

    /** How many of sockets {@code from..to-1} have had at least one count frame. */
    int welcomed(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (firstFrameAt.get(i) != 0) {
                n++;
            }
        }
        return n;
    }

    /** How many of sockets {@code from..to-1} are done waiting: they had a count frame, failed, or were closed. */
    private int settledSockets(int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            Channel channel = channels[i];
            if (firstFrameAt.get(i) != 0 || upgradedAt.get(i) == 0 || channel == null || !channel.isActive()) {
                n++;
            }
        }
        return n;
    }

    /** Waits until sockets {@code from..to-1} (all attempted) had a count frame or ended; false unless all had one. */
    boolean awaitWelcomed(int from, int to, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (settledSockets(from, to) < to - from) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Bench.sleep(20);
        }
        return welcomed(from, to) == to - from;
    }

    /** Closes every socket (close frame, then the connection) and stops the event loops. */
    @Override
    public void close() {
        closeRange(0, capacity);
        for (Channel channel : channels) {
            if (channel != null) {
                channel.closeFuture().awaitUninterruptibly(2_000);
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10_000);
    }

    /** Closes sockets {@code from..to-1} with a close frame, without waiting. */
    void closeRange(int from, int to) {
        closing = true;
        for (int i = from; i < to; i++) {
            Channel channel = channels[i];
            if (channel != null && channel.isActive()) {
                channel.writeAndFlush(new CloseWebSocketFrame(1000, "bench done")).addListener(f -> channel.close());
            }
        }
    }

    Protocol protocol() {
        return protocol;
    }

    /** A socket's handshake completed (for Socket.IO: its namespace connect). */
    void upgraded(int index) {
        upgradedAt.set(index, System.nanoTime());
        upgraded.incrementAndGet();
    }

    void failed(Throwable cause) {
        failed.incrementAndGet();
        lastFailure = String.valueOf(cause);
    }

    /** An upgraded socket ended: by the server unless this fleet is closing it. */
    void closed() {
        if (!closing) {
            closedByServer.incrementAndGet();
        }
    }

    /** A text frame arrived on socket {@code index} at {@code now}: counted if it is a count frame. */
    void received(int index, ByteBuf buf, long now) {
        FrameListener raw = frameListener;
        if (raw != null) {
            frames.increment();
            raw.onFrame(index, buf, now);
            return;
        }
        if (CountFrame.isError(buf)) {
            errorFrames.increment();
            return;
        }
        long version = CountFrame.number(buf, CountFrame.VERSION);
        if (version == Long.MIN_VALUE) {
            return;
        }
        long value = CountFrame.number(buf, CountFrame.VALUE);
        long online = CountFrame.number(buf, CountFrame.ONLINE);
        frames.increment();
        frameCount.incrementAndGet(index);
        // the listener first: a reader that sees lastValue also sees what the listener wrote for it
        listener.onCount(index, value, version, online, now);
        firstFrameAt.compareAndSet(index, 0, now);
        lastVersion.set(index, version);
        lastValue.set(index, value);
    }
}

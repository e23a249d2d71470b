package dev.livecounter.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.concurrent.locks.LockSupport;

/**
 * The load generator: many plain WebSocket clients (Netty, two event loops) in this process, spread over
 * 127.0.0.x source addresses (one source address reaches ~28,000 connections to one port). Each socket gets its
 * own {@code X-Forwarded-For}, so a broadcaster that trusts that header (as behind the ingress) applies its
 * per-client limits per socket. Count frames are read without a JSON parser: {@code value}, {@code version} and
 * {@code online} are picked out of the bytes and handed to a {@link Listener} with the arrival time.
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

    private static final byte[] VALUE = "\"value\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VERSION = "\"version\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ONLINE = "\"online\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR = "\"type\":\"error\"".getBytes(StandardCharsets.US_ASCII);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Protocol protocol;
    private final int capacity;
    private final int sourceAddresses;
    private volatile Listener listener = (s, v, ver, o, n) -> {};
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

    /**
     * Opens sockets {@code from .. to-1} to the URIs {@code target} gives, at most {@code inFlight} handshakes at a
     * time and at most {@code perSecond} starts per second (0: as fast as handshakes finish). Returns when every
     * attempt has ended (upgraded or failed) or the timeout passed; the counts tell which.
     */
    void open(int from, int to, IntFunction<URI> target, int inFlight, double perSecond, Duration timeout) {
        Semaphore slots = new Semaphore(inFlight);
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        for (int i = from; i < to; i++) {
            if (perSecond > 0) {
                long due = start + (long) ((i - from) * 1e9 / perSecond);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            try {
                if (!slots.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException("opening sockets did not finish within " + timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            connect(i, target.apply(i), slots);
        }
        try {
            if (!slots.tryAcquire(inFlight, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException("handshakes still pending after " + timeout);
            }
            slots.release(inFlight);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void connect(int index, URI uri, Semaphore slots) {
        if (index >= capacity) {
            throw new IllegalArgumentException("socket " + index + " beyond this fleet's capacity " + capacity);
        }
        String query = uri.getRawQuery();
        String path = uri.getRawPath() + (query == null ? "" : "?" + query);
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.add("X-Forwarded-For", "bench-client-" + index);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .customHeaders(headers)
                .generateOriginHeader(false)
                .absoluteUpgradeUrl(false)
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .handshakeTimeoutMillis(30_000)
                .maxFramePayloadLength(65_536)
                .build();
        SocketHandler handler = new SocketHandler(index, slots);
        InetSocketAddress local = new InetSocketAddress("127.0.0." + (2 + index % sourceAddresses), 0);
        new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new HttpClientCodec(),
                                new HttpObjectAggregator(16_384),
                                new WebSocketClientProtocolHandler(config),
                                handler);
                    }
                })
                .connect(new InetSocketAddress(uri.getHost(), uri.getPort()), local)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        handler.fail(f.cause());
                    } else {
                        channels[index] = ((io.netty.channel.ChannelFuture) f).channel();
                    }
                });
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
        closing = true;
        for (Channel channel : channels) {
            if (channel != null && channel.isActive()) {
                channel.writeAndFlush(new CloseWebSocketFrame(1000, "bench done"))
                        .addListener(f -> channel.close());
            }
        }
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

    private final class SocketHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private final int index;
        private final Semaphore slots;
        private boolean settled;

        SocketHandler(int index, Semaphore slots) {
            this.index = index;
            this.slots = slots;
        }

        @Override
        public boolean isSharable() {
            return true;
        }

        private synchronized boolean settle() {
            if (settled) {
                return false;
            }
            settled = true;
            return true;
        }

        void upgraded() {
            if (settle()) {
                upgradedAt.set(index, System.nanoTime());
                upgraded.incrementAndGet();
                slots.release();
            }
        }

        void fail(Throwable cause) {
            if (settle()) {
                failed.incrementAndGet();
                lastFailure = String.valueOf(cause);
                slots.release();
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                if (protocol == Protocol.PLAIN) {
                    upgraded();
                }
            } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                fail(new IllegalStateException("handshake timeout"));
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            long now = System.nanoTime();
            ByteBuf buf = frame.content();
            if (protocol == Protocol.SOCKET_IO) {
                byte kind = buf.readableBytes() > 0 ? buf.getByte(buf.readerIndex()) : 0;
                byte sub = buf.readableBytes() > 1 ? buf.getByte(buf.readerIndex() + 1) : 0;
                if (kind == '0') {
                    ctx.writeAndFlush(new TextWebSocketFrame("40"));
                    return;
                }
                if (kind == '2') {
                    ctx.writeAndFlush(new TextWebSocketFrame("3"));
                    return;
                }
                if (kind == '4' && sub == '0') {
                    upgraded();
                    return;
                }
                if (kind != '4' || sub != '2') {
                    return;
                }
            }
            if (indexOf(buf, ERROR) >= 0) {
                errorFrames.increment();
                return;
            }
            long version = number(buf, VERSION);
            if (version == Long.MIN_VALUE) {
                return;
            }
            long value = number(buf, VALUE);
            long online = number(buf, ONLINE);
            frames.increment();
            frameCount.incrementAndGet(index);
            // the listener first: a reader that sees lastValue also sees what the listener wrote for it
            listener.onCount(index, value, version, online, now);
            firstFrameAt.compareAndSet(index, 0, now);
            lastVersion.set(index, version);
            lastValue.set(index, value);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (settled) {
                if (!closing) {
                    closedByServer.incrementAndGet();
                }
            } else {
                fail(new IllegalStateException("closed before the upgrade"));
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause);
            ctx.close();
        }
    }

    private static int indexOf(ByteBuf buf, byte[] needle) {
        int end = buf.writerIndex() - needle.length;
        outer:
        for (int i = buf.readerIndex(); i <= end; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The integer after {@code key}, or Long.MIN_VALUE when the key is absent. */
    static long number(ByteBuf buf, byte[] key) {
        int at = indexOf(buf, key);
        if (at < 0) {
            return Long.MIN_VALUE;
        }
        int i = at + key.length;
        int end = buf.writerIndex();
        boolean negative = i < end && buf.getByte(i) == '-';
        if (negative) {
            i++;
        }
        long n = 0;
        for (; i < end; i++) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            n = n * 10 + (b - '0');
        }
        return negative ? -n : n;
    }
}

package dev.livecounter.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Opens a {@link WsFleet}'s sockets: paced, a bounded number of handshakes in flight, each from one of the
 * 127.0.0.x source addresses (one address reaches ~28,000 connections to one port) with its own
 * {@code X-Forwarded-For}, so a broadcaster that trusts that header applies its per-client limits per socket.
 */
record FleetOpener(WsFleet fleet, EventLoopGroup group, int sourceAddresses) {

    void open(int from, int to, IntFunction<URI> target, int inFlight, double perSecond, Duration timeout) {
        Semaphore slots = new Semaphore(inFlight);
        long deadline = System.nanoTime() + timeout.toNanos();
        Pace.paced(to - from, perSecond, i -> {
            acquire(slots, 1, deadline, "opening sockets did not finish within " + timeout);
            connect(from + i, target.apply(from + i), slots);
        });
        acquire(slots, inFlight, deadline, "handshakes still pending after " + timeout);
        slots.release(inFlight);
    }

    private static void acquire(Semaphore slots, int permits, long deadline, String timeoutMessage) {
        try {
            if (!slots.tryAcquire(permits, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException(timeoutMessage);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void connect(int index, URI uri, Semaphore slots) {
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
        FleetSocket handler = new FleetSocket(fleet, index, slots);
        InetSocketAddress local = new InetSocketAddress("127.0.0." + (2 + index % sourceAddresses), 0);
        new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(16_384),
                                new WebSocketClientProtocolHandler(config), handler);
                    }
                })
                .connect(new InetSocketAddress(uri.getHost(), uri.getPort()), local)
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        handler.fail(f.cause());
                    } else {
                        fleet.connected(index, ((ChannelFuture) f).channel());
                    }
                });
    }
}

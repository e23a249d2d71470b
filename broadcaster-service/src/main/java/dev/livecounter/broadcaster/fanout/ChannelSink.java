package dev.livecounter.broadcaster.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * A WebSocket's Netty channel as a {@link CountSink}: all it keeps per socket is the channel, the counter and the
 * newest version written. Frames are written already encoded ({@link dev.livecounter.broadcaster.protocol.WireFrame})
 * from as close to the socket as is safe, so neither Micronaut's handlers nor the WebSocket encoder touch them:
 * from the server's idle-state handler, which sits just above TLS (if any) and below everything else. Its write
 * tracking is skipped on purpose: it would turn each void promise into a real one with a listener, per frame, and
 * {@code KeepAlive}'s pings and the pages' pongs, which pass through it, keep every live socket from looking idle.
 */
final class ChannelSink implements CountSink {

    private final String counter;
    private final Channel channel;
    /** Where frames enter the pipeline, found on the first write (the upgrade is not complete when the socket opens). */
    private ChannelOutboundInvoker wire;
    private long version = -1;

    ChannelSink(String counter, Channel channel) {
        this.counter = counter;
        this.channel = channel;
    }

    @Override
    public String counter() {
        return counter;
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public boolean write(ByteBuf frame, long newVersion) {
        if (newVersion <= version || !channel.isActive()) {
            return false;
        }
        version = newVersion;
        wire().write(frame.retainedDuplicate(), channel.voidPromise());
        return true;
    }

    @Override
    public void flush() {
        wire().flush();
    }

    private ChannelOutboundInvoker wire() {
        if (wire == null) {
            ChannelHandlerContext encoder = channel.pipeline().context(WebSocketFrameEncoder.class);
            if (encoder == null) {
                // not upgraded yet: a ByteBuf passes every handler unchanged from the tail
                return channel;
            }
            ChannelHandlerContext idle = channel.pipeline().context(IdleStateHandler.class);
            wire = idle != null ? idle : encoder;
        }
        return wire;
    }
}

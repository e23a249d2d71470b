package dev.livecounter.broadcaster.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;

/**
 * A WebSocket's Netty channel as a {@link CountSink}: all it keeps per socket is the channel, the counter and the
 * newest version written. Frames are written already encoded ({@link dev.livecounter.broadcaster.protocol.WireFrame})
 * at the WebSocket encoder's place in the pipeline, so neither Micronaut's handlers nor the encoder touch them.
 */
final class ChannelSink implements CountSink {

    private final String counter;
    private final Channel channel;
    /** The WebSocket encoder's context, found on the first write (the upgrade puts it in after the socket opens). */
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
                // not upgraded yet, or no such encoder: a ByteBuf passes every handler unchanged from the tail
                return channel;
            }
            wire = encoder;
        }
        return wire;
    }
}

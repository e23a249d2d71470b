package dev.livecounter.broadcaster.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Where already encoded frames ({@link dev.livecounter.broadcaster.protocol.WireFrame}) enter a WebSocket's pipeline:
 * as close to the socket as is safe, so neither Micronaut's handlers nor the WebSocket encoder touch them, from the
 * server's idle-state handler, which sits just above TLS (if any) and below everything else. Its write tracking is
 * skipped on purpose: it would turn each void promise into a real one with a listener, per frame, and
 * {@code KeepAlive}'s pings and the pages' pongs, which pass through it, keep every live socket from looking idle.
 * Used on the channel's event loop only.
 */
public final class SocketWire {

    private final Channel channel;
    /** Found on the first write (the upgrade is not complete when the socket opens). */
    private ChannelOutboundInvoker wire;

    public SocketWire(Channel channel) {
        this.channel = channel;
    }

    public Channel channel() {
        return channel;
    }

    /** Queues a retained duplicate of {@code frame} (the caller keeps its own reference); does not flush. */
    public void write(ByteBuf frame) {
        wire().write(frame.retainedDuplicate(), channel.voidPromise());
    }

    /** Queues {@code frame}, handing over the caller's reference; does not flush. */
    public void writeOwned(ByteBuf frame) {
        wire().write(frame, channel.voidPromise());
    }

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

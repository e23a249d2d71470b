package dev.livecounter.broadcaster.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

/**
 * A WebSocket's Netty channel as a {@link CountSink}: all it keeps per socket is the channel's {@link SocketWire},
 * the counter and the newest version written.
 */
final class ChannelSink implements CountSink {

    private final String counter;
    private final SocketWire wire;
    private long version = -1;

    ChannelSink(String counter, Channel channel) {
        this.counter = counter;
        this.wire = new SocketWire(channel);
    }

    @Override
    public String counter() {
        return counter;
    }

    @Override
    public EventLoop eventLoop() {
        return wire.channel().eventLoop();
    }

    @Override
    public boolean write(ByteBuf frame, long newVersion) {
        if (newVersion <= version || !wire.channel().isActive()) {
            return false;
        }
        version = newVersion;
        wire.write(frame);
        return true;
    }

    @Override
    public void flush() {
        wire.flush();
    }
}

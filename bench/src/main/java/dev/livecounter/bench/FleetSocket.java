package dev.livecounter.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import java.util.concurrent.Semaphore;

/**
 * One socket of a {@link WsFleet}: tells the fleet when its handshake settled (upgraded or failed, which frees a
 * handshake slot), speaks Socket.IO's few control packets when the server wants them, and hands every count frame
 * to the fleet with its arrival time.
 */
final class FleetSocket extends SimpleChannelInboundHandler<TextWebSocketFrame> {

    private final WsFleet fleet;
    private final int index;
    private final Semaphore slots;
    private boolean settled;

    FleetSocket(WsFleet fleet, int index, Semaphore slots) {
        this.fleet = fleet;
        this.index = index;
        this.slots = slots;
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
            fleet.upgraded(index);
            slots.release();
        }
    }

    void fail(Throwable cause) {
        if (settle()) {
            fleet.failed(cause);
            slots.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            if (fleet.protocol() == WsFleet.Protocol.PLAIN) {
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
        if (fleet.protocol() == WsFleet.Protocol.SOCKET_IO && !socketIoEvent(ctx, buf)) {
            return;
        }
        fleet.received(index, buf, now);
    }

    /** Answers Socket.IO's open and ping packets; true for an event packet ({@code 42[...]}), which carries a count. */
    private boolean socketIoEvent(ChannelHandlerContext ctx, ByteBuf buf) {
        byte kind = buf.readableBytes() > 0 ? buf.getByte(buf.readerIndex()) : 0;
        byte sub = buf.readableBytes() > 1 ? buf.getByte(buf.readerIndex() + 1) : 0;
        if (kind == '0') {
            ctx.writeAndFlush(new TextWebSocketFrame("40"));
        } else if (kind == '2') {
            ctx.writeAndFlush(new TextWebSocketFrame("3"));
        } else if (kind == '4' && sub == '0') {
            upgraded();
        }
        return kind == '4' && sub == '2';
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (settled) {
            fleet.closed();
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

package dev.livecounter.broadcaster.websocket;

import dev.livecounter.broadcaster.protocol.Frames;
import dev.livecounter.common.contract.ErrorCode;
import io.micronaut.http.server.netty.websocket.NettyServerWebSocketHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Bounds what one page message may cost before Micronaut sees it. Netty limits each wire frame
 * ({@code maxPayloadLength}), but Micronaut joins a message's fragments with no limit, so a message sent as many
 * small frames could grow without bound. This handler sits just before Micronaut's WebSocket handler in the socket's
 * pipeline and counts each message's bytes and fragments as they arrive: past {@link #MAX_MESSAGE_BYTES} or
 * {@link #MAX_FRAGMENTS} the socket is closed with 1009 (message too big) and nothing more of it is held. It also
 * answers binary messages with an error frame: Micronaut hands text and binary frames alike to {@code @OnMessage}
 * as a String, so binary data would otherwise pass for JSON. (Compressed messages never get here:
 * {@link NoMessageCompression} keeps permessage-deflate from being negotiated.)
 */
final class MessageGuard extends ChannelInboundHandlerAdapter {

    /** The largest whole message a page may send; its own are under 100 bytes. */
    static final int MAX_MESSAGE_BYTES = 4096;

    /** The most frames one message may come in; a browser sends a small message as one. */
    static final int MAX_FRAGMENTS = 16;

    private static final String NAME = "live-counter-message-guard";
    private static final String BINARY_ERROR =
            Frames.error(ErrorCode.UNSUPPORTED_FRAME, "binary frames are not supported; send JSON text frames");

    private boolean inBinaryMessage;
    private int messageBytes;
    private int fragments;
    private boolean closing;

    /**
     * Puts a guard in front of Micronaut's WebSocket handler in {@code pipeline}, once. Runs on the socket's event
     * loop after the upgrade ({@link LeanSocket}), before the loop reads the page's first frame.
     */
    static void addTo(ChannelPipeline pipeline) {
        if (pipeline.get(NAME) == null) {
            pipeline.addBefore(NettyServerWebSocketHandler.ID, NAME, new MessageGuard());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing) {
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof BinaryWebSocketFrame frame) {
            inBinaryMessage = !frame.isFinalFragment();
            frame.release();
            ctx.writeAndFlush(new TextWebSocketFrame(BINARY_ERROR));
        } else if (msg instanceof ContinuationWebSocketFrame frame && inBinaryMessage) {
            inBinaryMessage = !frame.isFinalFragment();
            frame.release();
        } else if (msg instanceof TextWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            countAndPass(ctx, (WebSocketFrame) msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void countAndPass(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame) {
            messageBytes = 0;
            fragments = 0;
        }
        messageBytes += frame.content().readableBytes();
        fragments++;
        if (messageBytes > MAX_MESSAGE_BYTES || fragments > MAX_FRAGMENTS) {
            frame.release();
            closing = true;
            String reason = messageBytes > MAX_MESSAGE_BYTES
                    ? "message over " + MAX_MESSAGE_BYTES + " bytes"
                    : "message in over " + MAX_FRAGMENTS + " frames";
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG, reason))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelRead(frame);
    }
}

package dev.livecounter.broadcaster.websocket;

import dev.livecounter.broadcaster.protocol.Frames;
import dev.livecounter.common.contract.ErrorCode;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.http.server.netty.websocket.NettyServerWebSocketHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * Answers binary frames with an error frame. Micronaut hands text and binary frames alike to {@code @OnMessage}
 * as a String, so a binary frame would otherwise pass for JSON; this handler sits just before Micronaut's
 * WebSocket handler in the socket's pipeline and keeps binary data (and its continuation frames) out.
 */
final class BinaryFrameGuard extends ChannelInboundHandlerAdapter {

    private static final String NAME = "live-counter-binary-frame-guard";
    private static final String ERROR =
            Frames.error(ErrorCode.UNSUPPORTED_FRAME, "binary frames are not supported; send JSON text frames");

    private boolean inBinaryMessage;

    /**
     * Puts a guard in front of the socket the request opened. Called from {@code @OnOpen}, which Micronaut runs
     * just before it adds its handler to the pipeline, so the guard goes in by a task queued on the socket's
     * event loop: it runs before the loop reads the page's first frame.
     */
    static void install(NettyHttpRequest<?> request) {
        ChannelPipeline pipeline = request.getChannelHandlerContext().pipeline();
        pipeline.channel().eventLoop().execute(() -> {
            if (pipeline.get(NettyServerWebSocketHandler.ID) != null && pipeline.get(NAME) == null) {
                pipeline.addBefore(NettyServerWebSocketHandler.ID, NAME, new BinaryFrameGuard());
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame frame) {
            inBinaryMessage = !frame.isFinalFragment();
            frame.release();
            ctx.writeAndFlush(new TextWebSocketFrame(ERROR));
        } else if (msg instanceof ContinuationWebSocketFrame frame && inBinaryMessage) {
            inBinaryMessage = !frame.isFinalFragment();
            frame.release();
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}

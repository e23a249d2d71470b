package dev.livecounter.broadcaster.websocket;

import io.micronaut.core.convert.value.MutableConvertibleValues;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.http.server.netty.websocket.NettyServerWebSocketHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * What an open socket keeps of its upgrade: as little as it needs. A replica holds tens of thousands of sockets, so
 * every byte a socket keeps is multiplied by them (docs/performance.md, "Sockets one replica holds"). Right after
 * the upgrade, on the socket's event loop, this puts the {@link MessageGuard} in and takes out what the socket never
 * uses again:
 * <ul>
 *   <li>the idle-state handler Micronaut puts on every connection ({@code micronaut.server.idle-timeout}, read and
 *   write idle timeouts): three timers per socket, rescheduled on every read and write. A page's socket has its own
 *   liveness check, {@code session/KeepAlive} (a ping every 25 s, closed after 70 s without a pong), and its pings
 *   keep the connection from ever being write- or all-idle anyway;</li>
 *   <li>the upgrade request's headers and attributes. Micronaut's session keeps the request for the socket's life,
 *   but everything read from it (counter, visit, visitor, client address) was read in {@code @OnOpen}, and the
 *   upgrade's answer was written before the WebSocket handler went in.</li>
 * </ul>
 */
final class LeanSocket {

    /** The name Micronaut gives its {@code IdleStateHandler} in a connection's pipeline. */
    static final String IDLE_STATE = "idle-state";

    private LeanSocket() {}

    /**
     * Called from {@code @OnOpen}, after everything the socket needs was read from {@code request}. Micronaut runs
     * {@code @OnOpen} just before it adds its WebSocket handler to the pipeline, so the work goes in a task queued
     * on the socket's event loop: it runs once the handler is in, before the loop reads the page's first frame.
     */
    static void settle(NettyHttpRequest<?> request) {
        settle(request.getChannelHandlerContext().pipeline(), request.getNativeRequest().headers(), request.getAttributes());
    }

    /** {@link #settle(NettyHttpRequest)} on the parts of the request it touches. */
    static void settle(ChannelPipeline pipeline, HttpHeaders headers, MutableConvertibleValues<Object> attributes) {
        pipeline.channel().eventLoop().execute(() -> {
            if (pipeline.get(NettyServerWebSocketHandler.ID) == null) {
                return; // the upgrade did not complete: the channel is closing
            }
            MessageGuard.addTo(pipeline);
            if (pipeline.get(IDLE_STATE) != null) {
                pipeline.remove(IDLE_STATE);
            }
            headers.clear();
            attributes.clear();
        });
    }
}

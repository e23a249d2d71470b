package dev.livecounter.broadcaster.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.micronaut.core.convert.value.MutableConvertibleValues;
import io.micronaut.core.convert.value.MutableConvertibleValuesMap;
import io.micronaut.http.server.netty.websocket.NettyServerWebSocketHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * After its upgrade a socket keeps its message guard and drops Micronaut's idle timers and the upgrade request's
 * headers and attributes; a channel whose upgrade did not complete is left as it is.
 */
class LeanSocketTest {

    private static EmbeddedChannel upgraded() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(LeanSocket.IDLE_STATE, new IdleStateHandler(300, 300, 300));
        channel.pipeline().addLast(NettyServerWebSocketHandler.ID, new ChannelInboundHandlerAdapter());
        return channel;
    }

    private static HttpHeaders headers() {
        return new DefaultHttpHeaders().add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").add("Origin", "https://a.example");
    }

    private static MutableConvertibleValues<Object> attributes() {
        MutableConvertibleValues<Object> attributes = new MutableConvertibleValuesMap<>();
        attributes.put("micronaut.http.route.match", new Object());
        return attributes;
    }

    @Test
    void anUpgradedSocketKeepsItsGuardAndDropsTheIdleTimersAndTheRequestsHeaders() {
        EmbeddedChannel channel = upgraded();
        HttpHeaders headers = headers();
        MutableConvertibleValues<Object> attributes = attributes();

        LeanSocket.settle(channel.pipeline(), headers, attributes);
        channel.runPendingTasks();

        List<String> names = channel.pipeline().names();
        assertFalse(names.contains(LeanSocket.IDLE_STATE), "Micronaut's idle timers are gone: " + names);
        assertNotNull(channel.pipeline().get(MessageGuard.class), "the guard is in: " + names);
        assertEquals(names.indexOf(NettyServerWebSocketHandler.ID) - 1, names.indexOf(channel.pipeline().context(MessageGuard.class).name()),
                "the guard sits just before Micronaut's WebSocket handler: " + names);
        assertEquals(0, headers.size(), "the upgrade's headers are cleared");
        assertEquals(0, attributes.names().size(), "the request's attributes are cleared");
    }

    @Test
    void aChannelWhoseUpgradeDidNotCompleteIsLeftAsItIs() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(LeanSocket.IDLE_STATE, new IdleStateHandler(300, 300, 300));
        HttpHeaders headers = headers();
        MutableConvertibleValues<Object> attributes = attributes();

        LeanSocket.settle(channel.pipeline(), headers, attributes);
        channel.runPendingTasks();

        assertNotNull(channel.pipeline().get(LeanSocket.IDLE_STATE));
        assertEquals(null, channel.pipeline().get(MessageGuard.class));
        assertEquals(2, headers.size());
        assertEquals(1, attributes.names().size());
    }
}

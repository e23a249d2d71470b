package dev.livecounter.broadcaster.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.livecounter.broadcaster.limits.TestLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every open socket is pinged; one silent past the idle timeout (not even a pong) is closed with 1001. */
class KeepAliveTest {

    private final OpenPages pages = new OpenPages(new SimpleMeterRegistry());

    private RecordingSocket open() {
        RecordingSocket socket = new RecordingSocket();
        pages.add(new PageSession(socket.session, new EmbeddedChannel(), null, "visit", "10.0.0.1",
                TestLimits.settings(null, 50, 5, 20, Duration.ofSeconds(70))));
        return socket;
    }

    private KeepAlive keepAlive(Duration idleTimeout) {
        return new KeepAlive(pages, TestLimits.settings(null, 50, 5, 20, idleTimeout));
    }

    @Test
    void aSocketHeardWithinTheIdleTimeoutIsPingedNotClosed() {
        RecordingSocket socket = open();
        keepAlive(Duration.ofMinutes(5)).pingOrClose();
        assertEquals(1, socket.pings.size());
        assertNull(socket.closed);
    }

    @Test
    void aSocketSilentPastTheIdleTimeoutIsClosedWith1001AndNotPinged() {
        RecordingSocket socket = open();
        keepAlive(Duration.ZERO).pingOrClose();
        assertEquals(1001, socket.closed.getCode());
        assertEquals(0, socket.pings.size());
    }
}

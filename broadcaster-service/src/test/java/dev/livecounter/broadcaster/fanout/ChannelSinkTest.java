package dev.livecounter.broadcaster.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.broadcaster.protocol.WireFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import org.junit.jupiter.api.Test;

/** A socket gets the shared frame's bytes as they are, each version once and in order. */
class ChannelSinkTest {

    @Test
    void theSharedFrameGoesOutUnchangedPastTheWebSocketEncoder() {
        assertSharedFrameGoesOutUnchanged(new EmbeddedChannel(new WebSocket08FrameEncoder(false)));
    }

    @Test
    void theSharedFrameGoesOutUnchangedPastTheIdleStateHandler() {
        assertSharedFrameGoesOutUnchanged(
                new EmbeddedChannel(new IdleStateHandler(0, 0, 300), new WebSocket08FrameEncoder(false)));
    }

    /** The frame written to the socket is the shared buffer itself, the socket holding its own reference to it. */
    private static void assertSharedFrameGoesOutUnchanged(EmbeddedChannel channel) {
        ChannelSink sink = new ChannelSink("home", channel);
        ByteBuf frame = WireFrame.text(UnpooledByteBufAllocator.DEFAULT, "{\"version\":1}");

        assertTrue(sink.write(frame, 1));
        sink.flush();

        ByteBuf out = channel.readOutbound();
        assertEquals(frame, out);
        assertEquals(2, frame.refCnt(), "the socket holds its own reference until written");
        out.release();
        assertEquals(1, frame.refCnt());
        frame.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void aVersionThePageHasOrOlderIsNotWritten() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ChannelSink sink = new ChannelSink("home", channel);
        ByteBuf frame = WireFrame.text(UnpooledByteBufAllocator.DEFAULT, "{}");

        assertTrue(sink.write(frame, 5));
        assertFalse(sink.write(frame, 5));
        assertFalse(sink.write(frame, 4));
        assertTrue(sink.write(frame, 6));
        sink.flush();

        ((ByteBuf) channel.readOutbound()).release();
        ((ByteBuf) channel.readOutbound()).release();
        assertNull(channel.readOutbound());
        frame.release();
    }

    @Test
    void aClosedSocketIsNotWritten() {
        EmbeddedChannel channel = new EmbeddedChannel();
        ChannelSink sink = new ChannelSink("home", channel);
        channel.close();
        ByteBuf frame = WireFrame.text(UnpooledByteBufAllocator.DEFAULT, "{}");
        assertFalse(sink.write(frame, 1));
        assertEquals(1, frame.refCnt());
        frame.release();
    }
}

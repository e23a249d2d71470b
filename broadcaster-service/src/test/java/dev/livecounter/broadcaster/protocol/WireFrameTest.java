package dev.livecounter.broadcaster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.common.model.CounterSnapshot;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import org.junit.jupiter.api.Test;

/** The frames fan-out writes as raw bytes are the frames a browser's WebSocket decodes. */
class WireFrameTest {

    @Test
    void aCountFrameDecodesAsTheCountJson() {
        CounterSnapshot snapshot = new CounterSnapshot("home", 1234, 5, -2, 99, 7);
        assertEquals(Frames.count(snapshot), decoded(WireFrame.count(UnpooledByteBufAllocator.DEFAULT, snapshot)));
    }

    @Test
    void everyLengthEncodingDecodes() {
        for (int length : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 70_000}) {
            String text = "x".repeat(length);
            ByteBuf frame = WireFrame.text(UnpooledByteBufAllocator.DEFAULT, text);
            assertEquals(text, FramePayload.of(frame.duplicate()), "payload of " + length);
            assertEquals(text, decoded(frame), "decoded " + length);
        }
    }

    @Test
    void textIsUtf8() {
        assertEquals("zähler ✓", decoded(WireFrame.text(UnpooledByteBufAllocator.DEFAULT, "zähler ✓")));
    }

    /** As a client decodes it: unmasked frames from a server. */
    private static String decoded(ByteBuf wire) {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(false, false, 1 << 20));
        client.writeInbound(wire);
        TextWebSocketFrame frame = client.readInbound();
        try {
            return frame.text();
        } finally {
            frame.release();
            client.finishAndReleaseAll();
        }
    }
}

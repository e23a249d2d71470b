package dev.livecounter.broadcaster.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Reads back, in tests, the text of a frame {@link WireFrame} encoded (header included). */
public final class FramePayload {

    private FramePayload() {}

    /** The payload of {@code frame} as text; the buffer's reader index does not move. */
    public static String of(ByteBuf frame) {
        int second = frame.getUnsignedByte(frame.readerIndex() + 1);
        int header = second < 126 ? 2 : second == 126 ? 4 : 10;
        return frame.toString(frame.readerIndex() + header, frame.readableBytes() - header, StandardCharsets.UTF_8);
    }
}

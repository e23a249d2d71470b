package dev.livecounter.broadcaster.protocol;

import dev.livecounter.common.model.CounterSnapshot;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * A text frame as it goes on the wire, header included (RFC 6455 section 5.2). A server's frames are not
 * masked, so the bytes are the same for every socket: fan-out encodes a count once per update and hands every
 * socket a retained duplicate, below Micronaut's and Netty's per-frame encoders.
 */
public final class WireFrame {

    private static final int FIN_TEXT = 0x81;

    private WireFrame() {}

    /** The count frame of {@code snapshot}, ready for the wire; the caller owns (releases) the buffer. */
    public static ByteBuf count(ByteBufAllocator allocator, CounterSnapshot snapshot) {
        return text(allocator, Frames.count(snapshot));
    }

    /** {@code text} as one final text frame. */
    public static ByteBuf text(ByteBufAllocator allocator, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int length = payload.length;
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuf frame = allocator.directBuffer(header + length);
        frame.writeByte(FIN_TEXT);
        if (length < 126) {
            frame.writeByte(length);
        } else if (length <= 0xFFFF) {
            frame.writeByte(126);
            frame.writeShort(length);
        } else {
            frame.writeByte(127);
            frame.writeLong(length);
        }
        frame.writeBytes(payload);
        return frame;
    }
}

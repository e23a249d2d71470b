package dev.livecounter.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads the few numbers the benchmarks need out of a count frame's bytes, without a JSON parser: the load generator
 * reads tens of thousands of frames a second on the same cores as the server it measures.
 */
final class CountFrame {

    static final byte[] VALUE = "\"value\":".getBytes(StandardCharsets.US_ASCII);
    static final byte[] VERSION = "\"version\":".getBytes(StandardCharsets.US_ASCII);
    static final byte[] ONLINE = "\"online\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR = "\"type\":\"error\"".getBytes(StandardCharsets.US_ASCII);

    private CountFrame() {}

    static boolean isError(ByteBuf buf) {
        return indexOf(buf, ERROR) >= 0;
    }

    /** The integer after {@code key}, or Long.MIN_VALUE when the key is absent. */
    static long number(ByteBuf buf, byte[] key) {
        int at = indexOf(buf, key);
        if (at < 0) {
            return Long.MIN_VALUE;
        }
        int i = at + key.length;
        int end = buf.writerIndex();
        boolean negative = i < end && buf.getByte(i) == '-';
        if (negative) {
            i++;
        }
        long n = 0;
        for (; i < end; i++) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') {
                break;
            }
            n = n * 10 + (b - '0');
        }
        return negative ? -n : n;
    }

    static int indexOf(ByteBuf buf, byte[] needle) {
        int end = buf.writerIndex() - needle.length;
        outer:
        for (int i = buf.readerIndex(); i <= end; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

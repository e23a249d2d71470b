package dev.livecounter.hostile;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.Deflater;

/**
 * A WebSocket client that sends what browsers never do: one message in many fragments, or a deflate bomb (a
 * message that inflates to hundreds of MiB from a few KiB on the wire, with the permessage-deflate bit set).
 * Written on a plain TCP socket so nothing between it and the server smooths the frames out.
 */
public final class HostileSocket implements AutoCloseable {

    private static final int TEXT = 0x1;
    private static final int CONTINUATION = 0x0;
    private static final int CLOSE = 0x8;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final String handshake;

    private HostileSocket(Socket socket, String handshake) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
        this.handshake = handshake;
    }

    /**
     * Upgrades {@code ws://127.0.0.1:port/ws?counter=...} offering permessage-deflate, as browsers do; the given
     * address goes in the forwarded-for header (believed by a stack that trusts it).
     */
    public static HostileSocket open(int port, String counter, String forwardedHeader, String address) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(30_000);
        String request = "GET /ws?counter=" + counter + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + (forwardedHeader == null ? "" : forwardedHeader + ": " + address + "\r\n")
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        String head = responseHead(socket.getInputStream());
        if (!head.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("upgrade refused: " + head.strip());
        }
        return new HostileSocket(socket, head);
    }

    /** An HTTP response's head, read byte by byte up to its blank line (nothing after it), or to the end of input. */
    public static String responseHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** Whether the server agreed to compress messages on this socket. */
    public boolean compressionAccepted() {
        return handshake.toLowerCase(java.util.Locale.ROOT).contains("permessage-deflate");
    }

    /**
     * One text message of {@code fragments} frames of {@code fragmentBytes} each; stops early (returns how many it
     * wrote) when the server has closed the connection.
     */
    public int sendFragmented(int fragments, int fragmentBytes) {
        byte[] payload = new byte[fragmentBytes];
        Arrays.fill(payload, (byte) 'x');
        for (int i = 0; i < fragments; i++) {
            try {
                writeFrame(i == fragments - 1, false, i == 0 ? TEXT : CONTINUATION, payload, 0, payload.length);
            } catch (IOException closed) {
                return i;
            }
        }
        return fragments;
    }

    /**
     * One compressed text message that inflates to {@code inflatedBytes}, in frames of at most
     * {@code fragmentBytes} on the wire (the first carries the permessage-deflate bit); returns the wire bytes
     * written, fewer when the server closed the connection first.
     */
    public long sendDeflateBomb(byte[] bomb, int fragmentBytes) {
        long written = 0;
        for (int offset = 0; offset < bomb.length; offset += fragmentBytes) {
            int length = Math.min(fragmentBytes, bomb.length - offset);
            try {
                writeFrame(offset + length >= bomb.length, offset == 0, offset == 0 ? TEXT : CONTINUATION, bomb, offset, length);
            } catch (IOException closed) {
                return written;
            }
            written += length;
        }
        return written;
    }

    /** The raw deflate of {@code inflatedBytes} spaces, without the empty block's tail (RFC 7692 section 7.2.1). */
    public static byte[] deflateBomb(long inflatedBytes) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        byte[] chunk = new byte[1 << 20];
        Arrays.fill(chunk, (byte) ' ');
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        for (long left = inflatedBytes; left > 0; left -= chunk.length) {
            deflater.setInput(chunk, 0, (int) Math.min(chunk.length, left));
            while (!deflater.needsInput()) {
                compressed.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        int n;
        while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
            compressed.write(buffer, 0, n);
        }
        deflater.end();
        byte[] bytes = compressed.toByteArray();
        return Arrays.copyOf(bytes, bytes.length - 4);
    }

    /**
     * Reads until the server's close frame and returns its code, skipping other frames; -1 when the connection
     * ended without one, or nothing came within {@code wait}.
     */
    public int awaitClose(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis()));
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                long length = second & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                if ((first & 0x0f) == CLOSE) {
                    return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                }
            }
        } catch (SocketTimeoutException quiet) {
            return -1;
        } catch (IOException ended) {
            return -1;
        }
        return -1;
    }

    private void writeFrame(boolean fin, boolean rsv1, int opcode, byte[] data, int offset, int length) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(length + 14);
        frame.write((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
        if (length < 126) {
            frame.write(0x80 | length);
        } else if (length < 65536) {
            frame.write(0x80 | 126);
            frame.write(length >>> 8);
            frame.write(length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) length >>> shift) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < length; i++) {
            frame.write(data[offset + i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}

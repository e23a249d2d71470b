package dev.livecounter.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Follows the HTTP/1.1 requests a client sends on one connection, as the bytes go by in any pieces, just far enough
 * to see where each request starts and which DynamoDB operation it is: each request head up to its blank line (its
 * {@code X-Amz-Target} and how its body is framed), then its body skipped by {@code Content-Length} or by chunks.
 * A stream it cannot follow (a head over 64 KiB, a framing it does not know) makes it stop for good: {@link #failed}.
 */
final class RequestHeads {

    /** One request whose head is complete: its {@code X-Amz-Target}, or null when it has none. */
    record Head(String target) {}

    private static final int MAX_HEAD = 64 * 1024;

    private enum State { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, FAILED }

    private State state = State.HEAD;
    /** The head, or the chunk-size or trailer line, read so far. */
    private final StringBuilder line = new StringBuilder();
    private long remaining;

    boolean failed() {
        return state == State.FAILED;
    }

    /** Reads {@code n} more bytes of the client's stream; returns the heads completed in them, in order. */
    List<Head> feed(byte[] bytes, int offset, int n) {
        List<Head> heads = new ArrayList<>(1);
        int i = offset;
        int end = offset + n;
        while (i < end && state != State.FAILED) {
            switch (state) {
                case HEAD -> {
                    // ISO-8859-1: one char per byte, so the blank line is found whatever the header values hold
                    line.append((char) (bytes[i++] & 0xff));
                    if (endsWithBlankLine()) {
                        heads.add(head(line.toString()));
                        line.setLength(0);
                    } else if (line.length() > MAX_HEAD) {
                        state = State.FAILED;
                    }
                }
                case BODY -> {
                    int take = (int) Math.min(remaining, end - i);
                    i += take;
                    remaining -= take;
                    if (remaining == 0) {
                        state = State.HEAD;
                    }
                }
                case CHUNK_SIZE, TRAILER -> {
                    line.append((char) (bytes[i++] & 0xff));
                    if (line.length() >= 2 && line.charAt(line.length() - 2) == '\r' && line.charAt(line.length() - 1) == '\n') {
                        String text = line.substring(0, line.length() - 2);
                        line.setLength(0);
                        if (state == State.TRAILER) {
                            state = text.isEmpty() ? State.HEAD : State.TRAILER;
                        } else {
                            chunkSize(text);
                        }
                    } else if (line.length() > MAX_HEAD) {
                        state = State.FAILED;
                    }
                }
                case CHUNK_DATA -> {
                    int take = (int) Math.min(remaining, end - i);
                    i += take;
                    remaining -= take;
                    if (remaining == 0) {
                        state = State.CHUNK_END;
                        remaining = 2; // the CRLF after the chunk's data
                    }
                }
                case CHUNK_END -> {
                    i++;
                    if (--remaining == 0) {
                        state = State.CHUNK_SIZE;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return heads;
    }

    private boolean endsWithBlankLine() {
        int n = line.length();
        return n >= 4 && line.charAt(n - 4) == '\r' && line.charAt(n - 3) == '\n' && line.charAt(n - 2) == '\r'
                && line.charAt(n - 1) == '\n';
    }

    /** Reads a complete head: its target, and sets the state that skips its body. */
    private Head head(String text) {
        String target = null;
        long length = 0;
        boolean chunked = false;
        String[] lines = text.split("\r\n");
        for (int k = 1; k < lines.length; k++) {
            int colon = lines[k].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[k].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[k].substring(colon + 1).trim();
            switch (name) {
                case "x-amz-target" -> target = value;
                case "content-length" -> {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        length = -1;
                    }
                }
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                default -> { }
            }
        }
        if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (length < 0) {
            state = State.FAILED;
        } else if (length > 0) {
            state = State.BODY;
            remaining = length;
        }
        return new Head(target);
    }

    private void chunkSize(String text) {
        int semicolon = text.indexOf(';'); // chunk extensions
        String hex = (semicolon < 0 ? text : text.substring(0, semicolon)).trim();
        try {
            remaining = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            state = State.FAILED;
            return;
        }
        state = remaining == 0 ? State.TRAILER : State.CHUNK_DATA;
    }
}

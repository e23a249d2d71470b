package dev.livecounter.system.ingress;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The head of one HTTP/1.1 request as the proxy reads it: what it routes by (the Host header and the request
 * target) and the head it sends on.
 *
 * @param requestLine e.g. {@code GET /assets/app.js HTTP/1.1}
 * @param headers the header lines as sent
 * @param headLength bytes up to and including the blank line
 */
record Request(String requestLine, List<String> headers, int headLength) {

    /** The index just past the blank line ending the head, or -1 while it has not arrived. */
    static int headEnd(byte[] bytes) {
        for (int i = 3; i < bytes.length; i++) {
            if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    /** The request in these bytes, or null when its request line is not {@code METHOD /path HTTP/1.x}. */
    static Request parse(byte[] bytes) {
        int end = headEnd(bytes);
        String[] lines = new String(bytes, 0, end - 4, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] parts = lines[0].split(" ");
        if (parts.length != 3 || !parts[1].startsWith("/") || !parts[2].startsWith("HTTP/1.")) {
            return null;
        }
        return new Request(lines[0], List.of(lines).subList(1, lines.length), end);
    }

    String target() {
        return requestLine.split(" ")[1];
    }

    /** The Host header's value, or null. */
    String host() {
        return header("host");
    }

    private String header(String name) {
        for (String line : headers) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    /**
     * The head to send on: {@code Connection: close} unless it is an upgrade (so the next request comes on a new
     * connection and is routed on its own), and {@code X-Forwarded-For} set to the client's address.
     */
    byte[] rewrittenHead(String clientAddress) {
        boolean upgrade = header("upgrade") != null;
        List<String> out = new ArrayList<>();
        out.add(requestLine);
        for (String line : headers) {
            String name = line.substring(0, Math.max(0, line.indexOf(':'))).strip().toLowerCase(Locale.ROOT);
            if (name.equals("x-forwarded-for") || (!upgrade && (name.equals("connection") || name.equals("keep-alive")))) {
                continue;
            }
            out.add(line);
        }
        if (!upgrade) {
            out.add("Connection: close");
        }
        out.add("X-Forwarded-For: " + clientAddress);
        return (String.join("\r\n", out) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}

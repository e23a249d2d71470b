package dev.livecounter.local;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks the local Docker engine, over its unix socket and within a bounded time, whether it answers and whether
 * an image is already present. Nothing is ever pulled: registries cannot be reached from many machines this runs
 * on, and an engine that answers but cannot pull must not stall anything (testcontainers retries a pull for
 * minutes). Only a local socket is probed; a remote {@code DOCKER_HOST} counts as absent.
 */
public final class DockerProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private DockerProbe() {}

    /** The engine's socket when one is configured locally. */
    static Optional<Path> socket() {
        String host = System.getenv("DOCKER_HOST");
        if (host != null && !host.isBlank()) {
            return host.startsWith("unix://") ? Optional.of(Path.of(host.substring("unix://".length()))) : Optional.empty();
        }
        Path path = Path.of("/var/run/docker.sock");
        return Files.exists(path) ? Optional.of(path) : Optional.empty();
    }

    /** Whether the engine answers {@code /_ping} within the timeout. */
    public static boolean engineAnswers() {
        return status("/_ping") == 200;
    }

    /** Whether {@code image} (name:tag) is present in the local engine; false when no engine answers. */
    public static boolean imagePresent(String image) {
        return status("/images/" + image + "/json") == 200;
    }

    /** The HTTP status of a GET to the engine's API, or -1 when it does not answer in time. */
    private static int status(String path) {
        Optional<Path> socket = socket();
        if (socket.isEmpty()) {
            return -1;
        }
        CompletableFuture<Integer> answer = CompletableFuture.supplyAsync(() -> get(socket.get(), path));
        try {
            return answer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            answer.cancel(true);
            return -1;
        }
    }

    private static int get(Path socket, String path) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            String request = "GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n";
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocate(64);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                String head = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
                int firstLineEnd = head.indexOf('\r');
                if (firstLineEnd > 0) {
                    String[] statusLine = head.substring(0, firstLineEnd).split(" ");
                    return statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
                }
            }
            return -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}

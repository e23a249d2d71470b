package dev.livecounter.system;

import static dev.livecounter.system.PageClient.PLUS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.livecounter.local.LocalStack;
import dev.livecounter.local.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broadcaster's sockets on Netty's native transports, with NIO as the fallback and the operator's choice
 * ({@code LIVECOUNTER_BROADCASTER_TRANSPORT}): each replica says in its log which transport its listening channel
 * got, and replicas on different transports serve one counter together (pages, presses, the peer posts between
 * them over the HTTP client, which shares the event loops). Two replicas; the second is restarted per test.
 */
class NativeTransportIT {

    private static final String TRANSPORT = "LIVECOUNTER_BROADCASTER_TRANSPORT";
    /** SocketTransport's start-up line: the transport, then the listening channel's class. */
    private static final Pattern SAID = Pattern.compile("sockets on Netty's (\\S+) transport \\(([\\w.$]+)\\); wanted \\[([^]]*)](.*)");

    @RegisterExtension
    static final OwnStack stack = new OwnStack(b -> b.broadcasters(2));
    @RegisterExtension
    final OpenPages pages = new OpenPages();

    @Test
    void byDefaultTheSocketsRunOnEpollWhereItsLibraryLoads() {
        // the native files in the build are Linux x86_64's; elsewhere the default is NIO (the next test's case)
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "epoll's native file is Linux x86_64's");
        Matcher said = awaitSaid(stack.get().broadcaster(0), 0);
        assertEquals("epoll", said.group(1), said.group());
        assertEquals("io.netty.channel.epoll.EpollServerSocketChannel", said.group(2));
        assertEquals("epoll, nio", said.group(3), "the default list");
    }

    @Test
    void aReplicaForcedToNioServesOneCounterWithAReplicaOnTheDefault() {
        Matcher said = restartSecond("nio");
        assertEquals("nio", said.group(1), said.group());
        assertEquals("io.netty.channel.socket.nio.NioServerSocketChannel", said.group(2));
        pressesOnEachReplicaReachTheOther("nio");
    }

    @Test
    void ioUringServesPagesOrTheReplicaFallsBackToEpollAndSaysWhy() {
        Matcher said = restartSecond("io_uring,epoll,nio");
        if (!said.group(1).equals("io_uring")) {
            // a kernel or sandbox without io_uring (Docker's default seccomp profile refuses io_uring_setup)
            assertEquals("epoll", said.group(1), said.group());
            assertTrue(said.group(4).contains("io_uring did not load"), said.group());
        } else {
            assertEquals("io.netty.channel.uring.IoUringServerSocketChannel", said.group(2));
        }
        pressesOnEachReplicaReachTheOther("io_uring");
    }

    @Test
    void whereTheNativeLibraryCannotLoadTheSocketsFallBackToNioAndSayWhy() {
        // as on another OS or arch, or where the .so cannot be unpacked and loaded: Netty's own switch refuses it
        Matcher said = restartSecond("epoll,nio", "-Dio.netty.transport.noNative=true");
        assertEquals("nio", said.group(1), said.group());
        assertEquals("epoll, nio", said.group(3));
        assertTrue(said.group(4).contains("epoll did not load"), said.group());
        pressesOnEachReplicaReachTheOther("fallback");
    }

    private static Matcher restartSecond(String transport) {
        return restartSecond(transport, "");
    }

    /** Restarts the second replica with {@code transport} (and JVM options) and returns what it said about its sockets. */
    private static Matcher restartSecond(String transport, String javaToolOptions) {
        LocalStack running = stack.get();
        long from = size(running.broadcaster(1).process().log());
        ServiceProcess restarted = running.restartBroadcaster(1, Map.of(TRANSPORT, transport, "JAVA_TOOL_OPTIONS", javaToolOptions));
        return awaitSaid(restarted, from);
    }

    private void pressesOnEachReplicaReachTheOther(String prefix) {
        String counter = LiveSystem.uniqueCounter(prefix.replace('_', '-'));
        PageClient first = pages.open(stack.get().broadcaster(0).port(), counter, null);
        PageClient second = pages.open(stack.get().broadcaster(1).port(), counter, null);
        first.awaitCount("both pages counted", c -> c.online() == 2);
        second.awaitCount("both pages counted", c -> c.online() == 2);
        first.send(PLUS);
        second.send(PLUS);
        assertEquals(2, first.awaitCount("both presses", c -> c.value() == 2).value());
        assertEquals(2, second.awaitCount("both presses", c -> c.value() == 2).value());
    }

    /** Waits for the line SocketTransport logs once the server listens, in {@code service}'s log from byte {@code from}. */
    private static Matcher awaitSaid(ServiceProcess service, long from) {
        Path log = service.process().log();
        return await("the transport line in " + log).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> said(log, from), Optional::isPresent)
                .orElseThrow();
    }

    private static Optional<Matcher> said(Path log, long from) {
        try {
            byte[] all = Files.readAllBytes(log);
            String text = new String(Arrays.copyOfRange(all, (int) Math.min(from, all.length), all.length), StandardCharsets.UTF_8);
            Matcher m = SAID.matcher(text);
            return m.find() ? Optional.of(m) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path log) {
        try {
            return Files.size(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

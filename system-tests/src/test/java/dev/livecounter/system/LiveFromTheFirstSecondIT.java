package dev.livecounter.system;

import static dev.livecounter.system.PageClient.PLUS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.local.LocalStack;
import dev.livecounter.local.OutsideWriter;
import dev.livecounter.local.ServiceProcess;
import dev.livecounter.system.PageClient.Count;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A visitor who comes in the first second of a fresh start, or while the stream lease is moving, sees true counts:
 * every change the services make (connect, press, disconnect) reaches the pages of every replica directly, whether
 * or not any replica holds the stream lease. Each test starts its own cold stack (a fresh DynamoDB Local, no lease
 * table), so the stream consumer's first start is still under way when the pages are used.
 */
class LiveFromTheFirstSecondIT {

    /** The bound: the coalescing interval plus one hop, with room for a busy machine. */
    private static final Duration AT_ONCE = Duration.ofSeconds(1);
    private static final String STREAM_ENABLED = "LIVECOUNTER_STREAM_ENABLED";

    @Test
    void aColdStackIsLiveAcrossReplicasBeforeAnyReplicaHoldsTheStream() {
        try (LocalStack stack = LocalStack.builder().broadcasters(2).start()) {
            pressAndCloseAreSeenOnTheOtherReplicaAtOnce(stack);
        }
    }

    @Test
    void withTheStreamSwitchedOffPagesAreLiveAndAnOutsideChangeArrivesOnceItIsBackOn() {
        try (LocalStack stack = LocalStack.builder().broadcasters(2).broadcasterEnv(STREAM_ENABLED, "false").start();
                OutsideWriter outsider = new OutsideWriter(stack)) {
            pressAndCloseAreSeenOnTheOtherReplicaAtOnce(stack);

            String counter = LiveSystem.uniqueCounter("outside");
            try (PageClient page = PageClient.open(stack.broadcaster(0).port(), counter, null)) {
                page.awaitCount("its first count", c -> c.online() == 1);
                long version = outsider.addToValue(counter, 5);
                // the stream is the only path an outside writer's change has: on replica 2, turn it back on
                ServiceProcess withoutStream = stack.broadcaster(1);
                withoutStream.stop();
                ServiceProcess withStream = withoutStream.withEnv(STREAM_ENABLED, "true").start();
                try {
                    withStream.awaitHealthy(Duration.ofMinutes(2));
                    // KCL's first start, then the change from the stream's start (TRIM_HORIZON)
                    Count seen = page.awaitCount("the outside writer's +5, through the stream", Duration.ofMinutes(2),
                            c -> c.value() == 5);
                    assertEquals(version, seen.version(), "the writer's version, as the table has it");
                    assertEquals(java.util.List.of(), page.versionViolations());
                } finally {
                    withStream.stop();
                }
            }
        }
    }

    /**
     * As soon as both pages answer: a socket on each replica of a fresh counter, a press on one, then it closes.
     * The other replica's page sees the press, then online drop, each within {@link #AT_ONCE}.
     */
    private static void pressAndCloseAreSeenOnTheOtherReplicaAtOnce(LocalStack stack) {
        long answered = System.nanoTime();
        String counter = LiveSystem.uniqueCounter("first-second");
        try (PageClient watcher = PageClient.open(stack.broadcaster(0).port(), counter, null);
                PageClient presser = PageClient.open(stack.broadcaster(1).port(), counter, null)) {
            System.out.printf("[first-second] sockets open %d ms after the pages answered; stream: %s / %s%n",
                    (System.nanoTime() - answered) / 1_000_000, streamState(stack, 0), streamState(stack, 1));
            // the connects cross replicas directly too (no stream needed)
            watcher.awaitCount("both sockets counted", Duration.ofSeconds(10), c -> c.online() == 2);
            presser.awaitCount("both sockets counted", Duration.ofSeconds(10), c -> c.online() == 2);

            presser.send(PLUS);
            Count pressed = watcher.awaitCount("the press on the other replica", AT_ONCE, c -> c.value() == 1);
            presser.close();
            Count left = watcher.awaitCount("online drop after the other replica's socket closed", AT_ONCE,
                    c -> c.online() == 1);

            assertEquals(2, pressed.online());
            assertEquals(2, left.visits(), "a close changes online, not visits");
            assertEquals(1, left.value());
            assertEquals(java.util.List.of(), watcher.versionViolations(), "frames arrive in version order");
            System.out.printf("[first-second] done %d ms after the pages answered; stream: %s / %s%n",
                    (System.nanoTime() - answered) / 1_000_000, streamState(stack, 0), streamState(stack, 1));
        }
    }

    /** The broadcaster's stream consumer as its health reports it (RUNNING, DISABLED, ...), for the log. */
    private static String streamState(LocalStack stack, int replica) {
        URI health = stack.broadcaster(replica).baseUri().resolve("/health");
        String body = LiveSystem.send(HttpRequest.newBuilder(health).build()).body();
        java.util.regex.Matcher state = java.util.regex.Pattern.compile("\"state\":\"(\\w+)\"").matcher(body);
        java.util.regex.Matcher records = java.util.regex.Pattern.compile("\"recordsProcessed\":(\\d+)").matcher(body);
        return (state.find() ? state.group(1) : "?") + " records=" + (records.find() ? records.group(1) : "?");
    }
}

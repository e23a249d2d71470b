package dev.livecounter.bench;

import dev.livecounter.local.LocalStack;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A benchmark scenario, always setup -> drive -> measure -> report: {@link #stack} is the stack it wants (replicas
 * and broadcaster settings on top of {@link Bench#baseStack}); {@link #run} takes the load average, lets the
 * scenario open its sockets, drive and measure ({@link #measure}), and notes the load average after, so every
 * report says how busy the machine was. The shared steps of driving are in {@link Pace} and {@link #openPages}.
 */
abstract class Scenario {

    private final int replicas;
    private final Map<String, String> broadcasterEnv;

    Scenario(int replicas, Map<String, String> broadcasterEnv) {
        this.replicas = replicas;
        this.broadcasterEnv = broadcasterEnv;
    }

    /** The broadcaster settings of a scenario whose clients press faster than a person: a message budget of {@code perSecond}. */
    static Map<String, String> messageBudget(int perSecond) {
        return Map.of("LIVECOUNTER_LIMITS_MESSAGES_PER_SECOND", Integer.toString(perSecond),
                "LIVECOUNTER_LIMITS_MESSAGE_BURST", Integer.toString(perSecond));
    }

    /** The stack this scenario runs on. */
    LocalStack.Builder stack(Options options) {
        LocalStack.Builder stack = Bench.baseStack(replicas, options);
        broadcasterEnv.forEach(stack::broadcasterEnv);
        return stack;
    }

    /** Runs the scenario on {@code stack} (its own, or one a test started) and returns its report, written to nothing yet. */
    final Report run(LocalStack stack, Options options, Path out) {
        String loadBefore = Machine.loadAverage();
        Report report = measure(stack, options, out);
        report.note("load average before %s, after %s", loadBefore, Machine.loadAverage());
        return report;
    }

    /** Opens the scenario's sockets, drives the load, measures, and fills a report (tables and plots into {@code out}). */
    abstract Report measure(LocalStack stack, Options options, Path out);

    /**
     * Opens sockets {@code 0..count-1} at {@code --connect-rate} (every one is registered in DynamoDB Local), 16
     * handshakes in flight, and fails unless every one opened and had its first count frame.
     */
    static void openPages(WsFleet fleet, int count, IntFunction<URI> target, Options o) {
        fleet.open(0, count, target, 16, o.number("connect-rate", Bench.CONNECT_RATE, 0, 100_000), Duration.ofMinutes(5));
        Pace.check(fleet.upgraded() == count, "only " + fleet.upgraded() + " of " + count + " sockets opened: " + fleet.lastFailure());
        Pace.check(fleet.awaitWelcomed(0, count, Duration.ofMinutes(2)), "not every page got its first count");
    }

    /** A page's socket URI on the broadcaster at {@code port}. */
    static URI page(int port, String counter) {
        return URI.create("ws://127.0.0.1:" + port + "/ws?counter=" + counter);
    }
}

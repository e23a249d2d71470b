package dev.livecounter.bench;

import dev.livecounter.local.LocalStack;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 1, change -> last page: pages spread evenly over two broadcaster replicas, a presser on replica 2
 * pressing + at a steady rate; for every press, the time from sending it until the last page (of all of them)
 * shows a value that includes it, measured at the clients. Pages on replica 2 get the change straight from the
 * presser's replica; pages on replica 1 from its post to its peers (or, if that is slower, through DynamoDB's
 * stream and the stream reader's post).
 *
 * <pre>bench.sh latency [--sockets=1000] [--rate=5] [--seconds=60] [--poll=200ms] [--connect-rate=200] [--warmup=10 (s)]</pre>
 */
final class LatencyScenario implements Bench.Scenario {

    @Override
    public LocalStack.Builder stack(Bench.Options o) {
        return Bench.baseStack(2, o)
                // the presser presses faster than a person: raise its message budget
                .broadcasterEnv("LIVECOUNTER_LIMITS_MESSAGES_PER_SECOND", "100")
                .broadcasterEnv("LIVECOUNTER_LIMITS_MESSAGE_BURST", "100");
    }

    @Override
    public Report run(LocalStack stack, Bench.Options o, Path out) {
        int pages = o.integer("sockets", 1000, 2, WsFleet.MAX_SOCKETS - 1);
        double rate = o.number("rate", 5, 0.1, 100);
        int seconds = o.integer("seconds", 60, 1, 600);
        int presses = (int) Math.max(1, Math.round(rate * seconds));
        String poll = o.string("poll", "200ms (default)");
        String counter = Bench.uniqueCounter("latency");
        String loadBefore = Machine.loadAverage();
        int presser = pages;
        int[] replicaPort = {stack.broadcaster(0).port(), stack.broadcaster(1).port()};

        // per page, when it first showed each value (value - base); values only grow here
        long[][] shown = new long[pages][presses + 2];
        long[] shownValue = new long[pages];
        try (WsFleet fleet = new WsFleet(pages + 1)) {
            java.util.concurrent.atomic.AtomicLong base = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
            fleet.listener((socket, value, version, online, nanos) -> {
                if (socket >= pages || base.get() == Long.MIN_VALUE) {
                    return;
                }
                long from = Math.max(shownValue[socket], 0) + 1;
                for (long v = from; v <= Math.min(value - base.get(), presses + 1); v++) {
                    shown[socket][(int) v] = nanos;
                }
                shownValue[socket] = Math.max(shownValue[socket], value - base.get());
            });
            fleet.open(0, pages + 1, i -> page(replicaPort[i == presser ? 1 : i % 2], counter), 16, o.number("connect-rate", Bench.CONNECT_RATE, 0, 100_000), Duration.ofMinutes(5));
            check(fleet.upgraded() == pages + 1, "only " + fleet.upgraded() + " of " + (pages + 1) + " sockets opened: " + fleet.lastFailure());
            check(fleet.awaitWelcomed(0, pages + 1, Duration.ofMinutes(2)), "not every page got its first count");

            // warm-up press: also waits out KCL's first lease assignment on a fresh stack
            long before = fleet.lastValue(0);
            long warm = System.nanoTime();
            fleet.send(presser, "{\"action\":\"plus\"}");
            awaitAll(fleet, pages, before + 1, Duration.ofMinutes(3));
            System.out.printf(Locale.ROOT, "latency: stream live, warm-up press seen everywhere after %.1f s%n", (System.nanoTime() - warm) / 1e9);
            // then presses at the measured rate, unmeasured: a replica in service has its press path compiled by
            // the JIT; a fresh stack interprets it for the first seconds (--warmup=0 measures that too)
            int warmPresses = (int) Math.round(rate * o.integer("warmup", 10, 0, 300));
            pace(fleet, presser, warmPresses, rate, null);
            awaitAll(fleet, pages, before + 1 + warmPresses, Duration.ofMinutes(1));
            Arrays.fill(shownValue, 0);
            base.set(before + 1 + warmPresses);

            long[] sent = new long[presses + 2];
            long start = pace(fleet, presser, presses, rate, sent);
            awaitAll(fleet, pages, base.get() + presses, Duration.ofSeconds(30));
            Bench.sleep(100);

            List<double[]> each = List.of(new double[presses * (pages / 2 + 1)], new double[presses * (pages / 2 + 1)]);
            int[] eachCount = new int[2];
            double[] last = new double[presses];
            List<String> samples = new ArrayList<>();
            int missing = 0;
            for (int k = 1; k <= presses; k++) {
                double max = 0;
                for (int p = 0; p < pages; p++) {
                    if (shown[p][k] == 0) {
                        missing++;
                        continue;
                    }
                    double ms = (shown[p][k] - sent[k]) / 1e6;
                    int replica = p % 2;
                    each.get(replica)[eachCount[replica]++] = ms;
                    max = Math.max(max, ms);
                }
                last[k - 1] = max;
                samples.add(String.format(Locale.ROOT, "%d,%.1f,%.2f", k, (sent[k] - start) / 1e6, max));
            }
            double[] other = Arrays.copyOf(each.get(0), eachCount[0]);
            double[] same = Arrays.copyOf(each.get(1), eachCount[1]);
            double[] lastSorted = last.clone();
            Arrays.sort(lastSorted);
            Arrays.sort(other);
            Arrays.sort(same);
            Report.samples(out, "latency-samples.csv", "press,sent_ms,last_page_ms", samples);

            Report report = new Report("latency", "Scenario 1: change -> last page (press on replica 2, pages on both replicas)",
                    "measure", "n", "p50 ms", "p95 ms", "p99 ms", "max ms", "goal", "met");
            double p99 = Bench.percentile(lastSorted, 99);
            report.row("press -> last of " + pages + " pages", lastSorted.length, Bench.percentile(lastSorted, 50),
                    Bench.percentile(lastSorted, 95), p99, lastSorted[lastSorted.length - 1], "p99 <= 250 ms", p99 <= 250 ? "yes" : "NO");
            report.row("press -> each page on replica 1 (the other)", other.length, Bench.percentile(other, 50),
                    Bench.percentile(other, 95), Bench.percentile(other, 99), other.length == 0 ? Double.NaN : other[other.length - 1], "", "");
            report.row("press -> each page on replica 2 (presser's)", same.length, Bench.percentile(same, 50),
                    Bench.percentile(same, 95), Bench.percentile(same, 99), same.length == 0 ? Double.NaN : same[same.length - 1], "", "");
            report.note("%d pages (%d per replica) + 1 presser on replica 2, %.1f presses/s for %d s (%d presses) after %d s of unmeasured ones, stream poll interval %s, coalescing %s",
                    pages, pages / 2, rate, seconds, presses, o.integer("warmup", 10, 0, 300), poll, o.string("coalesce", "50ms (default)"));
            report.note("page-press pairs never shown: %d; error frames: %d; sockets closed by the server: %d",
                    missing, fleet.errorFrames(), fleet.closedByServer());
            report.note("load average before %s, after %s", loadBefore, Machine.loadAverage());

            new Chart("Press -> page latency, " + pages + " pages on 2 replicas, " + Report.fmt(rate) + " presses/s",
                    "latency (ms)", "percent of presses / page-presses at or below")
                    .cdf("press -> last page", last)
                    .cdf("each page, replica 1 (the other)", other)
                    .cdf("each page, replica 2 (presser's)", same)
                    .verticalLine(250, "goal: p99 <= 250 ms")
                    .write(out.resolve("latency.png"));
            return report;
        }
    }

    static URI page(int port, String counter) {
        return URI.create("ws://127.0.0.1:" + port + "/ws?counter=" + counter);
    }

    /** Sends {@code presses} presses at {@code rate}/s; {@code sent[k]} gets the k-th send time. Returns the start. */
    private static long pace(WsFleet fleet, int presser, int presses, double rate, long[] sent) {
        long start = System.nanoTime();
        for (int k = 1; k <= presses; k++) {
            long due = start + (long) ((k - 1) * 1e9 / rate);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (sent != null) {
                sent[k] = System.nanoTime();
            }
            fleet.send(presser, "{\"action\":\"plus\"}");
        }
        return start;
    }

    private static void awaitAll(WsFleet fleet, int pages, long value, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int p = 0; p < pages; p++) {
            while (fleet.lastValue(p) < value) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("value " + value + " did not reach every page within " + timeout
                            + " (page " + p + " shows " + fleet.lastValue(p) + ")");
                }
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}

package dev.livecounter.bench;

import dev.livecounter.local.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 1, change -> last page: pages spread evenly over two broadcaster replicas, a presser on replica 2
 * pressing + at a steady rate; for every press, the time from sending it until the last page (of all of them)
 * shows a value that includes it, measured at the clients. Pages on replica 2 get the change straight from the
 * presser's replica; pages on replica 1 from its post to its peers (or, if that is slower, through DynamoDB's
 * stream and the stream reader's post).
 *
 * <pre>bench.sh latency [--sockets=1000] [--rate=5] [--seconds=60] [--poll=200ms] [--connect-rate=200] [--warmup=10 (s)]</pre>
 */
final class LatencyScenario extends Scenario {

    private static final String PLUS = "{\"action\":\"plus\"}";

    LatencyScenario() {
        super(2, messageBudget(100));
    }

    /** When each page first showed each press: {@code shown[page][k]}, nanoTime, for the k-th measured press. */
    private record Shown(long[][] at, long[] value, AtomicLong base) {
        Shown(int pages, int presses) {
            this(new long[pages][presses + 2], new long[pages], new AtomicLong(Long.MIN_VALUE));
        }

        void record(int page, long value, long nanos) {
            if (page >= at.length || base.get() == Long.MIN_VALUE) {
                return;
            }
            for (long v = Math.max(this.value[page], 0) + 1; v <= Math.min(value - base.get(), at[page].length - 1); v++) {
                at[page][(int) v] = nanos;
            }
            this.value[page] = Math.max(this.value[page], value - base.get());
        }
    }

    @Override
    Report measure(LocalStack stack, Options o, Path out) {
        int pages = o.integer("sockets", 1000, 2, WsFleet.MAX_SOCKETS - 1);
        double rate = o.number("rate", 5, 0.1, 100);
        int seconds = o.integer("seconds", 60, 1, 600);
        int presses = (int) Math.max(1, Math.round(rate * seconds));
        String counter = Bench.uniqueCounter("latency");
        int presser = pages;
        int[] replicaPort = {stack.broadcaster(0).port(), stack.broadcaster(1).port()};
        Shown shown = new Shown(pages, presses);
        try (WsFleet fleet = new WsFleet(pages + 1)) {
            fleet.listener((socket, value, version, online, nanos) -> shown.record(socket, value, nanos));
            openPages(fleet, pages + 1, i -> page(replicaPort[i == presser ? 1 : i % 2], counter), o);
            long base = warmUp(fleet, pages, rate, o.integer("warmup", 10, 0, 300));
            Arrays.fill(shown.value(), 0);
            shown.base().set(base);
            List<ServiceMeters> before = meters(stack);

            long[] sent = new long[presses + 2];
            long start = Pace.paced(presses, rate, k -> {
                sent[k + 1] = System.nanoTime();
                fleet.send(presser, PLUS);
            });
            Pace.awaitValue(fleet, pages, base + presses, Duration.ofSeconds(30));
            Bench.sleep(100);
            Report report = report(fleet, o, out, shown.at(), sent, start);
            report.note("%s", whereTheTimeGoes(before, meters(stack), shown.at(), sent));
            return report;
        }
    }

    /**
     * One press that waits out KCL's first lease assignment on a fresh stack, then presses at the measured rate,
     * unmeasured: a replica in service has its press path compiled by the JIT, a fresh stack interprets it for the
     * first seconds ({@code --warmup=0} measures that too). Returns the value every page shows after it.
     */
    private static long warmUp(WsFleet fleet, int pages, double rate, int seconds) {
        int presser = pages;
        long before = fleet.lastValue(0);
        long warm = System.nanoTime();
        fleet.send(presser, PLUS);
        Pace.awaitValue(fleet, pages, before + 1, Duration.ofMinutes(3));
        System.out.printf(Locale.ROOT, "latency: stream live, warm-up press seen everywhere after %.1f s%n", (System.nanoTime() - warm) / 1e9);
        int warmPresses = (int) Math.round(rate * seconds);
        Pace.paced(warmPresses, rate, k -> fleet.send(presser, PLUS));
        Pace.awaitValue(fleet, pages, before + 1 + warmPresses, Duration.ofMinutes(1));
        return before + 1 + warmPresses;
    }

    private static Report report(WsFleet fleet, Options o, Path out, long[][] shown, long[] sent, long start) {
        int pages = shown.length;
        int presses = sent.length - 2;
        double rate = o.number("rate", 5, 0.1, 100);
        List<double[]> each = List.of(new double[presses * (pages / 2 + 1)], new double[presses * (pages / 2 + 1)]);
        int[] eachCount = new int[2];
        double[] last = new double[presses];
        List<String> samples = new ArrayList<>();
        int missing = 0;
        for (int k = 1; k <= presses; k++) {
            for (int p = 0; p < pages; p++) {
                if (shown[p][k] == 0) {
                    missing++;
                    continue;
                }
                double ms = (shown[p][k] - sent[k]) / 1e6;
                each.get(p % 2)[eachCount[p % 2]++] = ms;
                last[k - 1] = Math.max(last[k - 1], ms);
            }
            samples.add(String.format(Locale.ROOT, "%d,%.1f,%.2f", k, (sent[k] - start) / 1e6, last[k - 1]));
        }
        Report.samples(out, "latency-samples.csv", "press,sent_ms,last_page_ms", samples);
        double[] other = sorted(Arrays.copyOf(each.get(0), eachCount[0]));
        double[] same = sorted(Arrays.copyOf(each.get(1), eachCount[1]));
        double[] lastSorted = sorted(last.clone());
        Report report = new Report("latency", "Scenario 1: change -> last page (press on replica 2, pages on both replicas)",
                "measure", "n", "p50 ms", "p95 ms", "p99 ms", "max ms", "goal", "met");
        double p99 = Bench.percentile(lastSorted, 99);
        report.row("press -> last of " + pages + " pages", lastSorted.length, Bench.percentile(lastSorted, 50),
                Bench.percentile(lastSorted, 95), p99, lastSorted[lastSorted.length - 1], "p99 <= 250 ms", p99 <= 250 ? "yes" : "NO");
        distribution(report, "press -> each page on replica 1 (the other)", other);
        distribution(report, "press -> each page on replica 2 (presser's)", same);
        report.note("%d pages (%d per replica) + 1 presser on replica 2, %.1f presses/s for %d s (%d presses) after %d s of unmeasured ones, stream poll interval %s, coalescing %s",
                pages, pages / 2, rate, o.integer("seconds", 60, 1, 600), presses, o.integer("warmup", 10, 0, 300),
                o.string("poll", "200ms (default)"), o.string("coalesce", "50ms (default)"));
        report.note("page-press pairs never shown: %d; error frames: %d; sockets closed by the server: %d",
                missing, fleet.errorFrames(), fleet.closedByServer());
        new Chart("Press -> page latency, " + pages + " pages on 2 replicas, " + Report.fmt(rate) + " presses/s",
                "latency (ms)", "percent of presses / page-presses at or below")
                .cdf("press -> last page", last)
                .cdf("each page, replica 1 (the other)", other)
                .cdf("each page, replica 2 (presser's)", same)
                .verticalLine(250, "goal: p99 <= 250 ms")
                .write(out.resolve("latency.png"));
        return report;
    }

    /** counter-service's, replica 1's and replica 2's meters now. */
    private static List<ServiceMeters> meters(LocalStack stack) {
        return List.of(ServiceMeters.read(stack.counterService()), ServiceMeters.read(stack.broadcaster(0)),
                ServiceMeters.read(stack.broadcaster(1)));
    }

    /**
     * The path's hops as the services' own meters saw them over the measured presses (means: the meters keep no
     * per-press record), beside the clients' mean: what is not in a hop is the sockets, the HTTP hops and the waits
     * for a thread between them.
     */
    private static String whereTheTimeGoes(List<ServiceMeters> before, List<ServiceMeters> after, long[][] shown, long[] sent) {
        ServiceMeters.Timed answer = after.get(0).since(before.get(0), "http_server_requests", "uri=\"/counters/{name}/increment\"");
        ServiceMeters.Timed transaction = after.get(0).since(before.get(0), "livecounter_dynamodb_calls", "operation=\"TransactWriteItems\"");
        ServiceMeters.Timed read = after.get(0).since(before.get(0), "livecounter_dynamodb_calls", "operation=\"GetItem\"");
        ServiceMeters.Timed flushOther = after.get(1).since(before.get(1), "livecounter_change_frame_latency");
        ServiceMeters.Timed postIn = after.get(1).since(before.get(1), "http_server_requests", "uri=\"/internal/broadcast\"");
        ServiceMeters.Timed flushSame = after.get(2).since(before.get(2), "livecounter_change_frame_latency");
        ServiceMeters.Timed post = after.get(2).since(before.get(2), "livecounter_broadcast_peer_latency");
        double[] mean = new double[2];
        long[] n = new long[2];
        for (int p = 0; p < shown.length; p++) {
            for (int k = 1; k < sent.length - 1; k++) {
                if (shown[p][k] != 0) {
                    mean[p % 2] += (shown[p][k] - sent[k]) / 1e6;
                    n[p % 2]++;
                }
            }
        }
        return String.format(Locale.ROOT, "where the time goes (means over the measured presses, from the services' meters): "
                        + "press -> page, at the clients: replica 2 %.1f ms, replica 1 %.1f ms; counter-service's answer %.1f ms "
                        + "(n %d: transaction %.1f ms, read after it %.1f ms, %d and %d calls); replica 2: change in -> frames "
                        + "flushed %.1f ms per event loop (n %d), post to replica 1 answered %.1f ms (n %d, the stream reader's "
                        + "posts included); replica 1: post handled %.1f ms (n %d), change in -> frames flushed %.1f ms (n %d)",
                mean[1] / Math.max(1, n[1]), mean[0] / Math.max(1, n[0]), answer.meanMillis(), answer.count(),
                transaction.meanMillis(), read.meanMillis(), transaction.count(), read.count(),
                flushSame.meanMillis(), flushSame.count(), post.meanMillis(), post.count(),
                postIn.meanMillis(), postIn.count(), flushOther.meanMillis(), flushOther.count());
    }

    private static void distribution(Report report, String measure, double[] sorted) {
        report.row(measure, sorted.length, Bench.percentile(sorted, 50), Bench.percentile(sorted, 95),
                Bench.percentile(sorted, 99), sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1], "", "");
    }

    private static double[] sorted(double[] values) {
        Arrays.sort(values);
        return values;
    }
}

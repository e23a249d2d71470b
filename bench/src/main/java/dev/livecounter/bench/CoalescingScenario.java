package dev.livecounter.bench;

import dev.livecounter.local.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario 5, coalescing: presses at a high rate on one counter, from pressers on both replicas, while pages on
 * both replicas count the frames they get per second. A page must get at most one frame per coalescing interval,
 * and once the presses stop, every page must show exactly the value the database holds.
 *
 * <pre>bench.sh coalescing [--sockets=1000] [--pressers=10] [--rate=1000] [--seconds=20] [--warmup=10 (s)]</pre>
 */
final class CoalescingScenario implements Bench.Scenario {

    @Override
    public LocalStack.Builder stack(Bench.Options o) {
        return Bench.baseStack(2, o)
                .broadcasterEnv("LIVECOUNTER_LIMITS_MESSAGES_PER_SECOND", "2000")
                .broadcasterEnv("LIVECOUNTER_LIMITS_MESSAGE_BURST", "2000");
    }

    @Override
    public Report run(LocalStack stack, Bench.Options o, Path out) {
        int pages = o.integer("sockets", 1000, 2, WsFleet.MAX_SOCKETS - 100);
        int pressers = o.integer("pressers", 10, 1, 100);
        double rate = o.number("rate", 1000, 1, 10_000);
        int seconds = o.integer("seconds", 20, 1, 300);
        double intervalMs = Bench.millis(o.string("coalesce", "50ms"));
        String loadBefore = Machine.loadAverage();
        String counter = Bench.uniqueCounter("coalesce");
        int[] ports = {stack.broadcaster(0).port(), stack.broadcaster(1).port()};
        int buckets = seconds + 2;
        AtomicIntegerArray perSecond = new AtomicIntegerArray(pages * buckets);
        AtomicLong windowStart = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean measuring = new AtomicBoolean();
        List<double[]> dbSamples = new CopyOnWriteArrayList<>();
        Report report = new Report("coalescing", "Scenario 5: coalescing, " + Report.fmt(rate) + " presses/s on one counter",
                "measure", "value", "goal", "met");
        try (WsFleet fleet = new WsFleet(pages + pressers)) {
            fleet.listener((socket, value, version, online, nanos) -> {
                if (socket < pages && measuring.get()) {
                    long bucket = (nanos - windowStart.get()) / 1_000_000_000L;
                    if (bucket >= 0 && bucket < buckets) {
                        perSecond.incrementAndGet(socket * buckets + (int) bucket);
                    }
                }
            });
            fleet.open(0, pages + pressers, i -> LatencyScenario.page(ports[i % 2], counter), 16, o.number("connect-rate", Bench.CONNECT_RATE, 0, 100_000), Duration.ofMinutes(5));
            LatencyScenario.check(fleet.upgraded() == pages + pressers, "only " + fleet.upgraded() + " sockets opened: " + fleet.lastFailure());
            LatencyScenario.check(fleet.awaitWelcomed(0, pages + pressers, Duration.ofMinutes(2)), "not every page got its first count");
            // warm-up press: waits out KCL's first lease assignment on a fresh stack
            long before = fleet.lastValue(0);
            fleet.send(pages, "{\"action\":\"plus\"}");
            awaitPages(fleet, pages, before + 1, Duration.ofMinutes(3));
            // then the same load, unmeasured: a fresh stack interprets the press path for its first seconds
            int warmPresses = (int) Math.round(rate * o.integer("warmup", 10, 0, 300));
            press(fleet, pages, pressers, warmPresses, rate);
            awaitPages(fleet, pages, before + 1 + warmPresses, Duration.ofMinutes(4));
            long initial = before + 1 + warmPresses;

            long start = System.nanoTime();
            windowStart.set(start);
            measuring.set(true);
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    try {
                        long value = Http.value(stack, counter);
                        if (value != Long.MIN_VALUE) {
                            dbSamples.add(new double[] {(System.nanoTime() - start) / 1e9, value - initial});
                        }
                    } catch (RuntimeException e) {
                        // counter-service busy; next sample
                    }
                    Bench.sleep(500);
                }
            }, "coalescing-sampler");
            sampler.setDaemon(true);
            sampler.start();
            int presses = (int) Math.round(rate * seconds);
            press(fleet, pages, pressers, presses, rate);
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            measuring.set(false);

            // settle: the database stops moving and every page shows what it holds
            // the database applies presses slower than they come (DynamoDB Local: a few hundred updates/s)
            long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
            long db = Long.MIN_VALUE;
            int matching = 0;
            long settledAt = 0;
            while (System.nanoTime() < deadline) {
                long now = Http.value(stack, counter);
                if (now == Long.MIN_VALUE) {
                    Bench.sleep(1000);
                    continue;
                }
                matching = 0;
                for (int p = 0; p < pages; p++) {
                    if (fleet.lastValue(p) == now) {
                        matching++;
                    }
                }
                if (now == db && matching == pages) {
                    settledAt = System.nanoTime();
                    break;
                }
                db = now;
                Bench.sleep(1000);
            }
            sampling.set(false);
            long applied = db - initial;
            double appliedPerSecond = applied / Math.max(sendSeconds, (dbTimeOf(dbSamples, applied) > 0 ? dbTimeOf(dbSamples, applied) : sendSeconds));

            // frames per page per second over the whole seconds of the press window
            long frames = 0;
            int maxInASecond = 0;
            double[] meanPerBucket = new double[seconds];
            double[] maxPerBucket = new double[seconds];
            for (int b = 0; b < seconds; b++) {
                long sum = 0;
                int max = 0;
                for (int p = 0; p < pages; p++) {
                    int n = perSecond.get(p * buckets + b);
                    sum += n;
                    max = Math.max(max, n);
                }
                frames += sum;
                meanPerBucket[b] = sum / (double) pages;
                maxPerBucket[b] = max;
                maxInASecond = Math.max(maxInASecond, max);
            }
            double framesPerPage = frames / (double) pages / seconds;
            double limit = 1000.0 / intervalMs;
            report.row("presses sent", String.format(Locale.ROOT, "%,d in %.1f s = %,.0f/s", presses, sendSeconds, presses / sendSeconds),
                    Report.fmt(rate) + "/s", presses / sendSeconds >= rate * 0.95 ? "yes" : "NO");
            report.row("presses applied (database value)", String.format(Locale.ROOT, "%,d = %,.0f/s", applied, appliedPerSecond),
                    "all presses sent", applied == presses - fleet.errorFrames() && fleet.errorFrames() == 0 ? "yes" : "NO");
            report.row("frames per page per second (mean over the window)", framesPerPage,
                    "<= " + Report.fmt(limit) + " (1 per " + Report.fmt(intervalMs) + " ms)", framesPerPage <= limit ? "yes" : "NO");
            report.row("most frames one page got in one second", maxInASecond, "<= " + Report.fmt(limit + 1), maxInASecond <= limit + 1 ? "yes" : "NO");
            report.row("pages showing the database's final value", String.format(Locale.ROOT, "%,d of %,d (value %,d)", matching, pages, db),
                    "all", matching == pages ? "yes" : "NO");
            report.note("%,d pages (half per replica) + %d pressers alternating replicas, %s presses/s for %d s after %d s of unmeasured ones; error frames %d, closed by the server %d",
                    pages, pressers, Report.fmt(rate), seconds, o.integer("warmup", 10, 0, 300), fleet.errorFrames(), fleet.closedByServer());
            report.note("settled (database still, every page on its value) %.1f s after the last press",
                    settledAt == 0 ? Double.NaN : (settledAt - start) / 1e9 - sendSeconds);
            report.note("coalescing %s ms, stream poll %s; load average before %s, after %s",
                    Report.fmt(intervalMs), o.string("poll", "200ms (default)"), loadBefore, Machine.loadAverage());
            List<String> lines = new ArrayList<>();
            for (int b = 0; b < seconds; b++) {
                lines.add(String.format(Locale.ROOT, "%d,%.2f,%.0f", b, meanPerBucket[b], maxPerBucket[b]));
            }
            Report.samples(out, "coalescing-samples.csv", "second,mean_frames_per_page,max_frames_per_page", lines);
            double[] xs = new double[seconds];
            for (int b = 0; b < seconds; b++) {
                xs[b] = b + 0.5;
            }
            new Chart("Coalescing: " + Report.fmt(rate) + " presses/s on one counter, " + String.format(Locale.ROOT, "%,d", pages) + " pages",
                    "second of the press window", "frames per page in that second")
                    .line("mean over pages", xs, meanPerBucket)
                    .line("most any page got", xs, maxPerBucket)
                    .horizontalLine(limit, "limit: 1 frame per " + Report.fmt(intervalMs) + " ms")
                    .yMax(Math.max(limit * 1.25, maxInASecond * 1.1))
                    .write(out.resolve("coalescing.png"));
        }
        return report;
    }

    /** {@code presses} presses at {@code rate}/s, taking turns over the pressers (sockets from {@code pages} on). */
    private static void press(WsFleet fleet, int pages, int pressers, int presses, double rate) {
        long start = System.nanoTime();
        for (int i = 0; i < presses; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            fleet.send(pages + i % pressers, "{\"action\":\"plus\"}");
        }
    }

    /** When the database value first reached {@code applied}, in seconds since the first press; 0 if never sampled. */
    private static double dbTimeOf(List<double[]> samples, long applied) {
        for (double[] s : samples) {
            if (s[1] >= applied) {
                return s[0];
            }
        }
        return 0;
    }

    private static void awaitPages(WsFleet fleet, int pages, long value, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int p = 0; p < pages; p++) {
            while (fleet.lastValue(p) < value) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("value " + value + " did not reach every page within " + timeout);
                }
                Bench.sleep(5);
            }
        }
    }
}

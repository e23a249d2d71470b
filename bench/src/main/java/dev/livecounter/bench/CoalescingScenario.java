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

/**
 * Scenario 5, coalescing: presses at a high rate on one counter, from pressers on both replicas, while pages on
 * both replicas count the frames they get per second. A page must get at most one frame per coalescing interval,
 * and once the presses stop, every page must show exactly the value the database holds.
 *
 * <pre>bench.sh coalescing [--sockets=1000] [--pressers=10] [--rate=1000] [--seconds=20] [--warmup=10 (s)]</pre>
 */
final class CoalescingScenario extends Scenario {

    CoalescingScenario() {
        super(2, messageBudget(2000));
    }

    /** Frames per page per second of the press window, and the database value sampled meanwhile. */
    private record Window(int pages, int buckets, AtomicIntegerArray perSecond, AtomicLong start, AtomicBoolean measuring,
            List<double[]> dbSamples) {
        Window(int pages, int seconds) {
            this(pages, seconds + 2, new AtomicIntegerArray(pages * (seconds + 2)), new AtomicLong(Long.MAX_VALUE),
                    new AtomicBoolean(), new CopyOnWriteArrayList<>());
        }

        void frame(int socket, long nanos) {
            if (socket < pages && measuring.get()) {
                long bucket = (nanos - start.get()) / 1_000_000_000L;
                if (bucket >= 0 && bucket < buckets) {
                    perSecond.incrementAndGet(socket * buckets + (int) bucket);
                }
            }
        }
    }

    /** After the presses: the database value once still, how many pages show it, and when that was. */
    private record Settled(long db, int matching, long at) {}

    @Override
    Report measure(LocalStack stack, Options o, Path out) {
        int pages = o.integer("sockets", 1000, 2, WsFleet.MAX_SOCKETS - 100);
        int pressers = o.integer("pressers", 10, 1, 100);
        double rate = o.number("rate", 1000, 1, 10_000);
        int seconds = o.integer("seconds", 20, 1, 300);
        String counter = Bench.uniqueCounter("coalesce");
        int[] ports = {stack.broadcaster(0).port(), stack.broadcaster(1).port()};
        Window window = new Window(pages, seconds);
        try (WsFleet fleet = new WsFleet(pages + pressers)) {
            fleet.listener((socket, value, version, online, nanos) -> window.frame(socket, nanos));
            openPages(fleet, pages + pressers, i -> page(ports[i % 2], counter), o);
            // warm-up press: waits out KCL's first lease assignment on a fresh stack
            long before = fleet.lastValue(0);
            fleet.send(pages, "{\"action\":\"plus\"}");
            Pace.awaitValue(fleet, pages, before + 1, Duration.ofMinutes(3));
            // then the same load, unmeasured: a fresh stack interprets the press path for its first seconds
            int warmPresses = (int) Math.round(rate * o.integer("warmup", 10, 0, 300));
            press(fleet, pages, pressers, warmPresses, rate);
            Pace.awaitValue(fleet, pages, before + 1 + warmPresses, Duration.ofMinutes(4));
            long initial = before + 1 + warmPresses;

            long start = System.nanoTime();
            window.start().set(start);
            window.measuring().set(true);
            AtomicBoolean sampling = new AtomicBoolean(true);
            sampleDatabase(stack, counter, initial, start, window.dbSamples(), sampling);
            int presses = (int) Math.round(rate * seconds);
            press(fleet, pages, pressers, presses, rate);
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            window.measuring().set(false);
            Settled settled = settle(stack, counter, fleet, pages);
            sampling.set(false);
            return report(o, out, fleet, window, settled, initial, presses, sendSeconds, start);
        }
    }

    /** Samples the database value every 500 ms on a daemon thread until {@code sampling} turns false. */
    private static void sampleDatabase(LocalStack stack, String counter, long initial, long start, List<double[]> samples,
            AtomicBoolean sampling) {
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                long value = Http.value(stack, counter);
                if (value != Long.MIN_VALUE) {
                    samples.add(new double[] {(System.nanoTime() - start) / 1e9, value - initial});
                }
                Bench.sleep(500);
            }
        }, "coalescing-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /**
     * Waits (at most 4 minutes) until the database stops moving and every page shows what it holds: the database
     * applies presses slower than they come (DynamoDB Local: a few hundred updates/s).
     */
    private static Settled settle(LocalStack stack, String counter, WsFleet fleet, int pages) {
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        long db = Long.MIN_VALUE;
        int matching = 0;
        while (System.nanoTime() < deadline) {
            long now = Http.value(stack, counter);
            if (now != Long.MIN_VALUE) {
                matching = 0;
                for (int p = 0; p < pages; p++) {
                    matching += fleet.lastValue(p) == now ? 1 : 0;
                }
                if (now == db && matching == pages) {
                    return new Settled(db, matching, System.nanoTime());
                }
                db = now;
            }
            Bench.sleep(1000);
        }
        return new Settled(db, matching, 0);
    }

    private static Report report(Options o, Path out, WsFleet fleet, Window window, Settled settled, long initial,
            int presses, double sendSeconds, long start) {
        double rate = o.number("rate", 1000, 1, 10_000);
        int seconds = o.integer("seconds", 20, 1, 300);
        double intervalMs = Bench.millis(o.string("coalesce", "50ms"));
        int pages = window.pages();
        long applied = settled.db() - initial;
        double dbTime = dbTimeOf(window.dbSamples(), applied);
        double appliedPerSecond = applied / Math.max(sendSeconds, dbTime > 0 ? dbTime : sendSeconds);
        double[] mean = new double[seconds];
        double[] max = new double[seconds];
        long frames = perSecond(window, mean, max);
        int maxInASecond = (int) java.util.Arrays.stream(max).max().orElse(0);
        double framesPerPage = frames / (double) pages / seconds;
        double limit = 1000.0 / intervalMs;
        Report report = new Report("coalescing", "Scenario 5: coalescing, " + Report.fmt(rate) + " presses/s on one counter",
                "measure", "value", "goal", "met");
        report.row("presses sent", String.format(Locale.ROOT, "%,d in %.1f s = %,.0f/s", presses, sendSeconds, presses / sendSeconds),
                Report.fmt(rate) + "/s", presses / sendSeconds >= rate * 0.95 ? "yes" : "NO");
        report.row("presses applied (database value)", String.format(Locale.ROOT, "%,d = %,.0f/s", applied, appliedPerSecond),
                "all presses sent", applied == presses - fleet.errorFrames() && fleet.errorFrames() == 0 ? "yes" : "NO");
        report.row("frames per page per second (mean over the window)", framesPerPage,
                "<= " + Report.fmt(limit) + " (1 per " + Report.fmt(intervalMs) + " ms)", framesPerPage <= limit ? "yes" : "NO");
        report.row("most frames one page got in one second", maxInASecond, "<= " + Report.fmt(limit + 1), maxInASecond <= limit + 1 ? "yes" : "NO");
        report.row("pages showing the database's final value", String.format(Locale.ROOT, "%,d of %,d (value %,d)", settled.matching(), pages, settled.db()),
                "all", settled.matching() == pages ? "yes" : "NO");
        report.note("%,d pages (half per replica) + %d pressers alternating replicas, %s presses/s for %d s after %d s of unmeasured ones; error frames %d, closed by the server %d",
                pages, o.integer("pressers", 10, 1, 100), Report.fmt(rate), seconds, o.integer("warmup", 10, 0, 300), fleet.errorFrames(), fleet.closedByServer());
        report.note("settled (database still, every page on its value) %.1f s after the last press",
                settled.at() == 0 ? Double.NaN : (settled.at() - start) / 1e9 - sendSeconds);
        report.note("coalescing %s ms, stream poll %s", Report.fmt(intervalMs), o.string("poll", "200ms (default)"));
        plot(out, rate, pages, mean, max, limit, maxInASecond, intervalMs);
        return report;
    }

    /** Fills the mean and most frames per page of each second of the window; returns all frames in it. */
    private static long perSecond(Window window, double[] mean, double[] max) {
        long frames = 0;
        for (int b = 0; b < mean.length; b++) {
            long sum = 0;
            for (int p = 0; p < window.pages(); p++) {
                int n = window.perSecond().get(p * window.buckets() + b);
                sum += n;
                max[b] = Math.max(max[b], n);
            }
            frames += sum;
            mean[b] = sum / (double) window.pages();
        }
        return frames;
    }

    private static void plot(Path out, double rate, int pages, double[] mean, double[] max, double limit, int maxInASecond,
            double intervalMs) {
        List<String> lines = new ArrayList<>();
        double[] xs = new double[mean.length];
        for (int b = 0; b < mean.length; b++) {
            lines.add(String.format(Locale.ROOT, "%d,%.2f,%.0f", b, mean[b], max[b]));
            xs[b] = b + 0.5;
        }
        Report.samples(out, "coalescing-samples.csv", "second,mean_frames_per_page,max_frames_per_page", lines);
        new Chart("Coalescing: " + Report.fmt(rate) + " presses/s on one counter, " + String.format(Locale.ROOT, "%,d", pages) + " pages",
                "second of the press window", "frames per page in that second")
                .line("mean over pages", xs, mean)
                .line("most any page got", xs, max)
                .horizontalLine(limit, "limit: 1 frame per " + Report.fmt(intervalMs) + " ms")
                .yMax(Math.max(limit * 1.25, maxInASecond * 1.1))
                .write(out.resolve("coalescing.png"));
    }

    /** {@code presses} presses at {@code rate}/s, taking turns over the pressers (sockets from {@code pages} on). */
    private static void press(WsFleet fleet, int pages, int pressers, int presses, double rate) {
        Pace.paced(presses, rate, i -> fleet.send(pages + i % pressers, "{\"action\":\"plus\"}"));
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
}

package dev.livecounter.bench;

import dev.livecounter.local.LocalStack;
import dev.livecounter.local.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenario 2, sockets one replica holds: opens sockets to one broadcaster in steps and, at every step, once every
 * socket has had its first count, takes the replica's live heap after a full collection ({@code jcmd
 * GC.class_histogram}) and its RSS. Per socket = growth over the empty replica / sockets. The class histograms'
 * difference says where the bytes go.
 *
 * <pre>bench.sh sockets [--sockets=15000] [--step=2500] [--connect-rate=200] [--counters=50]</pre>
 */
final class SocketsScenario implements Bench.Scenario {

    @Override
    public LocalStack.Builder stack(Bench.Options o) {
        return Bench.baseStack(1, o);
    }

    @Override
    public Report run(LocalStack stack, Bench.Options o, Path out) {
        int sockets = o.integer("sockets", 15_000, 1, WsFleet.MAX_SOCKETS);
        int step = o.integer("step", Math.max(1, sockets / 6), 1, sockets);
        double rate = o.number("connect-rate", Bench.CONNECT_RATE, 0, 100_000);
        int counters = o.integer("counters", 50, 1, 10_000);
        int inFlight = o.integer("in-flight", 16, 1, 10_000);
        String loadBefore = Machine.loadAverage();
        ServiceProcess broadcaster = stack.broadcaster(0);
        long pid = broadcaster.process().pid();
        String prefix = Bench.uniqueCounter("sockets");

        // warm up the connect path (classes, JIT, pools), then measure the replica with no page open
        try (WsFleet warmup = new WsFleet(50)) {
            warmup.open(0, 50, i -> LatencyScenario.page(broadcaster.port(), prefix + "-warmup"), 10, 0, Duration.ofSeconds(60));
            warmup.awaitWelcomed(0, 50, Duration.ofSeconds(60));
        }
        Bench.sleep(3000);
        Machine.Histogram empty = Machine.liveHeap(pid);
        long emptyRss = Machine.rssBytes(pid);
        int baseline = openPages(stack);

        List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, empty.totalBytes() / 1e6, emptyRss / 1e6});
        Report report = new Report("sockets", "Scenario 2: sockets one broadcaster replica holds",
                "sockets", "live heap MB", "RSS MB", "heap KB/socket", "RSS KB/socket", "open at replica", "goal", "met");
        report.row(0, empty.totalBytes() / 1e6, emptyRss / 1e6, Double.NaN, Double.NaN, baseline, "", "");
        Machine.Histogram full = empty;
        long start = System.nanoTime();
        int opened = 0;
        try (WsFleet fleet = new WsFleet(sockets)) {
            while (opened < sockets) {
                int to = Math.min(sockets, opened + step);
                fleet.open(opened, to, i -> LatencyScenario.page(broadcaster.port(), prefix + "-" + (i % counters)), inFlight, rate,
                        Duration.ofMinutes(3));
                boolean welcomed = fleet.awaitWelcomed(opened, to, Duration.ofMinutes(3));
                opened = to;
                Machine.Histogram heap = Machine.liveHeap(pid);
                long rss = Machine.rssBytes(pid);
                int open = openPages(stack) - baseline;
                double heapPer = (heap.totalBytes() - empty.totalBytes()) / 1024.0 / opened;
                double rssPer = (rss - emptyRss) / 1024.0 / opened;
                boolean last = opened == sockets;
                report.row(opened, heap.totalBytes() / 1e6, rss / 1e6, heapPer, rssPer, open,
                        last ? "15,000 at <= 20 KB heap each" : "",
                        last ? (opened >= 15_000 && heapPer <= 20 && fleet.failed() == 0 ? "yes" : "NO") : "");
                points.add(new double[] {opened, heap.totalBytes() / 1e6, rss / 1e6});
                System.out.printf(Locale.ROOT, "sockets: %,d open (%s welcomed), heap %.1f MB, RSS %.1f MB, %.1f s%n",
                        opened, welcomed ? "all" : "NOT all", heap.totalBytes() / 1e6, rss / 1e6, (System.nanoTime() - start) / 1e9);
                full = heap;
            }
            report.note("%,d sockets to one replica in steps of %,d, at most %d handshakes in flight and %.0f connects/s, over %d counter(s); failed %d, closed by the server %d",
                    sockets, step, inFlight, rate, counters, fleet.failed(), fleet.closedByServer());
            report.note("live heap = bytes in use after a full GC (jcmd GC.class_histogram); broadcaster JVM %s", Bench.JVM_OPTIONS);
            StringBuilder top = new StringBuilder("heap growth per socket by class: ");
            List<String> lines = new ArrayList<>();
            for (Object[] c : full.growthSince(empty, 15)) {
                double per = (long) c[1] / (double) sockets;
                double instances = (long) c[2] / (double) sockets;
                lines.add(String.format(Locale.ROOT, "%s,%.1f,%.2f", c[0], per, instances));
                if (lines.size() <= 8) {
                    top.append(String.format(Locale.ROOT, "%s %.0f B (%.1f), ", c[0], per, instances));
                }
            }
            report.note("%s", top.substring(0, top.length() - 2));
            Report.samples(out, "sockets-histogram.csv", "class,bytes_per_socket,instances_per_socket", lines);
        }
        report.note("load average before %s, after %s", loadBefore, Machine.loadAverage());
        double[] xs = points.stream().mapToDouble(p -> p[0]).toArray();
        new Chart("One broadcaster replica: memory by open sockets", "open sockets", "MB")
                .line("live heap after full GC", xs, points.stream().mapToDouble(p -> p[1]).toArray())
                .line("RSS", xs, points.stream().mapToDouble(p -> p[2]).toArray())
                .write(out.resolve("sockets.png"));
        return report;
    }

    /** Sockets the replica itself says it holds (its health details). */
    private static int openPages(LocalStack stack) {
        return Http.replicaSockets(stack.broadcaster(0));
    }
}

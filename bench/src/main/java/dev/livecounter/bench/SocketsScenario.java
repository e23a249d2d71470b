package dev.livecounter.bench;

import dev.livecounter.local.LocalStack;
import dev.livecounter.local.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario 2, sockets one replica holds: opens sockets to one broadcaster in steps and, at every step, once every
 * socket has had its first count, takes the replica's live heap after a full collection ({@code jcmd
 * GC.class_histogram}) and its RSS. Per socket = growth over the empty replica / sockets it holds at that step.
 * The class histograms' difference says where the bytes go.
 *
 * <pre>bench.sh sockets [--sockets=19000] [--step=sockets/6] [--connect-rate=200] [--counters=50]</pre>
 */
final class SocketsScenario extends Scenario {

    SocketsScenario() {
        super(1, Map.of());
    }

    /** The replica with no page open: its heap, RSS and the sockets it already counts. */
    private record Empty(Machine.Histogram heap, long rss, int open) {}

    @Override
    Report measure(LocalStack stack, Options o, Path out) {
        int sockets = o.integer("sockets", WsFleet.MAX_SOCKETS, 1, WsFleet.MAX_SOCKETS);
        int step = o.integer("step", Math.max(1, sockets / 6), 1, sockets);
        ServiceProcess broadcaster = stack.broadcaster(0);
        String prefix = Bench.uniqueCounter("sockets");
        Empty empty = empty(broadcaster, prefix);
        List<double[]> points = new ArrayList<>();
        points.add(new double[] {0, empty.heap().totalBytes() / 1e6, empty.rss() / 1e6});
        Report report = new Report("sockets", "Scenario 2: sockets one broadcaster replica holds",
                "sockets", "live heap MB", "RSS MB", "heap KB/socket", "RSS KB/socket", "open at replica", "goal", "met");
        report.row(0, empty.heap().totalBytes() / 1e6, empty.rss() / 1e6, Double.NaN, Double.NaN, empty.open(), "", "");
        try (WsFleet fleet = new WsFleet(sockets)) {
            Machine.Histogram full = empty.heap();
            for (int opened = 0; opened < sockets; opened = Math.min(sockets, opened + step)) {
                full = step(broadcaster, fleet, o, prefix, opened, Math.min(sockets, opened + step), empty, report, points);
            }
            report.note("%,d sockets to one replica in steps of %,d, at most %d handshakes in flight and %.0f connects/s, over %d counter(s); failed %d, closed by the server %d",
                    sockets, step, o.integer("in-flight", 16, 1, 10_000), o.number("connect-rate", Bench.CONNECT_RATE, 0, 100_000),
                    o.integer("counters", 50, 1, 10_000), fleet.failed(), fleet.closedByServer());
            report.note("live heap = bytes in use after a full GC (jcmd GC.class_histogram); broadcaster JVM %s", Bench.JVM_OPTIONS);
            growth(out, report, full, empty.heap(), Math.max(1, Http.replicaSockets(broadcaster) - empty.open()));
        }
        double[] xs = points.stream().mapToDouble(p -> p[0]).toArray();
        new Chart("One broadcaster replica: memory by open sockets", "open sockets", "MB")
                .line("live heap after full GC", xs, points.stream().mapToDouble(p -> p[1]).toArray())
                .line("RSS", xs, points.stream().mapToDouble(p -> p[2]).toArray())
                .write(out.resolve("sockets.png"));
        return report;
    }

    /** Warms up the connect path (classes, JIT, pools), then measures the replica with no page open. */
    private static Empty empty(ServiceProcess broadcaster, String prefix) {
        try (WsFleet warmup = new WsFleet(50)) {
            warmup.open(0, 50, i -> page(broadcaster.port(), prefix + "-warmup"), 10, 0, Duration.ofSeconds(60));
            warmup.awaitWelcomed(0, 50, Duration.ofSeconds(60));
        }
        Bench.sleep(3000);
        long pid = broadcaster.process().pid();
        return new Empty(Machine.liveHeap(pid), Machine.rssBytes(pid), Http.replicaSockets(broadcaster));
    }

    /** Opens sockets {@code from..to-1}, then adds the replica's heap and RSS with them as a row; returns the heap. */
    private static Machine.Histogram step(ServiceProcess broadcaster, WsFleet fleet, Options o, String prefix, int from, int to,
            Empty empty, Report report, List<double[]> points) {
        int counters = o.integer("counters", 50, 1, 10_000);
        int sockets = o.integer("sockets", WsFleet.MAX_SOCKETS, 1, WsFleet.MAX_SOCKETS);
        long started = System.nanoTime();
        fleet.open(from, to, i -> page(broadcaster.port(), prefix + "-" + (i % counters)), o.integer("in-flight", 16, 1, 10_000),
                o.number("connect-rate", Bench.CONNECT_RATE, 0, 100_000), Duration.ofMinutes(3));
        boolean welcomed = fleet.awaitWelcomed(from, to, Duration.ofMinutes(3));
        long pid = broadcaster.process().pid();
        Machine.Histogram heap = Machine.liveHeap(pid);
        long rss = Machine.rssBytes(pid);
        // per socket the replica holds: a socket the server closed (its connect timed out on a starved machine) is
        // freed, so dividing by the sockets opened would flatter the figure
        int open = Http.replicaSockets(broadcaster) - empty.open();
        int held = Math.max(1, open);
        double heapPer = (heap.totalBytes() - empty.heap().totalBytes()) / 1024.0 / held;
        double rssPer = (rss - empty.rss()) / 1024.0 / held;
        boolean last = to == sockets;
        report.row(to, heap.totalBytes() / 1e6, rss / 1e6, heapPer, rssPer, open,
                last ? "19,000 held at <= 5 KB heap each" : "",
                last ? (open >= 19_000 && heapPer <= 5 && fleet.failed() == 0 && fleet.closedByServer() == 0 ? "yes" : "NO") : "");
        points.add(new double[] {to, heap.totalBytes() / 1e6, rss / 1e6});
        System.out.printf(Locale.ROOT, "sockets: %,d open (%s welcomed), heap %.1f MB, RSS %.1f MB, step %.1f s%n",
                to, welcomed ? "all" : "NOT all", heap.totalBytes() / 1e6, rss / 1e6, (System.nanoTime() - started) / 1e9);
        return heap;
    }

    /** Where the bytes went: the classes that grew most, per socket, as a note and a CSV. */
    private static void growth(Path out, Report report, Machine.Histogram full, Machine.Histogram empty, int sockets) {
        StringBuilder top = new StringBuilder("heap growth per socket by class: ");
        List<String> lines = new ArrayList<>();
        for (Object[] c : full.growthSince(empty, 40)) {
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
}

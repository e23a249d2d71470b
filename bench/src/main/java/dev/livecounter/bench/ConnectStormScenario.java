package dev.livecounter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livecounter.local.LocalStack;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Scenario 4, connect storm: opens sockets to one replica as fast as handshakes complete (at most
 * {@code --in-flight} at a time) and follows three curves: upgrades accepted, sockets with a first count frame (their
 * welcome, or a live update before it: a page is subscribed before it is counted), and {@code online} in the
 * database, the figure that says the sockets are counted. Then closes
 * them all and waits until {@code online} is back where it was. Lost = a socket refused or dropped, a welcome
 * missing, or the database's count off by any number.
 *
 * <pre>bench.sh storm [--sockets=3000] [--in-flight=1000] [--rate=0 (unpaced)] [--warmup=sockets (0: a cold storm)]</pre>
 */
final class ConnectStormScenario implements Bench.Scenario {

    @Override
    public LocalStack.Builder stack(Bench.Options o) {
        return Bench.baseStack(1, o);
    }

    @Override
    public Report run(LocalStack stack, Bench.Options o, Path out) {
        int sockets = o.integer("sockets", 3_000, 1, WsFleet.MAX_SOCKETS);
        int inFlight = o.integer("in-flight", 1000, 1, 10_000);
        double rate = o.number("rate", 0, 0, 100_000);
        // every socket a visitor of its own, as pages send one (the connect transaction's heaviest case: a visitor
        // marker per connect); --visitors=false: old clients without one
        boolean visitors = o.flag("visitors", true);
        String loadBefore = Machine.loadAverage();
        String counter = Bench.uniqueCounter("storm");
        int port = stack.broadcaster(0).port();
        // [seconds, upgraded, welcomed, online in the database]
        List<double[]> samples = new CopyOnWriteArrayList<>();
        Report report = new Report("storm", "Scenario 4: connect storm on one replica",
                "measure", "value", "goal", "met");
        // warm-up: the same storm on another counter, unmeasured: a replica that has run for a while has its connect
        // path compiled by the JIT, a fresh stack interprets it (a cold storm: --warmup=0)
        int warm = o.integer("warmup", sockets, 0, WsFleet.MAX_SOCKETS);
        String warmCounter = counter + "-warmup";
        if (warm > 0) {
            try (WsFleet warmup = new WsFleet(warm)) {
                warmup.open(0, warm, i -> page(port, warmCounter, visitors, i), inFlight, rate, Duration.ofMinutes(3));
                warmup.awaitWelcomed(0, warm, Duration.ofMinutes(3));
                awaitOnline(stack, warmCounter, () -> warmup.upgraded() - warmup.closedByServer(), Duration.ofMinutes(8));
                warmup.closeRange(0, warm);
                awaitOnline(stack, warmCounter, () -> 0, Duration.ofMinutes(8));
            }
        }
        try (WsFleet fleet = new WsFleet(sockets)) {
            long start = System.nanoTime();
            java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    double online = onlineOrNaN(stack, counter);
                    samples.add(new double[] {(System.nanoTime() - start) / 1e9, fleet.upgraded(), fleet.welcomed(0, sockets), online});
                    Bench.sleep(200);
                }
            }, "storm-sampler");
            sampler.setDaemon(true);
            sampler.start();
            fleet.open(0, sockets, i -> page(port, counter, visitors, i), inFlight, rate, Duration.ofMinutes(3));
            fleet.awaitWelcomed(0, sockets, Duration.ofMinutes(3));
            long countedAt = awaitOnline(stack, counter, () -> fleet.upgraded() - fleet.closedByServer(), Duration.ofMinutes(8));
            Bench.sleep(1000);
            sampling.set(false);
            JsonNode db = Http.counter(stack, counter);

            long lastUpgrade = 0;
            long lastWelcome = 0;
            for (int i = 0; i < sockets; i++) {
                lastUpgrade = Math.max(lastUpgrade, fleet.upgradedAt(i));
                lastWelcome = Math.max(lastWelcome, fleet.firstFrameAt(i));
            }
            int welcomed = fleet.welcomed(0, sockets);
            double accepted = fleet.upgraded() / ((lastUpgrade - start) / 1e9);
            double registered = welcomed / ((lastWelcome - start) / 1e9);
            double counted = countedAt == 0 ? 0 : db.path("online").asLong() / ((countedAt - start) / 1e9);
            long stillOpen = fleet.upgraded() - fleet.closedByServer();
            // a socket is lost when it was refused, got no count, or the server closed it (1013: not registered)
            long lost = (sockets - fleet.upgraded()) + (fleet.upgraded() - welcomed) + fleet.closedByServer();
            report.row("sockets opened (attempted)", String.format(Locale.ROOT, "%,d of %,d", fleet.upgraded(), sockets), "", "");
            report.row("accepted connects/s (upgrade done)", accepted, ">= 1,000/s", accepted >= 1000 ? "yes" : "NO");
            report.row("sockets with a first count frame /s", registered, "", "");
            report.row("counted connects/s (database online = sockets)", counted, ">= 1,000/s", counted >= 1000 ? "yes" : "NO");
            report.row("database online = sockets open / visits", db.path("online").asLong() + " of " + stillOpen + " / " + db.path("visits").asLong(),
                    sockets + " of " + sockets + " / " + sockets, db.path("online").asLong() == sockets && stillOpen == sockets ? "yes" : "NO");
            report.row("lost (refused, no count frame, closed by the server)", lost, "0", lost == 0 ? "yes" : "NO");
            report.note("%,d sockets to one replica after a warm-up of %d, %s, at most %,d handshakes in flight, %s; failed %d (%s), error frames %d, closed by the server %d",
                    sockets, warm, visitors ? "each a new visitor" : "no visitor ids", inFlight, rate > 0 ? "at most " + Report.fmt(rate) + " connects/s" : "unpaced", fleet.failed(),
                    fleet.lastFailure() == null ? "none" : fleet.lastFailure(), fleet.errorFrames(), fleet.closedByServer());
            report.note("all upgrades done %.2f s after the first connect, all welcomes %.2f s, database count complete %.2f s",
                    (lastUpgrade - start) / 1e9, (lastWelcome - start) / 1e9, countedAt == 0 ? Double.NaN : (countedAt - start) / 1e9);

            // and the way back: every socket closes at once, online must return to 0
            long closing = System.nanoTime();
            fleet.closeRange(0, sockets);
            long zeroAt = awaitOnline(stack, counter, () -> 0, Duration.ofMinutes(8));
            double disconnects = zeroAt == 0 ? 0 : sockets / ((zeroAt - closing) / 1e9);
            JsonNode after = Http.counter(stack, counter);
            report.row("disconnects counted/s (online back to 0)", disconnects, "", "");
            report.row("database after closing all: online", after.path("online").asLong(), "0", after.path("online").asLong() == 0 ? "yes" : "NO");
            report.note("load average before %s, after %s", loadBefore, Machine.loadAverage());
        }
        List<double[]> s = new ArrayList<>(samples);
        double[] t = s.stream().mapToDouble(p -> p[0]).toArray();
        List<String> lines = s.stream().map(p -> String.format(Locale.ROOT, "%.2f,%.0f,%.0f,%.0f", p[0], p[1], p[2], p[3])).toList();
        Report.samples(out, "storm-samples.csv", "seconds,upgraded,welcomed,db_online", lines);
        new Chart("Connect storm: " + String.format(Locale.ROOT, "%,d", sockets) + " sockets to one replica", "seconds since the first connect", "sockets")
                .line("upgrades accepted", t, s.stream().mapToDouble(p -> p[1]).toArray())
                .line("first count frame received", t, s.stream().mapToDouble(p -> p[2]).toArray())
                // a read that timed out (the database busy) leaves a gap rather than a drop to 0
                .line("online in the database", s.stream().filter(p -> !Double.isNaN(p[3])).mapToDouble(p -> p[0]).toArray(),
                        s.stream().filter(p -> !Double.isNaN(p[3])).mapToDouble(p -> p[3]).toArray())
                .write(out.resolve("storm.png"));
        return report;
    }

    private static URI page(int port, String counter, boolean visitor, int i) {
        URI page = LatencyScenario.page(port, counter);
        return visitor ? URI.create(page + "&visitor=" + counter + "-" + i) : page;
    }

    private static double onlineOrNaN(LocalStack stack, String counter) {
        try {
            return Http.counter(stack, counter).path("online").asDouble();
        } catch (RuntimeException notYet) {
            return Double.NaN; // the counter does not exist before its first connect
        }
    }

    /** nanoTime when the database's online count first equals {@code expected}; 0 on timeout. */
    private static long awaitOnline(LocalStack stack, String counter, java.util.function.LongSupplier expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (onlineOrNaN(stack, counter) == expected.getAsLong()) {
                return System.nanoTime();
            }
            Bench.sleep(50);
        }
        return 0;
    }
}

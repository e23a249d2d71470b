package dev.livecounter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livecounter.local.LocalStack;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Scenario 4, connect storm: opens sockets to one replica as fast as handshakes complete (at most
 * {@code --in-flight} at a time) and follows three curves: upgrades accepted, sockets with a first count frame (their
 * welcome, or a live update before it: a page is subscribed before it is counted), and {@code online} in the
 * database, the figure that says the sockets are counted. Then closes them all and waits until {@code online} is
 * back where it was. Lost = a socket refused or dropped, a welcome missing, or the database's count off by any
 * number. Last, in the same run, the database ceiling ({@link ConnectCeiling}): the same connect transactions
 * straight at DynamoDB Local, so the counted rate is also a share of what the database does here.
 *
 * <pre>bench.sh storm [--sockets=3000] [--in-flight=1000] [--rate=0 (unpaced)] [--warmup=sockets (0: a cold storm)] [--visitors=true] [--ceiling=true]</pre>
 */
final class ConnectStormScenario extends Scenario {

    ConnectStormScenario() {
        super(1, Map.of());
    }

    /** The storm's timeline: from the first connect, when the last upgrade, welcome and database count came. */
    private record Storm(long start, long lastUpgrade, long lastWelcome, long countedAt, int welcomed) {
        double seconds(long at) {
            return at == 0 ? Double.NaN : (at - start) / 1e9;
        }
    }

    @Override
    Report measure(LocalStack stack, Options o, Path out) {
        int sockets = o.integer("sockets", 3_000, 1, WsFleet.MAX_SOCKETS);
        String counter = Bench.uniqueCounter("storm");
        // [seconds, upgraded, welcomed, online in the database]
        List<double[]> samples = new CopyOnWriteArrayList<>();
        Report report = new Report("storm", "Scenario 4: connect storm on one replica", "measure", "value", "goal", "met");
        // warm-up: the same storm on another counter, unmeasured: a replica that has run for a while has its connect
        // path compiled by the JIT, a fresh stack interprets it (a cold storm: --warmup=0)
        int warm = o.integer("warmup", sockets, 0, WsFleet.MAX_SOCKETS);
        if (warm > 0) {
            try (WsFleet warmup = new WsFleet(warm)) {
                storm(stack, o, warmup, counter + "-warmup", warm);
                warmup.closeRange(0, warm);
                awaitOnline(stack, counter + "-warmup", () -> 0, Duration.ofMinutes(8));
            }
        }
        double counted;
        try (WsFleet fleet = new WsFleet(sockets)) {
            AtomicBoolean sampling = new AtomicBoolean(true);
            long start = System.nanoTime();
            sample(stack, counter, fleet, sockets, start, samples, sampling);
            Map<Long, String> names = new HashMap<>();
            stack.all().forEach(service -> names.put(service.process().pid(), service.name()));
            Map<String, Long> cpuBefore = Machine.cpuByProcess(names);
            Storm storm = storm(stack, o, fleet, counter, sockets);
            // where the 2 cores went while the storm was being counted (the ceiling row gives DynamoDB Local all)
            report.note("CPU from the first connect until the database count was complete (%% of one core; the machine has %d): %s",
                    Runtime.getRuntime().availableProcessors(),
                    Machine.cpuBetween(cpuBefore, Machine.cpuByProcess(names), storm.seconds(storm.countedAt())));
            Bench.sleep(1000);
            sampling.set(false);
            counted = stormRows(report, o, fleet, storm, Http.counter(stack, counter), warm);
            closeAll(stack, counter, fleet, report, sockets);
        }
        if (o.flag("ceiling", true)) {
            ceiling(stack, o, report, counter, sockets, counted);
        }
        plot(out, sockets, new ArrayList<>(samples));
        return report;
    }

    /** Opens {@code sockets} sockets unpaced (or at {@code --rate}) and waits until the database counts them all. */
    private static Storm storm(LocalStack stack, Options o, WsFleet fleet, String counter, int sockets) {
        boolean visitors = o.flag("visitors", true);
        long start = System.nanoTime();
        int port = stack.broadcaster(0).port();
        fleet.open(0, sockets, i -> page(port, counter, visitors, i), o.integer("in-flight", 1000, 1, 10_000),
                o.number("rate", 0, 0, 100_000), Duration.ofMinutes(3));
        fleet.awaitWelcomed(0, sockets, Duration.ofMinutes(3));
        long countedAt = awaitOnline(stack, counter, () -> fleet.upgraded() - fleet.closedByServer(), Duration.ofMinutes(8));
        long lastUpgrade = 0;
        long lastWelcome = 0;
        for (int i = 0; i < sockets; i++) {
            lastUpgrade = Math.max(lastUpgrade, fleet.upgradedAt(i));
            lastWelcome = Math.max(lastWelcome, fleet.firstFrameAt(i));
        }
        return new Storm(start, lastUpgrade, lastWelcome, countedAt, fleet.welcomed(0, sockets));
    }

    /** The storm's rows; returns the counted connects/s. */
    private static double stormRows(Report report, Options o, WsFleet fleet, Storm storm, JsonNode db, int warm) {
        int sockets = o.integer("sockets", 3_000, 1, WsFleet.MAX_SOCKETS);
        double accepted = fleet.upgraded() / storm.seconds(storm.lastUpgrade());
        double registered = storm.welcomed() / storm.seconds(storm.lastWelcome());
        double counted = storm.countedAt() == 0 ? 0 : db.path("online").asLong() / storm.seconds(storm.countedAt());
        long stillOpen = fleet.upgraded() - fleet.closedByServer();
        // a socket is lost when it was refused, got no count, or the server closed it (1013: not registered)
        long lost = (sockets - fleet.upgraded()) + (fleet.upgraded() - storm.welcomed()) + fleet.closedByServer();
        long online = db.path("online").asLong();
        report.row("sockets opened (attempted)", String.format(Locale.ROOT, "%,d of %,d", fleet.upgraded(), sockets), "", "");
        report.row("accepted connects/s (upgrade done)", accepted, ">= 1,000/s", accepted >= 1000 ? "yes" : "NO");
        report.row("sockets with a first count frame /s", registered, "", "");
        report.row("counted connects/s (database online = sockets)", counted, ">= 1,000/s", counted >= 1000 ? "yes" : "NO");
        report.row("database online = sockets open / visits", online + " of " + stillOpen + " / " + db.path("visits").asLong(),
                sockets + " of " + sockets + " / " + sockets, online == sockets && stillOpen == sockets ? "yes" : "NO");
        report.row("lost (refused, no count frame, closed by the server)", lost, "0", lost == 0 ? "yes" : "NO");
        double rate = o.number("rate", 0, 0, 100_000);
        report.note("%,d sockets to one replica after a warm-up of %d, %s, at most %,d handshakes in flight, %s; failed %d (%s), error frames %d, closed by the server %d",
                sockets, warm, o.flag("visitors", true) ? "each a new visitor" : "no visitor ids", o.integer("in-flight", 1000, 1, 10_000),
                rate > 0 ? "at most " + Report.fmt(rate) + " connects/s" : "unpaced", fleet.failed(),
                fleet.lastFailure() == null ? "none" : fleet.lastFailure(), fleet.errorFrames(), fleet.closedByServer());
        report.note("all upgrades done %.2f s after the first connect, all welcomes %.2f s, database count complete %.2f s",
                storm.seconds(storm.lastUpgrade()), storm.seconds(storm.lastWelcome()), storm.seconds(storm.countedAt()));
        return counted;
    }

    /** The way back: every socket closes at once, online must return to 0. */
    private static void closeAll(LocalStack stack, String counter, WsFleet fleet, Report report, int sockets) {
        long closing = System.nanoTime();
        fleet.closeRange(0, sockets);
        long zeroAt = awaitOnline(stack, counter, () -> 0, Duration.ofMinutes(8));
        double disconnects = zeroAt == 0 ? 0 : sockets / ((zeroAt - closing) / 1e9);
        long online = Http.counter(stack, counter).path("online").asLong();
        report.row("disconnects counted/s (online back to 0)", disconnects, "", "");
        report.row("database after closing all: online", online, "0", online == 0 ? "yes" : "NO");
    }

    /** The database ceiling row: the same transactions straight at DynamoDB Local, and the storm's share of it. */
    private static void ceiling(LocalStack stack, Options o, Report report, String counter, int sockets, double counted) {
        int lanes = o.integer("ceiling-lanes", 1, 1, 64);
        try (ConnectCeiling ceiling = new ConnectCeiling(stack)) {
            ConnectCeiling.Result r = ceiling.run(counter, sockets, o.flag("visitors", true), lanes);
            double share = counted / r.perSecond();
            report.row("database ceiling: the same connect transactions straight at DynamoDB Local, connects/s", r.perSecond(), "", "");
            report.row("counted connects/s as a share of the ceiling", String.format(Locale.ROOT, "%.0f %%", 100 * share),
                    ">= 70 %", share >= 0.7 ? "yes" : "NO");
            report.note("database ceiling: %,d connects in %,d transactions of up to %d connects (%s), %d at a time (one per counter, as connection-service's lanes), each followed by the counter's read, in %.1f s; shape copied from ConnectTransaction, the read beside the lane (see ConnectCeiling)",
                    r.connects(), r.transactions(), r.perTransaction(), o.flag("visitors", true) ? "each a new visitor" : "no visitor ids",
                    lanes, r.seconds());
        }
    }

    /** Samples upgrades, welcomes and the database's online every 200 ms on a daemon thread while {@code sampling}. */
    private static void sample(LocalStack stack, String counter, WsFleet fleet, int sockets, long start, List<double[]> samples,
            AtomicBoolean sampling) {
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                double online = onlineOrNaN(stack, counter);
                samples.add(new double[] {(System.nanoTime() - start) / 1e9, fleet.upgraded(), fleet.welcomed(0, sockets), online});
                Bench.sleep(200);
            }
        }, "storm-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private static void plot(Path out, int sockets, List<double[]> s) {
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
    }

    private static URI page(int port, String counter, boolean visitor, int i) {
        URI page = Scenario.page(port, counter);
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
    private static long awaitOnline(LocalStack stack, String counter, LongSupplier expected, Duration timeout) {
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

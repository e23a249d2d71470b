package dev.livecounter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livecounter.faults.FaultSuite;
import dev.livecounter.local.DynamoDbLatencyProfile;
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
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Scenario 4, connect storm: opens sockets to one replica as fast as handshakes complete (at most
 * {@code --in-flight} at a time) and follows three curves: upgrades accepted, sockets with a first count frame (their
 * welcome, or a live update before it: a page is subscribed before it is counted), and {@code online} in the
 * database, the figure that says the sockets are counted. Then closes them all and waits until {@code online} is
 * back where it was. Lost = a socket refused or dropped, a welcome missing, or the database's count off by any
 * number. Last, in the same run, the database ceiling ({@link ConnectCeiling}): the same connect transactions
 * straight at DynamoDB Local, so the counted rate is also a share of what the database does here.
 *
 * <p>{@code --db-profile=aws}: the stack reaches DynamoDB Local through a proxy that can delay each call
 * ({@link DynamoDbLatencyProfile}); the storm and its ceiling run twice on it, back to back, first with no delay
 * (loopback, through the proxy) and then with every call as slow as on AWS in one region, and the table gives the two
 * side by side. The ceiling then goes through the proxy too, so it has the same latency as the services' calls.
 *
 * <pre>bench.sh storm [--sockets=3000] [--in-flight=1000] [--rate=0 (unpaced)] [--warmup=sockets (0: a cold storm)] [--visitors=true] [--ceiling=true] [--db-profile=none|aws]</pre>
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

    /** One storm, its way back and its ceiling, under one latency profile: the figures the rows are made of. */
    private record Pass(String label, long upgraded, double accepted, double registered, double counted, long online,
            long stillOpen, long visits, long lost, double disconnects, long onlineAfter, ConnectCeiling.Result ceiling,
            List<String> notes, List<double[]> samples) {
        double share() {
            return ceiling == null ? Double.NaN : counted / ceiling.perSecond();
        }
    }

    @Override
    LocalStack.Builder stack(Options options) {
        LocalStack.Builder stack = super.stack(options);
        if (profile(options) != DynamoDbLatencyProfile.NONE) {
            // the proxy starts with no delay: the loopback pass runs first, on the same stack
            stack.dynamoDbLatency(DynamoDbLatencyProfile.NONE);
        }
        return stack;
    }

    private static DynamoDbLatencyProfile profile(Options o) {
        return DynamoDbLatencyProfile.named(o.string("db-profile", "none"));
    }

    @Override
    Report measure(LocalStack stack, Options o, Path out) {
        int sockets = o.integer("sockets", 3_000, 1, WsFleet.MAX_SOCKETS);
        DynamoDbLatencyProfile profile = profile(o);
        boolean compare = profile != DynamoDbLatencyProfile.NONE;
        if (compare && stack.dynamoDbProxy().latency() == null) {
            throw new IllegalStateException("--db-profile needs the stack this scenario builds (a proxy with a latency profile)");
        }
        String counter = Bench.uniqueCounter("storm");
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
        List<Pass> passes = new ArrayList<>();
        passes.add(pass(stack, o, counter, compare ? "loopback" : "", compare));
        if (compare) {
            stack.dynamoDbProxy().latency(profile);
            try {
                passes.add(pass(stack, o, counter + "-aws", profile.name() + " profile", true));
            } finally {
                stack.dynamoDbProxy().latency(DynamoDbLatencyProfile.NONE);
            }
        }
        Report report = compare
                ? new Report("storm", "Scenario 4: connect storm on one replica, loopback and " + profile.name() + " DynamoDB latency",
                        "measure", "loopback", profile.name() + " profile", "goal", "met (loopback / " + profile.name() + ")")
                : new Report("storm", "Scenario 4: connect storm on one replica", "measure", "value", "goal", "met");
        rows(report, passes, sockets, o.flag("ceiling", true));
        for (Pass pass : passes) {
            pass.notes().forEach(note -> report.note("%s%s", pass.label().isEmpty() ? "" : pass.label() + ": ", note));
        }
        report.note("%,d sockets to one replica after a warm-up of %d, %s, at most %,d handshakes in flight, %s",
                sockets, warm, o.flag("visitors", true) ? "each a new visitor" : "no visitor ids", o.integer("in-flight", 1000, 1, 10_000),
                o.number("rate", 0, 0, 100_000) > 0 ? "at most " + Report.fmt(o.number("rate", 0, 0, 100_000)) + " connects/s" : "unpaced");
        if (compare) {
            report.note("both passes on one stack, back to back, every DynamoDB call (services and ceiling) through the proxy; "
                    + "the second with each call's response held back by a delay drawn per call (log-normal, median and p99 by "
                    + "operation, DynamoDbLatencyProfile: figures and sources), on top of DynamoDB Local's own time. %s",
                    profile.describe());
        }
        if (stack.connectionServices().size() > 1) {
            report.note("%s", FaultSuite.transactionConflicts(stack));
        }
        plot(out, sockets, passes);
        return report;
    }

    /** One storm on a new counter, the way back, and the ceiling (through the proxy when {@code proxied}). */
    private static Pass pass(LocalStack stack, Options o, String counter, String label, boolean proxied) {
        int sockets = o.integer("sockets", 3_000, 1, WsFleet.MAX_SOCKETS);
        // [seconds, upgraded, welcomed, online in the database]
        List<double[]> samples = new CopyOnWriteArrayList<>();
        List<String> notes = new ArrayList<>();
        try (WsFleet fleet = new WsFleet(sockets)) {
            AtomicBoolean sampling = new AtomicBoolean(true);
            long start = System.nanoTime();
            sample(stack, counter, fleet, sockets, start, samples, sampling);
            Map<Long, String> names = new HashMap<>();
            stack.all().forEach(service -> names.put(service.process().pid(), service.name()));
            Map<String, Long> cpuBefore = Machine.cpuByProcess(names);
            Storm storm = storm(stack, o, fleet, counter, sockets);
            // where the 2 cores went while the storm was being counted (the ceiling row gives DynamoDB Local all)
            notes.add(String.format(Locale.ROOT, "CPU from the first connect until the database count was complete (%% of one core; the machine has %d): %s",
                    Runtime.getRuntime().availableProcessors(),
                    Machine.cpuBetween(cpuBefore, Machine.cpuByProcess(names), storm.seconds(storm.countedAt()))));
            Bench.sleep(1000);
            sampling.set(false);
            JsonNode db = Http.counter(stack, counter);
            double accepted = fleet.upgraded() / storm.seconds(storm.lastUpgrade());
            double registered = storm.welcomed() / storm.seconds(storm.lastWelcome());
            long online = db.path("online").asLong();
            double counted = storm.countedAt() == 0 ? 0 : online / storm.seconds(storm.countedAt());
            long stillOpen = fleet.upgraded() - fleet.closedByServer();
            // a socket is lost when it was refused, got no count, or the server closed it (1013: not registered)
            long lost = (sockets - fleet.upgraded()) + (fleet.upgraded() - storm.welcomed()) + fleet.closedByServer();
            notes.add(String.format(Locale.ROOT, "failed %d (%s), error frames %d, closed by the server %d", fleet.failed(),
                    fleet.lastFailure() == null ? "none" : fleet.lastFailure(), fleet.errorFrames(), fleet.closedByServer()));
            notes.add(String.format(Locale.ROOT, "all upgrades done %.2f s after the first connect, all welcomes %.2f s, database count complete %.2f s",
                    storm.seconds(storm.lastUpgrade()), storm.seconds(storm.lastWelcome()), storm.seconds(storm.countedAt())));
            // the way back: every socket closes at once, online must return to 0
            long closing = System.nanoTime();
            fleet.closeRange(0, sockets);
            long zeroAt = awaitOnline(stack, counter, () -> 0, Duration.ofMinutes(8));
            double disconnects = zeroAt == 0 ? 0 : sockets / ((zeroAt - closing) / 1e9);
            long onlineAfter = Http.counter(stack, counter).path("online").asLong();
            ConnectCeiling.Result ceiling = null;
            if (o.flag("ceiling", true)) {
                try (ConnectCeiling c = new ConnectCeiling(stack, proxied)) {
                    ceiling = c.run(counter, sockets, o.flag("visitors", true), o.integer("ceiling-lanes", 1, 1, 64));
                }
                notes.add(String.format(Locale.ROOT, "database ceiling: %,d connects in %,d transactions of up to %d connects (%s), %d at a time (one per counter, as connection-service's lanes), each followed by the counter's read, in %.1f s; shape copied from ConnectTransaction, the read beside the lane (see ConnectCeiling)%s",
                        ceiling.connects(), ceiling.transactions(), ceiling.perTransaction(),
                        o.flag("visitors", true) ? "each a new visitor" : "no visitor ids", o.integer("ceiling-lanes", 1, 1, 64),
                        ceiling.seconds(), proxied ? "; through the proxy, as the services' calls" : ""));
            }
            return new Pass(label, fleet.upgraded(), accepted, registered, counted, online, stillOpen, db.path("visits").asLong(),
                    lost, disconnects, onlineAfter, ceiling, notes, new ArrayList<>(samples));
        }
    }

    /** The table: one value column, or one per pass side by side. */
    private static void rows(Report report, List<Pass> passes, int sockets, boolean ceiling) {
        row(report, passes, "sockets opened (attempted)", p -> String.format(Locale.ROOT, "%,d of %,d", p.upgraded(), sockets), "", null);
        row(report, passes, "accepted connects/s (upgrade done)", Pass::accepted, ">= 1,000/s", p -> p.accepted() >= 1000);
        row(report, passes, "sockets with a first count frame /s", Pass::registered, "", null);
        row(report, passes, "counted connects/s (database online = sockets)", Pass::counted, ">= 1,000/s", p -> p.counted() >= 1000);
        row(report, passes, "database online = sockets open / visits", p -> p.online() + " of " + p.stillOpen() + " / " + p.visits(),
                sockets + " of " + sockets + " / " + sockets, p -> p.online() == sockets && p.stillOpen() == sockets);
        row(report, passes, "lost (refused, no count frame, closed by the server)", Pass::lost, "0", p -> p.lost() == 0);
        row(report, passes, "disconnects counted/s (online back to 0)", Pass::disconnects, "", null);
        row(report, passes, "database after closing all: online", Pass::onlineAfter, "0", p -> p.onlineAfter() == 0);
        if (ceiling) {
            row(report, passes, passes.size() > 1
                            ? "database ceiling: the same connect transactions through the proxy, connects/s"
                            : "database ceiling: the same connect transactions straight at DynamoDB Local, connects/s",
                    p -> p.ceiling().perSecond(), "", null);
            row(report, passes, "counted connects/s as a share of the ceiling",
                    p -> String.format(Locale.ROOT, "%.0f %%", 100 * p.share()), ">= 70 %", p -> p.share() >= 0.7);
        }
    }

    private static void row(Report report, List<Pass> passes, String measure, Function<Pass, Object> value, String goal,
            Predicate<Pass> met) {
        List<Object> cells = new ArrayList<>();
        cells.add(measure);
        passes.forEach(p -> cells.add(value.apply(p)));
        cells.add(goal);
        cells.add(met == null ? "" : String.join(" / ", passes.stream().map(p -> met.test(p) ? "yes" : "NO").toList()));
        report.row(cells.toArray());
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

    private static void plot(Path out, int sockets, List<Pass> passes) {
        List<String> lines = new ArrayList<>();
        Chart chart = new Chart("Connect storm: " + String.format(Locale.ROOT, "%,d", sockets) + " sockets to one replica",
                "seconds since the first connect", "sockets");
        for (Pass pass : passes) {
            List<double[]> s = pass.samples();
            String prefix = passes.size() > 1 ? pass.label() + "," : "";
            s.forEach(p -> lines.add(prefix + String.format(Locale.ROOT, "%.2f,%.0f,%.0f,%.0f", p[0], p[1], p[2], p[3])));
            String suffix = passes.size() > 1 ? " (" + pass.label() + ")" : "";
            double[] t = s.stream().mapToDouble(p -> p[0]).toArray();
            chart.line("upgrades accepted" + suffix, t, s.stream().mapToDouble(p -> p[1]).toArray())
                    .line("first count frame received" + suffix, t, s.stream().mapToDouble(p -> p[2]).toArray())
                    // a read that timed out (the database busy) leaves a gap rather than a drop to 0
                    .line("online in the database" + suffix, s.stream().filter(p -> !Double.isNaN(p[3])).mapToDouble(p -> p[0]).toArray(),
                            s.stream().filter(p -> !Double.isNaN(p[3])).mapToDouble(p -> p[3]).toArray());
        }
        Report.samples(out, "storm-samples.csv", (passes.size() > 1 ? "pass," : "") + "seconds,upgraded,welcomed,db_online", lines);
        chart.write(out.resolve("storm.png"));
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

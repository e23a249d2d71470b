package dev.livecounter.bench;

import dev.livecounter.local.LocalStack;
import dev.livecounter.local.Ports;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Scenario 3, fan-out: the same sockets and the same update rate against one broadcaster replica and against
 * plain Node.js broadcast servers ({@code ws}, Socket.IO) on the same machine, measured at the same load
 * generator. An update is a POST: to the broadcaster's {@code /internal/broadcast} (as a peer replica posts a
 * change it read from the stream), to Node's {@code /broadcast}; each server sends the same count frame to
 * every socket. Reported: frames/s delivered in the window, update -> page latency, and the servers' CPU.
 *
 * <pre>bench.sh fanout [--sockets=10000] [--rates=5,20,50] [--seconds=10] [--coalesce=10ms] [--connect-rate=200] [--servers=broadcaster,ws,socketio]</pre>
 */
final class FanoutScenario implements Bench.Scenario {

    /** Synthetic versions far above any real one, so the stack's own changes never overtake them. */
    private static final long BASE_VERSION = 1_000_000_000L;

    @Override
    public LocalStack.Builder stack(Bench.Options o) {
        // 10 ms: up to 100 frames per page per second, so 50 updates/s are not coalesced away by design
        return Bench.baseStack(1, o).broadcasterEnv("LIVECOUNTER_BROADCASTER_COALESCE_INTERVAL", o.string("coalesce", "10ms"));
    }

    private record Result(String server, double rate, double offered, double delivered, Histogram latency,
            double serverCpu, double generatorCpu, int failedPosts) {}

    @Override
    public Report run(LocalStack stack, Bench.Options o, Path out) {
        int sockets = o.integer("sockets", 10_000, 1, WsFleet.MAX_SOCKETS);
        int seconds = o.integer("seconds", 10, 1, 300);
        int warmup = o.integer("warmup", 3, 0, 60);
        int inFlight = o.integer("in-flight", 16, 1, 10_000);
        double connectRate = o.number("connect-rate", Bench.CONNECT_RATE, 0, 100_000);
        List<Double> rates = new ArrayList<>();
        for (String r : o.string("rates", "5,20,50").split(",")) {
            rates.add(Double.parseDouble(r));
        }
        List<String> servers = List.of(o.string("servers", "broadcaster,ws,socketio").split(","));
        String loadBefore = Machine.loadAverage();
        String nodeMissing = NodeServer.unavailable();
        List<Result> results = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String server : servers) {
            if (!server.equals("broadcaster") && nodeMissing != null) {
                skipped.add(server + " (" + nodeMissing + ")");
                continue;
            }
            System.out.printf(Locale.ROOT, "fanout: %s, %,d sockets (load average %s)%n", server, sockets, Machine.loadAverage());
            switch (server) {
                case "broadcaster" -> results.addAll(broadcaster(stack, sockets, inFlight, connectRate, rates, seconds, warmup));
                case "ws", "socketio" -> {
                    try (NodeServer node = NodeServer.start(server, Ports.free(), 900)) {
                        results.addAll(node(node, server, sockets, rates, seconds, warmup));
                    }
                }
                default -> throw new IllegalArgumentException("unknown server " + server + " (broadcaster, ws, socketio)");
            }
        }

        Report report = new Report("fanout", "Scenario 3: fan-out, one server, " + String.format(Locale.ROOT, "%,d", sockets) + " sockets",
                "server", "updates/s", "offered frames/s", "delivered frames/s", "delivered %", "p50 ms", "p99 ms",
                "server CPU %", "frames per server CPU-s", "load gen CPU %");
        for (Result r : results) {
            report.row(r.server, r.rate, r.offered, r.delivered, 100 * r.delivered / r.offered,
                    r.latency.getTotalCount() == 0 ? Double.NaN : r.latency.getValueAtPercentile(50) / 1e6,
                    r.latency.getTotalCount() == 0 ? Double.NaN : r.latency.getValueAtPercentile(99) / 1e6,
                    100 * r.serverCpu, r.delivered / Math.max(r.serverCpu, 1e-9), 100 * r.generatorCpu);
        }
        for (double rate : rates) {
            Result ours = find(results, "broadcaster", rate);
            for (String node : List.of("ws", "socketio")) {
                Result theirs = find(results, node, rate);
                if (ours != null && theirs != null) {
                    double ratio = ours.delivered / theirs.delivered;
                    double cpuRatio = (ours.delivered / ours.serverCpu) / (theirs.delivered / theirs.serverCpu);
                    report.note("at %s updates/s: broadcaster / Node %s = %.2fx frames/s delivered, %.2fx frames per server CPU-second%s",
                            Report.fmt(rate), node, ratio, cpuRatio, node.equals("ws") ? " (goal >= 1.5x)" : "");
                }
            }
        }
        report.note("broadcaster sockets opened at %s connects/s (registration in DynamoDB Local is the limit), Node's at 3,000/s", Report.fmt(o.number("connect-rate", Bench.CONNECT_RATE, 0, 100_000)));
        report.note("every update goes to all %,d sockets; each rate runs %d s after a %d s warm-up; the load generator and the server share the 2 cores",
                sockets, seconds, warmup);
        report.note("broadcaster: JVM %s, coalescing %s, updates posted to /internal/broadcast; Node %s: updates posted to /broadcast",
                Bench.JVM_OPTIONS, o.string("coalesce", "10ms"), nodeVersion());
        if (!skipped.isEmpty()) {
            report.note("not run: %s", String.join(", ", skipped));
        }
        report.note("load average before %s, after %s", loadBefore, Machine.loadAverage());

        Chart chart = new Chart("Fan-out to " + String.format(Locale.ROOT, "%,d", sockets) + " sockets: frames/s delivered",
                "updates per second (each to every socket)", "frames per second delivered");
        List<String> names = new ArrayList<>();
        for (String server : servers) {
            if (results.stream().anyMatch(r -> r.server.equals(server))) {
                names.add(label(server));
            }
        }
        for (double rate : rates) {
            for (int s = 0; s < names.size(); s++) {
                Result r = find(results, serverOf(names.get(s)), rate);
                if (r != null) {
                    chart.bar(Report.fmt(rate) + " /s", r.delivered, s);
                }
            }
        }
        chart.barLegend(names.toArray(String[]::new)).write(out.resolve("fanout.png"));
        return report;
    }

    private static String label(String server) {
        return switch (server) {
            case "broadcaster" -> "broadcaster (Micronaut)";
            case "ws" -> "Node ws";
            default -> "Node Socket.IO";
        };
    }

    private static String serverOf(String label) {
        return label.startsWith("broadcaster") ? "broadcaster" : label.equals("Node ws") ? "ws" : "socketio";
    }

    private static Result find(List<Result> results, String server, double rate) {
        return results.stream().filter(r -> r.server.equals(server) && r.rate == rate).findFirst().orElse(null);
    }

    private static String nodeVersion() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return v;
        } catch (Exception e) {
            return "(not found)";
        }
    }

    private List<Result> broadcaster(LocalStack stack, int sockets, int inFlight, double connectRate, List<Double> rates, int seconds, int warmup) {
        String counter = Bench.uniqueCounter("fanout");
        int port = stack.broadcaster(0).port();
        long pid = stack.broadcaster(0).process().pid();
        URI post = stack.broadcaster(0).baseUri().resolve("/internal/broadcast");
        Poster poster = k -> Http.post(post, String.format(Locale.ROOT,
                "{\"counter\":\"%s\",\"visits\":%d,\"online\":%d,\"value\":%d,\"version\":%d}",
                counter, sockets, sockets, k, BASE_VERSION + k), stack.internalSecret());
        try (WsFleet fleet = new WsFleet(sockets)) {
            // a first synthetic version, newer than any real one: the online changes of the ramp below are then
            // dropped as older by the coalescer, instead of fanning out to every page opened so far
            fleet.open(0, 1, i -> LatencyScenario.page(port, counter), 1, 0, Duration.ofMinutes(1));
            fleet.awaitWelcomed(0, 1, Duration.ofSeconds(30));
            poster.post(0).join();
            // paced: every connect is a DynamoDB transaction, and DynamoDB Local commits ~120 a second here
            fleet.open(1, sockets, i -> LatencyScenario.page(port, counter), inFlight, connectRate, Duration.ofMinutes(10));
            LatencyScenario.check(fleet.upgraded() == sockets, "only " + fleet.upgraded() + " sockets opened: " + fleet.lastFailure());
            fleet.awaitWelcomed(0, sockets, Duration.ofMinutes(3));
            // let the registrations (and their stream records) finish, so only the fan-out runs while measuring
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (Http.online(stack, counter) < sockets - fleet.closedByServer() && System.nanoTime() < deadline) {
                Bench.sleep(250);
            }
            LatencyScenario.check(fleet.closedByServer() == 0, fleet.closedByServer() + " sockets closed by the broadcaster while opening");
            Bench.sleep(2000);
            return drive(fleet, "broadcaster", pid, rates, seconds, warmup, sockets, poster);
        }
    }

    private List<Result> node(NodeServer node, String mode, int sockets, List<Double> rates, int seconds, int warmup) {
        String counter = "fanout";
        WsFleet.Protocol protocol = mode.equals("ws") ? WsFleet.Protocol.PLAIN : WsFleet.Protocol.SOCKET_IO;
        URI uri = mode.equals("ws")
                ? URI.create("ws://127.0.0.1:" + node.port() + "/ws?counter=" + counter)
                : URI.create("ws://127.0.0.1:" + node.port() + "/socket.io/?EIO=4&transport=websocket");
        URI post = URI.create("http://127.0.0.1:" + node.port() + "/broadcast");
        try (WsFleet fleet = new WsFleet(sockets, protocol, 8)) {
            fleet.open(0, sockets, i -> uri, 500, 3000, Duration.ofMinutes(3));
            LatencyScenario.check(fleet.upgraded() == sockets, "only " + fleet.upgraded() + " sockets opened to node " + mode + ": " + fleet.lastFailure());
            Bench.sleep(2000);
            return drive(fleet, mode, node.pid(), rates, seconds, warmup, sockets,
                    k -> Http.post(post, String.format(Locale.ROOT,
                            "{\"type\":\"count\",\"counter\":\"%s\",\"visits\":%d,\"online\":%d,\"value\":%d,\"version\":%d}",
                            counter, sockets, sockets, k, BASE_VERSION + k), null));
        }
    }

    private interface Poster {
        java.util.concurrent.CompletableFuture<Integer> post(long k);
    }

    private List<Result> drive(WsFleet fleet, String server, long pid, List<Double> rates, int seconds, int warmup, int sockets, Poster poster) {
        int capacity = (int) (rates.stream().mapToDouble(Double::doubleValue).sum() * (seconds + warmup)) + 16;
        AtomicLongArray postedAt = new AtomicLongArray(capacity);
        LongAdder counted = new LongAdder();
        ConcurrentHistogram latency = new ConcurrentHistogram(60_000_000_000L, 3);
        java.util.concurrent.atomic.AtomicBoolean measuring = new java.util.concurrent.atomic.AtomicBoolean();
        fleet.listener((socket, value, version, online, nanos) -> {
            long k = version - BASE_VERSION;
            if (k > 0 && k < capacity) {
                long posted = postedAt.get((int) k);
                if (posted != 0 && posted <= nanos && measuring.get()) {
                    counted.increment();
                    latency.recordValue(Math.min(nanos - posted, 59_000_000_000L));
                }
            }
        });
        LongAdder failedPosts = new LongAdder();
        List<Result> results = new ArrayList<>();
        long k = 0;
        for (double rate : rates) {
            // warm-up: the same rate, not counted
            k = post(poster, postedAt, k, rate, warmup, failedPosts);
            Bench.sleep(500);
            latency.reset();
            counted.reset();
            long cpu0 = Machine.cpuNanos(pid);
            long gen0 = Machine.ownCpuNanos();
            long t0 = System.nanoTime();
            measuring.set(true);
            k = post(poster, postedAt, k, rate, seconds, failedPosts);
            measuring.set(false);
            long elapsed = System.nanoTime() - t0;
            long cpu = Machine.cpuNanos(pid) - cpu0;
            long gen = Machine.ownCpuNanos() - gen0;
            double delivered = counted.sum() / (elapsed / 1e9);
            results.add(new Result(server, rate, rate * sockets, delivered, latency.copy(),
                    cpu / (double) elapsed, gen / (double) elapsed, (int) failedPosts.sum()));
            System.out.printf(Locale.ROOT, "fanout: %s at %s updates/s: %,.0f frames/s delivered of %,.0f offered, p99 %.1f ms, server CPU %.0f%%%n",
                    server, Report.fmt(rate), delivered, rate * sockets, latency.getValueAtPercentile(99) / 1e6, 100.0 * cpu / elapsed);
            // let queues drain before the next rate
            Bench.sleep(3000);
        }
        return results;
    }

    /** Posts updates k+1.. at {@code rate} for {@code seconds}; returns the last k. */
    private static long post(Poster poster, AtomicLongArray postedAt, long k, double rate, int seconds, LongAdder failed) {
        long start = System.nanoTime();
        int n = (int) Math.round(rate * seconds);
        for (int i = 0; i < n; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            long next = ++k;
            postedAt.set((int) next, System.nanoTime());
            poster.post(next).whenComplete((status, error) -> {
                if (error != null || status >= 300) {
                    failed.increment();
                }
            });
        }
        long end = start + (long) (n * 1e9 / rate);
        long wait;
        while ((wait = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
        return k;
    }
}

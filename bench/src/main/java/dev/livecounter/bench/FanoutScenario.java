package dev.livecounter.bench;

import dev.livecounter.local.LocalStack;
import dev.livecounter.local.Ports;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario 3, fan-out: the same sockets and the same update rate against one broadcaster replica and against
 * plain Node.js broadcast servers ({@code ws}, {@code ws-fast}, Socket.IO; see {@code bench/node}) on the same
 * machine, measured at the same load generator. An update is a POST: to the broadcaster's
 * {@code /internal/broadcast} (as a peer replica posts a change it read from the stream), to Node's
 * {@code /broadcast}; each server sends the same count frame to every socket. Reported: frames/s delivered in the
 * window, update -> page latency, the server's CPU and its threads' time waiting for a CPU ({@link FanoutDrive}).
 *
 * <p>The broadcaster runs on the Netty transport its servers name ({@link #TRANSPORTS}): {@code broadcaster} on its
 * default (epoll where the native library loads, else NIO), {@code broadcaster-nio} forced to NIO,
 * {@code broadcaster-io_uring} on io_uring first; between two of them the replica is restarted with
 * {@code LIVECOUNTER_BROADCASTER_TRANSPORT}, and the report quotes the line in which each says what it got.
 *
 * <p>{@code --server-nice=N} runs each server under test at nice N (every thread; below 0 needs root) so that on a
 * machine loaded by others each server can take the CPU it wants whatever its number of threads.
 *
 * <pre>bench.sh fanout [--sockets=10000] [--rates=5,20,50] [--seconds=10] [--coalesce=10ms] [--connect-rate=200] [--servers=broadcaster-nio,broadcaster,ws,ws-fast,socketio] [--server-nice=0]</pre>
 */
final class FanoutScenario extends Scenario {

    /** The servers this scenario knows, in the order they run by default, with their labels. */
    private static final Map<String, String> LABELS = Map.of("broadcaster", "broadcaster (Micronaut, default transport)",
            "broadcaster-nio", "broadcaster on NIO", "broadcaster-io_uring", "broadcaster on io_uring",
            "ws", "Node ws", "ws-fast", "Node ws, frame made once", "socketio", "Node Socket.IO");
    /** The broadcaster's servers and the transport list each runs with (the first is the service's default). */
    private static final Map<String, String> TRANSPORTS = Map.of("broadcaster", "epoll,nio", "broadcaster-nio", "nio",
            "broadcaster-io_uring", "io_uring,epoll,nio");
    private static final String TRANSPORT = "LIVECOUNTER_BROADCASTER_TRANSPORT";

    FanoutScenario() {
        super(1, Map.of());
    }

    @Override
    LocalStack.Builder stack(Options o) {
        // 10 ms: up to 100 frames per page per second, so 50 updates/s are not coalesced away by design
        return super.stack(o).broadcasterEnv("LIVECOUNTER_BROADCASTER_COALESCE_INTERVAL", o.string("coalesce", "10ms"));
    }

    @Override
    Report measure(LocalStack stack, Options o, Path out) {
        int sockets = o.integer("sockets", 10_000, 1, WsFleet.MAX_SOCKETS);
        List<Double> rates = new ArrayList<>();
        for (String r : o.string("rates", "5,20,50").split(",")) {
            rates.add(Double.parseDouble(r));
        }
        List<String> servers = List.of(o.string("servers", "broadcaster-nio,broadcaster,ws,ws-fast,socketio").split(","));
        servers.stream().filter(s -> !LABELS.containsKey(s)).findFirst().ifPresent(s -> {
            throw new IllegalArgumentException("unknown server " + s + " (" + String.join(", ", LABELS.keySet()) + ")");
        });
        String nodeMissing = NodeServer.unavailable();
        List<FanoutDrive.Result> results = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> transports = new ArrayList<>();
        // the stack's broadcaster starts on the default list
        String running = TRANSPORTS.get("broadcaster");
        for (String server : servers) {
            if (!TRANSPORTS.containsKey(server) && nodeMissing != null) {
                skipped.add(server + " (" + nodeMissing + ")");
                continue;
            }
            System.out.printf(Locale.ROOT, "fanout: %s, %,d sockets (load average %s)%n", server, sockets, Machine.loadAverage());
            if (TRANSPORTS.containsKey(server)) {
                if (!TRANSPORTS.get(server).equals(running)) {
                    running = TRANSPORTS.get(server);
                    stack.restartBroadcaster(0, Map.of(TRANSPORT, running));
                }
                transports.add(server + ": " + Machine.lastLine(stack.broadcaster(0).process().log(), "sockets on Netty's"));
                results.addAll(broadcaster(stack, o, rates, server));
            } else {
                try (NodeServer node = NodeServer.start(server, Ports.free(), 900)) {
                    results.addAll(node(node, server, o, rates));
                }
            }
        }
        Report report = report(o, rates, results);
        transports.forEach(t -> report.note("%s", t));
        if (!skipped.isEmpty()) {
            report.note("not run: %s", String.join(", ", skipped));
        }
        plot(out, sockets, servers, rates, results);
        return report;
    }

    private List<FanoutDrive.Result> broadcaster(LocalStack stack, Options o, List<Double> rates, String server) {
        int sockets = o.integer("sockets", 10_000, 1, WsFleet.MAX_SOCKETS);
        String counter = Bench.uniqueCounter("fanout");
        int port = stack.broadcaster(0).port();
        URI post = stack.broadcaster(0).baseUri().resolve("/internal/broadcast");
        FanoutDrive.Poster poster = k -> Http.post(post, frame(counter, sockets, k, false), stack.internalSecret());
        try (WsFleet fleet = new WsFleet(sockets)) {
            // a first synthetic version, newer than any real one: the online changes of the ramp below are then
            // dropped as older by the coalescer, instead of fanning out to every page opened so far
            fleet.open(0, 1, i -> page(port, counter), 1, 0, Duration.ofMinutes(1));
            fleet.awaitWelcomed(0, 1, Duration.ofSeconds(30));
            poster.post(0).join();
            // paced: every connect is a DynamoDB transaction
            fleet.open(1, sockets, i -> page(port, counter), o.integer("in-flight", 16, 1, 10_000),
                    o.number("connect-rate", Bench.CONNECT_RATE, 0, 100_000), Duration.ofMinutes(10));
            Pace.check(fleet.upgraded() == sockets, "only " + fleet.upgraded() + " sockets opened: " + fleet.lastFailure());
            fleet.awaitWelcomed(0, sockets, Duration.ofMinutes(3));
            // let the registrations (and their stream records) finish, so only the fan-out runs while measuring
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (Http.online(stack, counter) < sockets - fleet.closedByServer() && System.nanoTime() < deadline) {
                Bench.sleep(250);
            }
            Pace.check(fleet.closedByServer() == 0, fleet.closedByServer() + " sockets closed by the broadcaster while opening");
            Bench.sleep(2000);
            return drive(fleet, server, stack.broadcaster(0).process().pid(), o, rates, poster);
        }
    }

    private List<FanoutDrive.Result> node(NodeServer node, String mode, Options o, List<Double> rates) {
        int sockets = o.integer("sockets", 10_000, 1, WsFleet.MAX_SOCKETS);
        boolean socketIo = mode.equals("socketio");
        URI uri = URI.create("ws://127.0.0.1:" + node.port()
                + (socketIo ? "/socket.io/?EIO=4&transport=websocket" : "/ws?counter=fanout"));
        URI post = URI.create("http://127.0.0.1:" + node.port() + "/broadcast");
        try (WsFleet fleet = new WsFleet(sockets, socketIo ? WsFleet.Protocol.SOCKET_IO : WsFleet.Protocol.PLAIN, 8)) {
            fleet.open(0, sockets, i -> uri, 500, 3000, Duration.ofMinutes(3));
            Pace.check(fleet.upgraded() == sockets, "only " + fleet.upgraded() + " sockets opened to node " + mode + ": " + fleet.lastFailure());
            Bench.sleep(2000);
            return drive(fleet, mode, node.pid(), o, rates, k -> Http.post(post, frame("fanout", sockets, k, true), null));
        }
    }

    private static List<FanoutDrive.Result> drive(WsFleet fleet, String server, long pid, Options o, List<Double> rates,
            FanoutDrive.Poster poster) {
        int seconds = o.integer("seconds", 10, 1, 300);
        int warmup = o.integer("warmup", 3, 0, 60);
        int nice = o.integer("server-nice", 0, -20, 19);
        if (nice != 0) {
            // on a machine others load too, a server gets a share per runnable thread: a single-threaded one less
            // than a multi-threaded one; the same priority above the rest lets each take the CPU it wants
            String failed = Machine.renice(pid, nice);
            Pace.check(failed == null, "renice of " + server + " to " + nice + " failed: " + failed);
        }
        return new FanoutDrive(fleet, rates, seconds, warmup)
                .run(server, pid, rates, seconds, warmup, o.integer("sockets", 10_000, 1, WsFleet.MAX_SOCKETS), poster);
    }

    /** Update {@code k}'s count frame (the Node servers send the body as it is, so it carries its type). */
    private static String frame(String counter, int sockets, long k, boolean typed) {
        return String.format(Locale.ROOT, "{%s\"counter\":\"%s\",\"visits\":%d,\"online\":%d,\"value\":%d,\"version\":%d}",
                typed ? "\"type\":\"count\"," : "", counter, sockets, sockets, k, FanoutDrive.BASE_VERSION + k);
    }

    private static Report report(Options o, List<Double> rates, List<FanoutDrive.Result> results) {
        int sockets = o.integer("sockets", 10_000, 1, WsFleet.MAX_SOCKETS);
        Report report = new Report("fanout", "Scenario 3: fan-out, one server, " + String.format(Locale.ROOT, "%,d", sockets) + " sockets",
                "server", "updates/s", "offered frames/s", "delivered frames/s", "delivered %", "p50 ms", "p99 ms",
                "server CPU %", "of it in the kernel %", "server waiting for a CPU %", "frames per server CPU-s",
                "server CPU us per frame", "of it in user space us", "of it in the kernel us", "load gen CPU %");
        for (FanoutDrive.Result r : results) {
            boolean none = r.latency().getTotalCount() == 0;
            report.row(r.server(), r.rate(), r.offered(), r.delivered(), 100 * r.delivered() / r.offered(),
                    none ? Double.NaN : r.latency().getValueAtPercentile(50) / 1e6, none ? Double.NaN : r.latency().getValueAtPercentile(99) / 1e6,
                    100 * r.serverCpu(), 100 * r.serverKernel(), 100 * r.serverWaiting(),
                    r.delivered() / Math.max(r.serverCpu(), 1e-9), r.microsPerFrame(false),
                    r.microsPerFrame(false) - r.microsPerFrame(true), r.microsPerFrame(true), 100 * r.generatorCpu());
        }
        // issue 24's goals: kernel us per frame <= ws's; frames per server CPU-second >= 1.2x ws and >= 1.0x ws-fast
        Map<String, Double> goals = Map.of("ws", 1.2, "ws-fast", 1.0);
        for (double rate : rates) {
            for (String broadcaster : TRANSPORTS.keySet().stream().sorted().toList()) {
                FanoutDrive.Result ours = find(results, broadcaster, rate);
                for (String node : List.of("ws", "ws-fast", "socketio")) {
                    FanoutDrive.Result theirs = find(results, node, rate);
                    if (ours != null && theirs != null) {
                        double cpuRatio = (ours.delivered() / ours.serverCpu()) / (theirs.delivered() / theirs.serverCpu());
                        report.note("at %s updates/s: %s / Node %s = %.2fx frames/s delivered, %.2fx frames per server CPU-second%s; kernel %.2f us per frame against %.2f",
                                Report.fmt(rate), broadcaster, node, ours.delivered() / theirs.delivered(), cpuRatio,
                                goals.containsKey(node) ? String.format(Locale.ROOT, " (goal >= %.1fx)", goals.get(node)) : "",
                                ours.microsPerFrame(true), theirs.microsPerFrame(true));
                    }
                }
            }
        }
        report.note("broadcaster sockets opened at %s connects/s (registration in DynamoDB Local is the limit), Node's at 3,000/s",
                Report.fmt(o.number("connect-rate", Bench.CONNECT_RATE, 0, 100_000)));
        report.note("every update goes to all %,d sockets; each rate runs %d s after a %d s warm-up; the load generator and the server share the 2 cores",
                sockets, o.integer("seconds", 10, 1, 300), o.integer("warmup", 3, 0, 60));
        report.note("server waiting for a CPU = its threads' time runnable but not running (/proc/<pid>/task/*/schedstat): CPU + waiting near 100 %% of a thread means the server was limited by CPU, not by its sockets");
        report.note("servers at nice %d (--server-nice)", o.integer("server-nice", 0, -20, 19));
        report.note("broadcaster: JVM %s, coalescing %s, updates posted to /internal/broadcast; Node %s: updates posted to /broadcast",
                Bench.JVM_OPTIONS, o.string("coalesce", "10ms"), NodeServer.version());
        return report;
    }

    private static void plot(Path out, int sockets, List<String> servers, List<Double> rates, List<FanoutDrive.Result> results) {
        Chart chart = new Chart("Fan-out to " + String.format(Locale.ROOT, "%,d", sockets) + " sockets: frames/s delivered",
                "updates per second (each to every socket)", "frames per second delivered");
        for (double rate : rates) {
            for (String server : servers) {
                FanoutDrive.Result r = find(results, server, rate);
                if (r != null) {
                    chart.bar(LABELS.get(server), Report.fmt(rate) + " /s", r.delivered());
                }
            }
        }
        chart.write(out.resolve("fanout.png"));
    }

    private static FanoutDrive.Result find(List<FanoutDrive.Result> results, String server, double rate) {
        return results.stream().filter(r -> r.server().equals(server) && r.rate() == rate).findFirst().orElse(null);
    }
}

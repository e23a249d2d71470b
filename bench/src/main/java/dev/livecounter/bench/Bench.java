package dev.livecounter.bench;

import dev.livecounter.local.LocalStack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark harness, run on demand with {@code ./bench.sh <scenario> [--key=value ...]} (never part of the test
 * suite; {@code BenchSmokeIT} runs it for a few seconds with tiny numbers so it cannot rot). Each scenario starts
 * its own local stack (DynamoDB Local and every service its own JVM, as the chart wires them), drives it through
 * real WebSockets from {@link WsFleet}, prints a table, and writes {@code <scenario>.csv}, {@code <scenario>.md}
 * and {@code <scenario>.png} into {@code --out} (default {@code bench/target/results}).
 */
public final class Bench {

    static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();
    /** {@link ColdStartScenario}: not one of {@link #SCENARIOS}, it starts its stacks itself, and is not in "all". */
    static final String COLD_START = "coldstart";
    /** Scenarios "all" leaves out for their length: tables runs about 13 minutes on its own. */
    static final java.util.Set<String> NOT_IN_ALL = java.util.Set.of("tables");

    static {
        SCENARIOS.put("latency", new LatencyScenario());
        SCENARIOS.put("sockets", new SocketsScenario());
        SCENARIOS.put("fanout", new FanoutScenario());
        SCENARIOS.put("storm", new ConnectStormScenario());
        SCENARIOS.put("coalescing", new CoalescingScenario());
        SCENARIOS.put("tables", new TablesScenario());
    }

    /** JVM options of every service in a benchmark stack: full JIT (the tests' stacks stop at C1), Serial GC as a 2-core container gets. */
    static final List<String> JVM_OPTIONS = List.of("-Xmx1g", "-XX:+UseSerialGC");

    private Bench() {}

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        boolean coldStart = args.length > 0 && args[0].equals(COLD_START);
        usage(args, coldStart);
        Options options = Options.parse(List.of(args).subList(1, args.length));
        Path out = Path.of(options.string("out", LocalStack.repositoryRoot().resolve("bench/target/results").toString()));
        if (coldStart) {
            // it launches (and times) its own stacks, one per run
            new ColdStartScenario().run(options, out).write(out);
            return;
        }
        List<String> names = args[0].equals("all")
                ? SCENARIOS.keySet().stream().filter(n -> !NOT_IN_ALL.contains(n)).toList()
                : List.of(args[0]);
        List<Report> reports = new ArrayList<>();
        for (String name : names) {
            reports.add(runOnItsStack(name, options, out));
        }
        if (reports.size() > 1) {
            summary(reports, out);
        }
    }

    private static void usage(String[] args, boolean coldStart) {
        if (args.length == 0 || !(SCENARIOS.containsKey(args[0]) || args[0].equals("all") || coldStart)) {
            System.err.println("usage: bench.sh <" + String.join("|", SCENARIOS.keySet()) + "|" + COLD_START
                    + "|all> [--key=value ...]");
            System.exit(2);
        }
    }

    /** Starts the scenario's own stack, lets KCL's first start settle, runs the scenario, writes its report. */
    private static Report runOnItsStack(String name, Options options, Path out) {
        Scenario scenario = SCENARIOS.get(name);
        System.out.printf("%n### %s: starting a local stack (load average %s)%n", name, Machine.loadAverage());
        try (LocalStack stack = scenario.stack(options).jvmOptions(JVM_OPTIONS).start()) {
            // Ctrl-C or SIGTERM: stop the stack's processes too, none is left behind
            Thread stopper = new Thread(stack::close, "bench-stack-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            System.out.printf("### %s: stack healthy in %.1f s%n", name, stack.startupTime().toMillis() / 1000.0);
            // KCL's first start (lease tables, a random wait, lease assignment) keeps DynamoDB Local busy for
            // a while after the services are healthy: let it finish before any figure is taken
            sleep(1000L * options.integer("settle", 30, 0, 600));
            Report report = scenario.run(stack, options, out);
            report.write(out);
            Runtime.getRuntime().removeShutdownHook(stopper);
            return report;
        }
    }

    private static void summary(List<Report> reports, Path out) {
        StringBuilder all = new StringBuilder("# Live Counter benchmarks\n\n");
        reports.forEach(r -> all.append(r.markdown()).append('\n'));
        try {
            java.nio.file.Files.writeString(out.resolve("summary.md"), all.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.out.println("\nAll tables: " + out.resolve("summary.md"));
    }

    /**
     * Connects/s where every socket must be registered before the figure is taken: DynamoDB Local, beside the
     * services and the load generator on 2 cores, counts a few hundred connects/s with group commit (the storm
     * scenario measures exactly that); this pace stays well inside it.
     */
    static final double CONNECT_RATE = 200;

    /**
     * A stack as every scenario wants it: clients told apart by {@code X-Forwarded-For}, as behind the ingress;
     * {@code --coalesce} and {@code --poll}, when given, set the broadcasters' intervals.
     */
    static LocalStack.Builder baseStack(int replicas, Options options) {
        LocalStack.Builder stack = LocalStack.builder()
                .broadcasters(replicas)
                // --service-replicas=2: two connection-services and two counter-services, as the chart runs them
                .serviceReplicas(options.integer("service-replicas", 1, 1, 4))
                .tablePrefix("bench-")
                .broadcasterEnv("LIVECOUNTER_LIMITS_CLIENT_IP_HEADER", "X-Forwarded-For")
                // DynamoDB Local on 2 busy cores stalls for a second or two now and then (~120 transactions/s at
                // best); with the production timeouts (1 s per attempt, 3 s per call, 5 s broadcaster ->
                // connection-service) a stall fails every registration in flight and those sockets are closed
                // with 1013. The benchmarks measure the broadcaster, so they wait the stalls out.
                .env("LIVECOUNTER_DYNAMODB_API_CALL_TIMEOUT", "30s")
                .env("LIVECOUNTER_DYNAMODB_API_CALL_ATTEMPT_TIMEOUT", "10s")
                .broadcasterEnv("MICRONAUT_HTTP_CLIENT_READ_TIMEOUT", "40s")
                // scenarios open sockets on dozens of new counters at once (sockets: 50): past the install's budget
                // of new counters a minute (30) the rest would be refused with counter_limit and closed
                .env("LIVECOUNTER_COUNTERS_NEW_PER_MINUTE", "0");
        options.env("coalesce", "LIVECOUNTER_BROADCASTER_COALESCE_INTERVAL", stack);
        options.env("poll", "LIVECOUNTER_STREAM_POLL_INTERVAL", stack);
        return stack;
    }

    static String uniqueCounter(String prefix) {
        return prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** {@code 50ms}, {@code 1s} or a bare number of milliseconds. */
    static double millis(String duration) {
        String d = duration.trim();
        if (d.endsWith("ms")) {
            return Double.parseDouble(d.substring(0, d.length() - 2));
        }
        if (d.endsWith("s")) {
            return 1000 * Double.parseDouble(d.substring(0, d.length() - 1));
        }
        return Double.parseDouble(d);
    }
}

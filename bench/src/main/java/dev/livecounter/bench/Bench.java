package dev.livecounter.bench;

import dev.livecounter.local.LocalStack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The benchmark harness, run on demand with {@code ./bench.sh <scenario> [--key=value ...]} (never part of the test
 * suite; {@code BenchSmokeIT} runs it for a few seconds with tiny numbers so it cannot rot). Each scenario starts
 * its own local stack (DynamoDB Local and every service its own JVM, as the chart wires them), drives it through
 * real WebSockets from {@link WsFleet}, prints a table, and writes {@code <scenario>.csv}, {@code <scenario>.md}
 * and {@code <scenario>.png} into {@code --out} (default {@code bench/target/results}).
 */
public final class Bench {

    /** A scenario: what stack it wants, and how it runs on a stack (its own, or one a test already started). */
    interface Scenario {
        /** Adds to a stack builder what this scenario needs (replicas, limits, intervals). */
        LocalStack.Builder stack(Options options);

        Report run(LocalStack stack, Options options, Path out);
    }

    static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();
    /** {@link ColdStartScenario}: not one of {@link #SCENARIOS}, it starts its stacks itself, and is not in "all". */
    static final String COLD_START = "coldstart";

    static {
        SCENARIOS.put("latency", new LatencyScenario());
        SCENARIOS.put("sockets", new SocketsScenario());
        SCENARIOS.put("fanout", new FanoutScenario());
        SCENARIOS.put("storm", new ConnectStormScenario());
        SCENARIOS.put("coalescing", new CoalescingScenario());
    }

    /** JVM options of every service in a benchmark stack: full JIT (the tests' stacks stop at C1), Serial GC as a 2-core container gets. */
    static final List<String> JVM_OPTIONS = List.of("-Xmx1g", "-XX:+UseSerialGC");

    private Bench() {}

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        boolean coldStart = args.length > 0 && args[0].equals(COLD_START);
        if (args.length == 0 || !(SCENARIOS.containsKey(args[0]) || args[0].equals("all") || coldStart)) {
            System.err.println("usage: bench.sh <" + String.join("|", SCENARIOS.keySet()) + "|" + COLD_START
                    + "|all> [--key=value ...]");
            System.exit(2);
        }
        Options options = Options.parse(List.of(args).subList(1, args.length));
        Path out = Path.of(options.string("out", LocalStack.repositoryRoot().resolve("bench/target/results").toString()));
        if (coldStart) {
            // it launches (and times) its own stacks, one per run
            new ColdStartScenario().run(options, out).write(out);
            return;
        }
        List<String> names = args[0].equals("all") ? List.copyOf(SCENARIOS.keySet()) : List.of(args[0]);
        List<Report> reports = new ArrayList<>();
        for (String name : names) {
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
                reports.add(report);
                Runtime.getRuntime().removeShutdownHook(stopper);
            }
        }
        if (reports.size() > 1) {
            StringBuilder all = new StringBuilder("# Live Counter benchmarks\n\n");
            reports.forEach(r -> all.append(r.markdown()).append('\n'));
            try {
                java.nio.file.Files.writeString(out.resolve("summary.md"), all.toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            System.out.println("\nAll tables: " + out.resolve("summary.md"));
        }
    }

    /** {@code --key=value} arguments with defaults. */
    static final class Options {
        private final Map<String, String> values;

        Options(Map<String, String> values) {
            this.values = new HashMap<>(values);
        }

        static Options parse(List<String> args) {
            Map<String, String> values = new HashMap<>();
            for (String arg : args) {
                if (!arg.startsWith("--") || !arg.contains("=")) {
                    throw new IllegalArgumentException("expected --key=value, got " + arg);
                }
                values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
            return new Options(values);
        }

        static Options of(String... keyValues) {
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < keyValues.length; i += 2) {
                values.put(keyValues[i], keyValues[i + 1]);
            }
            return new Options(values);
        }

        String string(String key, String fallback) {
            return values.getOrDefault(key, fallback);
        }

        int integer(String key, int fallback, int min, int max) {
            int v = values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
            if (v < min || v > max) {
                throw new IllegalArgumentException("--" + key + " must be within " + min + ".." + max + ", got " + v);
            }
            return v;
        }

        double number(String key, double fallback, double min, double max) {
            double v = values.containsKey(key) ? Double.parseDouble(values.get(key)) : fallback;
            if (v < min || v > max) {
                throw new IllegalArgumentException("--" + key + " must be within " + min + ".." + max + ", got " + v);
            }
            return v;
        }

        boolean flag(String key, boolean fallback) {
            return values.containsKey(key) ? Boolean.parseBoolean(values.get(key)) : fallback;
        }

        /** Sets a broadcaster environment variable when the option is given. */
        void env(String key, String variable, LocalStack.Builder builder) {
            if (values.containsKey(key)) {
                builder.broadcasterEnv(variable, values.get(key));
            }
        }

        void ifPresent(String key, Consumer<String> action) {
            if (values.containsKey(key)) {
                action.accept(values.get(key));
            }
        }
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
                .tablePrefix("bench-")
                .broadcasterEnv("LIVECOUNTER_LIMITS_CLIENT_IP_HEADER", "X-Forwarded-For")
                // DynamoDB Local on 2 busy cores stalls for a second or two now and then (~120 transactions/s at
                // best); with the production timeouts (1 s per attempt, 3 s per call, 5 s broadcaster ->
                // connection-service) a stall fails every registration in flight and those sockets are closed
                // with 1013. The benchmarks measure the broadcaster, so they wait the stalls out.
                .env("LIVECOUNTER_DYNAMODB_API_CALL_TIMEOUT", "30s")
                .env("LIVECOUNTER_DYNAMODB_API_CALL_ATTEMPT_TIMEOUT", "10s")
                .broadcasterEnv("MICRONAUT_HTTP_CLIENT_READ_TIMEOUT", "40s");
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

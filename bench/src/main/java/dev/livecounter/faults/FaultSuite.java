package dev.livecounter.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.livecounter.local.LocalStack;
import dev.livecounter.local.OutsideWriter;
import dev.livecounter.local.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * The faults that really happen in a cluster, against the real local system (DynamoDB Local behind a proxy the
 * suite can cut, every service its own process, visitors on real sockets that reconnect as the page does).
 * One row per scenario: visits expected / counted, the visits in the counter's history (its minute buckets over the
 * run), online expected / shown on the pages, and how long after the fault every page and the database agreed.
 * Goal: 0 lost, 0 doubled in every row, the history included.
 *
 * <pre>./fault-suite.sh            the full suite (about 5 minutes)</pre>
 */
public final class FaultSuite {

    /** How big each scenario is. */
    public record Scale(int visitors, int storm, Duration stormTime, Duration outage) {
        public static final Scale FULL = new Scale(200, 1000, Duration.ofSeconds(10), Duration.ofSeconds(10));
        public static final Scale SHORT = new Scale(20, 100, Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    /** A scenario's outcome. */
    public record Row(String scenario, long visitsExpected, long visitsCounted, long onlineExpected,
            long onlineShownMin, long onlineShownMax, boolean valueAgrees, Duration agreedAfter, long historyVisits,
            long historyExpected) {

        public boolean exact() {
            return agreedAfter != null && visitsExpected == visitsCounted && onlineExpected == onlineShownMin
                    && onlineExpected == onlineShownMax && valueAgrees && historyVisits == historyExpected;
        }

        String format() {
            return String.format(Locale.ROOT, "| %-44s | %6d / %-7d | %-7s | %6d / %-11s | %-5s | %-9s |",
                    scenario, visitsExpected, visitsCounted,
                    historyVisits == historyExpected ? historyVisits : historyVisits + " NO",
                    onlineExpected,
                    onlineShownMin == onlineShownMax ? Long.toString(onlineShownMin) : onlineShownMin + ".." + onlineShownMax,
                    valueAgrees ? "yes" : "NO",
                    agreedAfter == null ? "never" : String.format(Locale.ROOT, "%.1f s", agreedAfter.toMillis() / 1000.0));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AGREEMENT_TIMEOUT = Duration.ofMinutes(3);
    /** How long a replica is frozen: past the reaper's 10 s timeout and a few of its looks. */
    private static final Duration STALL = Duration.ofSeconds(15);

    private final LocalStack stack;
    private final Scale scale;
    private final java.time.Instant started = java.time.Instant.now();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "visitor-timer");
        t.setDaemon(true);
        return t;
    });
    /** Broadcaster ports the "ingress" currently routes to. */
    private final List<Integer> routed = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final IntSupplier ingress = () -> routed.get(Math.floorMod(next.getAndIncrement(), routed.size()));

    public FaultSuite(LocalStack stack, Scale scale) {
        this.stack = stack;
        this.scale = scale;
        stack.broadcasters().forEach(b -> routed.add(b.port()));
    }

    /** Waits until the loop is live: a press on one replica reaches a page on the other, and the stream runs. */
    public void warmUp() {
        String counter = counter("warmup");
        Visitor presser = new Visitor(http, timer, counter, address(), () -> stack.broadcaster(0).port());
        Visitor watcher = new Visitor(http, timer, counter, address(), () -> stack.broadcaster(1).port());
        presser.arrive();
        watcher.arrive();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (watcher.value() < 1 && System.nanoTime() < deadline) {
            presser.press();
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        }
        presser.leave();
        watcher.leave();
        // and the stream itself (KCL's first start): on a counter no service changes after the reader's connect, a
        // change by an outside writer reaches the page only through it
        String untouched = counter("warmup-stream");
        Visitor reader = new Visitor(http, timer, untouched, address(), () -> stack.broadcaster(1).port());
        reader.arrive();
        while (reader.online() < 1 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        try (OutsideWriter outsider = new OutsideWriter(stack)) {
            outsider.addToValue(untouched, 1);
            while (reader.value() < 1 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
        }
        reader.leave();
    }

    public List<Row> runAll() {
        List<Row> rows = new ArrayList<>();
        rows.add(retriedCalls());
        rows.add(killReplicaHoldingHalfTheSockets());
        rows.add(rollingRestartOfEveryBroadcaster());
        rows.add(databaseUnreachable());
        rows.add(connectStorm());
        rows.add(killConnectionServiceDuringStorm());
        rows.add(replicaStalledPastTheReaperTimeout());
        rows.add(operatorReset());
        return rows;
    }

    public static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| scenario                                     | visits exp / counted | history | online exp / shown    | value | agreed in |\n");
        out.append("| -------------------------------------------- | -------------------- | ------- | --------------------- | ----- | --------- |\n");
        rows.forEach(r -> out.append(r.format()).append('\n'));
        long inexact = rows.stream().filter(r -> !r.exact()).count();
        out.append(inexact == 0 ? "0 lost, 0 doubled in every row\n" : inexact + " row(s) NOT exact\n");
        return out.toString();
    }

    Row retriedCalls() {
        String counter = counter("retries");
        List<Visitor> watchers = arrive(counter, 1, Duration.ZERO);
        int calls = scale.visitors();
        URI base = stack.connectionService().baseUri();
        List<URI> open = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            URI connection = base.resolve("/connections/" + UUID.randomUUID());
            String body = "{\"counter\":\"" + counter + "\",\"replicaId\":\"retry-test\",\"visitId\":\"v" + i + "\"}";
            for (int attempt = 0; attempt < 3; attempt++) {
                internal("PUT", connection, body);
            }
            if (i % 2 == 0) {
                for (int attempt = 0; attempt < 3; attempt++) {
                    internal("DELETE", connection, null);
                }
                // a connect retried after its disconnect (it was stuck somewhere) must not count again
                internal("PUT", connection, body);
            } else {
                open.add(connection);
            }
        }
        long faultEnded = System.nanoTime();
        Row row = agree("retried connect x3 and disconnect x3", counter, watchers,
                calls + 1, calls - calls / 2 + 1, faultEnded);
        open.forEach(connection -> internal("DELETE", connection, null));
        leave(counter, watchers);
        return row;
    }

    Row killReplicaHoldingHalfTheSockets() {
        String counter = counter("kill");
        List<Visitor> visitors = arrive(counter, scale.visitors(), Duration.ZERO);
        awaitSettled(counter, visitors, scale.visitors());
        ServiceProcess victim = stack.broadcaster(stack.broadcasters().size() - 1);
        routed.remove((Integer) victim.port());
        victim.kill();
        long faultEnded = System.nanoTime();
        Row row = agree("kill -9 of a replica holding half the sockets", counter, visitors,
                scale.visitors(), scale.visitors(), faultEnded);
        victim.start().awaitHealthy(Duration.ofSeconds(120));
        routed.add(victim.port());
        leave(counter, visitors);
        return row;
    }

    Row rollingRestartOfEveryBroadcaster() {
        String counter = counter("rolling");
        List<Visitor> visitors = arrive(counter, scale.visitors(), Duration.ZERO);
        awaitSettled(counter, visitors, scale.visitors());
        for (ServiceProcess broadcaster : stack.broadcasters()) {
            routed.remove((Integer) broadcaster.port());
            broadcaster.stop();
            broadcaster.start().awaitHealthy(Duration.ofSeconds(120));
            routed.add(broadcaster.port());
        }
        long faultEnded = System.nanoTime();
        Row row = agree("rolling restart of every broadcaster", counter, visitors,
                scale.visitors(), scale.visitors(), faultEnded);
        leave(counter, visitors);
        return row;
    }

    Row databaseUnreachable() {
        String counter = counter("outage");
        List<Visitor> visitors = arrive(counter, scale.visitors(), Duration.ZERO);
        awaitSettled(counter, visitors, scale.visitors());
        int churn = Math.max(1, scale.visitors() / 10);
        stack.dynamoDbProxy().cut();
        long cutAt = System.nanoTime();
        // during the outage: some leave, some arrive (their connects fail and retry), people press
        List<Visitor> leaving = new ArrayList<>(visitors.subList(0, churn));
        leave(leaving);
        visitors.removeAll(leaving);
        visitors.addAll(arrive(counter, churn, Duration.ZERO));
        visitors.forEach(Visitor::press);
        LockSupport.parkNanos(cutAt + scale.outage().toNanos() - System.nanoTime());
        stack.dynamoDbProxy().restore();
        long faultEnded = System.nanoTime();
        Row row = agree("database unreachable for " + scale.outage().toSeconds() + " s", counter, visitors,
                scale.visitors() + churn, scale.visitors(), faultEnded);
        leave(counter, visitors);
        return row;
    }

    Row connectStorm() {
        String counter = counter("storm");
        List<Visitor> visitors = arrive(counter, scale.storm(), scale.stormTime());
        long faultEnded = System.nanoTime();
        Row row = agree(scale.storm() + " connects in " + scale.stormTime().toSeconds() + " s", counter, visitors,
                scale.storm(), scale.storm(), faultEnded);
        leave(counter, visitors);
        return row;
    }

    Row killConnectionServiceDuringStorm() {
        String counter = counter("storm-kill");
        ServiceProcess connectionService = stack.connectionService();
        Duration half = scale.stormTime().dividedBy(2);
        List<Visitor> visitors = new ArrayList<>(arrive(counter, scale.storm() / 2, half));
        connectionService.kill();
        visitors.addAll(arrive(counter, scale.storm() - scale.storm() / 2, half));
        connectionService.start().awaitHealthy(Duration.ofSeconds(120));
        long faultEnded = System.nanoTime();
        Row row = agree("kill -9 of connection-service during the storm", counter, visitors,
                scale.storm(), scale.storm(), faultEnded);
        leave(counter, visitors);
        return row;
    }

    /**
     * SIGSTOP of a broadcaster holding half the sockets (a long GC pause, a starved pod, a partition) past the reaper's
     * timeout: its sockets are reaped; after SIGCONT it finds itself reaped and closes them, and the pages reconnect
     * with their visit ids. Agreed from the SIGCONT.
     */
    Row replicaStalledPastTheReaperTimeout() {
        String counter = counter("stall");
        List<Visitor> visitors = arrive(counter, scale.visitors(), Duration.ZERO);
        awaitSettled(counter, visitors, scale.visitors());
        ServiceProcess victim = stack.broadcaster(stack.broadcasters().size() - 1);
        signal(victim, "-STOP");
        try {
            // the reaper's timeout (10 s) and a few of its looks
            LockSupport.parkNanos(STALL.toNanos());
        } finally {
            signal(victim, "-CONT");
        }
        long faultEnded = System.nanoTime();
        Row row = agree("replica stalled " + STALL.toSeconds() + " s (past the reaper's timeout)", counter, visitors,
                scale.visitors(), scale.visitors(), faultEnded);
        leave(counter, visitors);
        return row;
    }

    /** counter-service's reset (visits too) while the pages are open: every page follows the newer version. */
    Row operatorReset() {
        String counter = counter("reset");
        List<Visitor> visitors = arrive(counter, scale.visitors(), Duration.ZERO);
        visitors.forEach(Visitor::press);
        awaitSettled(counter, visitors, scale.visitors());
        internal("POST", stack.counterService().baseUri().resolve("/counters/" + counter + "/reset?visits=true"), null);
        long faultEnded = System.nanoTime();
        // the reset says: visits 0, value 0 (checked against the database), online as it is
        Row row = agree("operator reset (visits too) under open pages", counter, visitors, 0, scale.visitors(),
                faultEnded);
        // the history keeps the visits that happened: a reset zeroes the total, not the past
        boolean valueReset = read(counter).path("value").asLong(-1) == 0;
        row = new Row(row.scenario(), row.visitsExpected(), row.visitsCounted(), row.onlineExpected(),
                row.onlineShownMin(), row.onlineShownMax(), row.valueAgrees() && valueReset, row.agreedAfter(),
                row.historyVisits(), scale.visitors());
        leave(counter, visitors);
        return row;
    }

    private static void signal(ServiceProcess service, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(service.process().pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + signal + " " + service.name() + " failed");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code count} visitors arriving evenly over {@code over}, each from an address of its own. */
    private List<Visitor> arrive(String counter, int count, Duration over) {
        List<Visitor> visitors = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + over.toNanos() * i / Math.max(1, count);
            LockSupport.parkNanos(due - System.nanoTime());
            Visitor visitor = new Visitor(http, timer, counter, address(), ingress);
            visitors.add(visitor);
            visitor.arrive();
        }
        return new ArrayList<>(visitors);
    }

    private static void leave(List<Visitor> visitors) {
        visitors.forEach(Visitor::leave);
    }

    /** Everyone leaves, and the suite waits until the count says so: the next scenario starts from quiet. */
    private void leave(String counter, List<Visitor> visitors) {
        leave(visitors);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (read(counter).path("online").asLong(-1) != 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    private void awaitSettled(String counter, List<Visitor> visitors, long online) {
        Row row = agree("settle", counter, visitors, visitors.size(), online, System.nanoTime());
        if (!row.exact()) {
            throw new IllegalStateException("the system did not settle before the fault: " + row.format());
        }
    }

    /** Waits until every page and the database show the expected numbers, or the timeout. */
    private Row agree(String scenario, String counter, List<Visitor> visitors, long visits, long online, long since) {
        long deadline = System.nanoTime() + AGREEMENT_TIMEOUT.toNanos();
        JsonNode db = read(counter);
        while (true) {
            long value = db.path("value").asLong();
            boolean pagesAgree = visitors.stream()
                    .allMatch(v -> v.isOpen() && v.visits() == visits && v.online() == online && v.value() == value);
            if (pagesAgree && db.path("visits").asLong() == visits && db.path("online").asLong() == online) {
                return row(scenario, visits, online, visitors, db, Duration.ofNanos(System.nanoTime() - since),
                        historyVisits(counter));
            }
            if (System.nanoTime() > deadline) {
                return row(scenario, visits, online, visitors, db, null, historyVisits(counter));
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            db = read(counter);
        }
    }

    private static Row row(String scenario, long visits, long online, List<Visitor> visitors, JsonNode db, Duration agreed,
            long history) {
        long min = visitors.stream().mapToLong(Visitor::online).min().orElse(-1);
        long max = visitors.stream().mapToLong(Visitor::online).max().orElse(-1);
        boolean valueAgrees = visitors.stream().allMatch(v -> v.value() == db.path("value").asLong());
        // the minute buckets hold every visit the counter counted
        long counted = db.path("visits").asLong();
        return new Row(scenario, visits, counted, online, min, max, valueAgrees, agreed, history, counted);
    }

    /** The visits in the counter's minute buckets since the suite began (each scenario has a counter of its own). */
    private long historyVisits(String counter) {
        String from = started.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
        try {
            JsonNode history = JSON.readTree(internal("GET", stack.connectionService().baseUri()
                    .resolve("/history/" + counter + "?resolution=minute&from=" + from), null));
            long sum = 0;
            for (JsonNode bucket : history.path("buckets")) {
                sum += bucket.path("visits").asLong();
            }
            return history.has("buckets") ? sum : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private JsonNode read(String counter) {
        try {
            return JSON.readTree(internal("GET", stack.counterService().baseUri().resolve("/counters/" + counter), null));
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private String internal(String method, URI uri, String body) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .header("X-Live-Counter-Secret", stack.internalSecret())
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String counter(String scenario) {
        return "faults-" + scenario + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String address() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }

    /** Starts a local stack with two replicas and a cuttable database, runs the full suite, prints the table. */
    public static void main(String[] args) {
        Scale scale = args.length > 0 && args[0].equals("--short") ? Scale.SHORT : Scale.FULL;
        try (LocalStack stack = stackForFaults().start()) {
            System.out.printf("local stack healthy in %.1f s; waiting for the stream...%n", stack.startupTime().toMillis() / 1000.0);
            FaultSuite suite = new FaultSuite(stack, scale);
            suite.warmUp();
            List<Row> rows = suite.runAll();
            System.out.println();
            System.out.print(table(rows));
            if (rows.stream().anyMatch(r -> !r.exact())) {
                System.exit(1);
            }
        }
    }

    /** The stack the suite needs: a cuttable database, client addresses from the proxy header, quick failover. */
    public static LocalStack.Builder stackForFaults() {
        return LocalStack.builder()
                .broadcasters(2)
                .dynamoDbProxy(true)
                .broadcasterEnv("LIVECOUNTER_LIMITS_CLIENT_IP_HEADER", "X-Forwarded-For");
    }
}

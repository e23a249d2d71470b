package dev.livecounter.faults;

import dev.livecounter.local.LocalStack;
import dev.livecounter.local.OutsideWriter;
import dev.livecounter.local.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * The faults that really happen in a cluster, against the real local system (DynamoDB Local behind a proxy the
 * suite can cut, every service its own process, visitors on real sockets that reconnect as the page does): the
 * scenarios are {@link FaultScenarios}, the people {@link Crowd}, the measure {@link Agreement}.
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

    private final LocalStack stack;
    private final Crowd crowd;
    private final FaultScenarios scenarios;
    private final TableFault tables;

    public FaultSuite(LocalStack stack, Scale scale) {
        this.stack = stack;
        this.crowd = new Crowd(stack.broadcasters().stream().map(ServiceProcess::port).toList());
        this.scenarios = new FaultScenarios(stack, scale, crowd, new Agreement(stack));
        this.tables = new TableFault(stack, crowd);
        this.scale = scale;
    }

    private final Scale scale;

    /** The streamed tables' row: a replica killed while an application changes 100 items. */
    public TableFault.TableRow runTables() {
        return tables.killReplicaWhileItemsChange(scale == Scale.FULL ? 10 : 5);
    }

    /** Waits until the loop is live: a press on one replica reaches a page on the other, and the stream runs. */
    public void warmUp() {
        String counter = FaultScenarios.counter("warmup");
        Visitor presser = crowd.visitorOn(counter, () -> stack.broadcaster(0).port());
        Visitor watcher = crowd.visitorOn(counter, () -> stack.broadcaster(1).port());
        presser.arrive();
        watcher.arrive();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (watcher.shown().value() < 1 && System.nanoTime() < deadline) {
            presser.press();
            LockSupport.parkNanos(Duration.ofSeconds(1).toNanos());
        }
        presser.leave();
        watcher.leave();
        // and the stream itself (KCL's first start): on a counter no service changes after the reader's connect, a
        // change by an outside writer reaches the page only through it
        String untouched = FaultScenarios.counter("warmup-stream");
        Visitor reader = crowd.visitorOn(untouched, () -> stack.broadcaster(1).port());
        reader.arrive();
        while (reader.shown().online() < 1 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        try (OutsideWriter outsider = new OutsideWriter(stack)) {
            outsider.addToValue(untouched, 1);
            while (reader.shown().value() < 1 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
            }
        }
        reader.leave();
    }

    /** Every fault scenario in turn, one row each. */
    public List<Row> runAll() {
        List<Row> rows = new ArrayList<>();
        rows.add(scenarios.retriedCalls());
        rows.add(scenarios.killReplicaHoldingHalfTheSockets());
        rows.add(scenarios.rollingRestartOfEveryBroadcaster());
        rows.add(scenarios.databaseUnreachable());
        rows.add(scenarios.connectStorm());
        rows.add(scenarios.killOneConnectionServiceDuringStorm());
        rows.add(scenarios.deflateBombDuringStorm());
        rows.add(scenarios.replicaStalledPastTheReaperTimeout());
        rows.add(scenarios.operatorReset());
        return rows;
    }

    /**
     * How often the connection-services' transactions met each other's on one item (two instances write the same
     * counters) and were retried, against the transactions they ran: from each live instance's metrics, so an
     * instance killed by a row takes its figures with it.
     */
    public String transactionConflicts() {
        return transactionConflicts(stack);
    }

    /** {@link #transactionConflicts()} of any local stack (the storm bench reports it too). */
    public static String transactionConflicts(LocalStack stack) {
        long conflicts = 0;
        long transactions = 0;
        Agreement reader = new Agreement(stack);
        for (ServiceProcess service : stack.connectionServices()) {
            for (String line : reader.internal("GET", service.baseUri().resolve("/prometheus"), null).split("\n")) {
                if (line.startsWith("livecounter_transaction_conflicts_retried_total")) {
                    conflicts += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                } else if (line.startsWith("livecounter_dynamodb_calls_seconds_count{")
                        && line.contains("operation=\"TransactWriteItems\"")) {
                    transactions += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return String.format(Locale.ROOT, "%d connection-services: %d transaction conflicts retried in %d transactions (%.2f %%)",
                stack.connectionServices().size(), conflicts, transactions,
                transactions == 0 ? 0.0 : 100.0 * conflicts / transactions);
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

    /** Starts a local stack with two replicas and a cuttable database, runs the full suite, prints the table. */
    public static void main(String[] args) {
        Scale scale = args.length > 0 && args[0].equals("--short") ? Scale.SHORT : Scale.FULL;
        try (LocalStack stack = stackForFaults().start()) {
            System.out.printf("local stack healthy in %.1f s; waiting for the stream...%n", stack.startupTime().toMillis() / 1000.0);
            FaultSuite suite = new FaultSuite(stack, scale);
            suite.warmUp();
            List<Row> rows = suite.runAll();
            TableFault.TableRow tableRow = suite.runTables();
            System.out.println();
            System.out.print(table(rows));
            System.out.println(suite.transactionConflicts());
            System.out.println();
            System.out.print(TableFault.TableRow.header() + tableRow.format() + "\n");
            if (rows.stream().anyMatch(r -> !r.exact()) || !tableRow.exact()) {
                System.exit(1);
            }
        }
    }

    /** The stack the suite needs: a cuttable database, client addresses from the proxy header, quick failover. */
    public static LocalStack.Builder stackForFaults() {
        return LocalStack.builder()
                .broadcasters(2)
                .serviceReplicas(2)
                .dynamoDbProxy(true)
                .broadcasterEnv("LIVECOUNTER_LIMITS_CLIENT_IP_HEADER", "X-Forwarded-For");
    }
}

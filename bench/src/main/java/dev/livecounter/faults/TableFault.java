package dev.livecounter.faults;

import dev.livecounter.local.LocalStack;
import dev.livecounter.local.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The streamed tables' fault row: an application writes 100 items of a table over and over while a broadcaster
 * replica is killed (kill -9) and comes back; the subscribers on it reconnect elsewhere with their last position.
 * Every subscriber must end with every item's last state, and never see an item's change missing or out of order,
 * unless it was told of a gap and given a fresh snapshot.
 */
record TableFault(LocalStack stack, Crowd crowd) {

    private static final int ITEMS = 100;
    private static final int SUBSCRIBERS = 6;

    /** The row: what was written, what the subscribers ended with, how they got there. */
    record TableRow(String scenario, int items, int subscribers, int changes, int agreeing, List<String> violations,
            int resumes, int gaps, Duration agreedAfter) {

        boolean exact() {
            return agreedAfter != null && agreeing == subscribers && violations.isEmpty();
        }

        String format() {
            return String.format(Locale.ROOT,
                    "| %-52s | %5d | %8d / %-7d | %-10s | %7d | %4d | %-9s |",
                    scenario, changes, agreeing, subscribers,
                    violations.isEmpty() ? "none" : violations.size() + " NO",
                    resumes, gaps,
                    agreedAfter == null ? "never" : String.format(Locale.ROOT, "%.1f s", agreedAfter.toMillis() / 1000.0));
        }

        static String header() {
            return "| table scenario                                       | changes | at last state | out of order | resumed | gaps | agreed in |\n"
                    + "| ---------------------------------------------------- | ------- | ------------- | ------------ | ------- | ---- | --------- |\n";
        }
    }

    TableRow killReplicaWhileItemsChange(int rounds) {
        String customer = "fault-" + UUID.randomUUID().toString().substring(0, 8);
        ServiceProcess victim = stack.broadcaster(stack.broadcasters().size() - 1);
        try (DynamoDbClient writer = stack.dynamoDbClient()) {
            for (int i = 0; i < ITEMS; i++) {
                set(writer, customer, i, 0);
            }
            List<TableWatcher> watchers = new ArrayList<>();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                TableWatcher watcher = crowd.tableWatcher(customer);
                watchers.add(watcher);
                watcher.arrive();
            }
            awaitAll(watchers, 0, Duration.ofSeconds(60));
            CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
                for (int round = 1; round <= rounds; round++) {
                    for (int i = 0; i < ITEMS; i++) {
                        set(writer, customer, i, round);
                    }
                }
            });
            // the kill lands while the writer is busy
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            crowd.unroute(victim.port());
            victim.kill();
            writes.join();
            long written = System.nanoTime();
            victim.start().awaitHealthy(Duration.ofSeconds(120));
            crowd.route(victim.port());
            Duration agreed = awaitAll(watchers, rounds, Duration.ofSeconds(120)) ? Duration.ofNanos(System.nanoTime() - written) : null;
            List<String> violations = new ArrayList<>();
            int agreeing = 0;
            int resumes = 0;
            int gaps = 0;
            for (TableWatcher watcher : watchers) {
                violations.addAll(watcher.violations());
                agreeing += atLastState(watcher, rounds) ? 1 : 0;
                resumes += watcher.resumes();
                gaps += watcher.gaps();
                watcher.leave();
            }
            return new TableRow("kill -9 of a replica while a writer changes 100 items", ITEMS, SUBSCRIBERS,
                    ITEMS * rounds, agreeing, violations, resumes, gaps, agreed);
        }
    }

    private static boolean awaitAll(List<TableWatcher> watchers, int round, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (watchers.stream().allMatch(w -> atLastState(w, round))) {
                return true;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        return false;
    }

    private static boolean atLastState(TableWatcher watcher, int round) {
        Map<String, Long> totals = watcher.totals();
        return totals.size() == ITEMS && totals.values().stream().allMatch(total -> total == round);
    }

    private static void set(DynamoDbClient writer, String customer, int item, long total) {
        writer.putItem(r -> r.tableName("orders").item(Map.of(
                "customer", AttributeValue.fromS(customer),
                "orderId", AttributeValue.fromS(String.format(Locale.ROOT, "o%03d", item)),
                "status", AttributeValue.fromS("placed"),
                "total", AttributeValue.fromN(Long.toString(total)))));
    }
}

package dev.livecounter.bench;

import dev.livecounter.local.LocalStack;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The connect storm's database ceiling: the connect transactions connection-service writes for a storm on one
 * counter, driven straight at the stack's DynamoDB Local through the SDK (or through its proxy, to share the services'
 * latency profile: {@code storm --db-profile}), with the same concurrency (one
 * transaction at a time per counter: its group commit keeps one lane per counter), so the storm's counted rate can
 * be read as a share of what the database itself does on this machine, in the same run.
 *
 * <p>The transaction copies connection-service's {@code ConnectTransaction}, written here with plain SDK calls so
 * the ceiling does not depend on the service's code: per connect a conditional Put of the connection
 * item ({@code attribute_not_exists}) and of its visit marker ({@code attribute_not_exists OR expiresAt < now}), and
 * with a visitor id a conditional Put of the visitor's day marker in the history table
 * ({@code UniqueVisitors.Batch.mark}); per transaction one Update of the counter ({@code ADD visits, online,
 * uniqueToday}, {@code SET updatedAt, expiresAt}, the version bump; the first one under the {@code uniqueDay}
 * condition that starts the day) and the Updates of the minute, hour and day buckets ({@code HistoryItems.buckets});
 * after it, one consistent GetItem of the counter (the snapshot the calls are answered with), beside the lane. Batches as
 * {@code ConnectionBatcher} makes them: up to 49 connects, bounded so a transaction has at most 100 items.
 */
final class ConnectCeiling implements AutoCloseable {

    /** The rate and the shape of one ceiling run. */
    record Result(int connects, int transactions, int perTransaction, double seconds) {
        double perSecond() {
            return connects / seconds;
        }
    }

    private static final int MAX_ITEMS = 100;
    private static final int MAX_BATCH = 49;
    private static final int BUCKET_ITEMS = 3;

    private final DynamoDbClient dynamoDb;
    private final String prefix;

    /**
     * {@code proxied}: through the stack's proxy, as the services' calls go (so with its latency profile); else straight
     * at DynamoDB Local.
     */
    ConnectCeiling(LocalStack stack, boolean proxied) {
        this.dynamoDb = proxied ? stack.servicesDynamoDbClient() : stack.dynamoDbClient();
        this.prefix = stack.tableName("");
    }

    /** {@code connects} connects to each of {@code lanes} new counters, full batches, one transaction at a time per counter. */
    Result run(String counterPrefix, int connects, boolean visitors, int lanes) {
        int perTransaction = Math.min(MAX_BATCH, (MAX_ITEMS - 1 - BUCKET_ITEMS) / (visitors ? 3 : 2));
        ExecutorService pool = Executors.newFixedThreadPool(lanes);
        ExecutorService readers = Executors.newFixedThreadPool(lanes);
        try {
            long start = System.nanoTime();
            List<Future<Integer>> done = new ArrayList<>();
            for (int lane = 0; lane < lanes; lane++) {
                String counter = counterPrefix + "-ceiling-" + lane;
                done.add(pool.submit(() -> lane(counter, connects, perTransaction, visitors, readers)));
            }
            int transactions = 0;
            for (Future<Integer> lane : done) {
                transactions += lane.get();
            }
            return new Result(connects * lanes, transactions, perTransaction, (System.nanoTime() - start) / 1e9);
        } catch (Exception e) {
            throw new IllegalStateException("the database ceiling run failed", e);
        } finally {
            pool.shutdownNow();
            readers.shutdownNow();
        }
    }

    /**
     * One counter's lane. The counter's read after each transaction runs beside the lane, as connection-service's
     * {@code FreshReads} does it (the next transaction does not wait for it); the lane ends when its reads have.
     */
    private int lane(String counter, int connects, int perTransaction, boolean visitors, ExecutorService readers)
            throws Exception {
        int transactions = 0;
        List<Future<?>> reads = new ArrayList<>();
        for (int from = 0; from < connects; from += perTransaction) {
            int n = Math.min(perTransaction, connects - from);
            Instant now = Instant.now();
            List<TransactWriteItem> items = new ArrayList<>(MAX_ITEMS);
            for (int i = 0; i < n; i++) {
                connect(items, counter, visitors, now);
            }
            items.add(counterUpdate(counter, n, visitors ? n : 0, from == 0, now));
            items.addAll(buckets(counter, n, visitors ? n : 0, now));
            dynamoDb.transactWriteItems(r -> r.transactItems(items));
            reads.add(readers.submit(() -> dynamoDb.getItem(
                    r -> r.tableName(prefix + "counters").key(Map.of("name", s(counter))).consistentRead(true))));
            transactions++;
        }
        for (Future<?> read : reads) {
            read.get();
        }
        return transactions;
    }

    /** One connect's items: its connection, its page load's visit marker, its visitor's day marker. */
    private void connect(List<TransactWriteItem> items, String counter, boolean visitor, Instant now) {
        String connectionId = UUID.randomUUID().toString();
        String visitId = UUID.randomUUID().toString();
        items.add(put(prefix + "connections", Map.of("connectionId", s(connectionId), "counter", s(counter),
                "replicaId", s("bench-ceiling"), "visitId", s(visitId), "connectedAt", s(now.toString()),
                "expiresAt", n(now.plus(1, ChronoUnit.DAYS).getEpochSecond())),
                "attribute_not_exists(#id)", Map.of("#id", "connectionId"), Map.of()));
        items.add(put(prefix + "connections", Map.of("connectionId", s("visit#" + counter + "#" + visitId),
                "counter", s(counter), "expiresAt", n(now.plus(30, ChronoUnit.MINUTES).getEpochSecond())),
                "attribute_not_exists(#id) OR #exp < :now", Map.of("#id", "connectionId", "#exp", "expiresAt"),
                Map.of(":now", n(now.getEpochSecond()))));
        if (visitor) {
            LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
            items.add(put(prefix + "history", Map.of(
                    "series", s("visitor#" + counter + "#" + day + "#" + UUID.randomUUID()), "start", s(day.toString()),
                    "minute", s(now.truncatedTo(ChronoUnit.MINUTES).toString()), "hour", s(now.truncatedTo(ChronoUnit.HOURS).toString()),
                    "expiresAt", n(day.plusDays(2).atStartOfDay(ZoneOffset.UTC).toEpochSecond())),
                    "attribute_not_exists(#series)", Map.of("#series", "series"), Map.of()));
        }
    }

    private TransactWriteItem counterUpdate(String counter, int connects, int uniques, boolean firstOfDay, Instant now) {
        Map<String, String> names = new HashMap<>(Map.of("#online", "online", "#visits", "visits", "#version", "version",
                "#updatedAt", "updatedAt", "#expiresAt", "expiresAt"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":online", n(connects), ":visits", n(connects),
                ":now", s(now.toString()), ":counterExpiresAt", n(now.plus(30, ChronoUnit.DAYS).getEpochSecond()),
                ":versionBase", n(System.currentTimeMillis() * 1000), ":versionOne", n(1)));
        String adds = "#visits :visits, #online :online";
        String sets = "#updatedAt = :now, #expiresAt = :counterExpiresAt, #version = if_not_exists(#version, :versionBase) + :versionOne";
        String condition = null;
        if (uniques > 0) {
            names.putAll(Map.of("#uniqueDay", "uniqueDay", "#uniqueToday", "uniqueToday"));
            values.putAll(Map.of(":today", s(LocalDate.ofInstant(now, ZoneOffset.UTC).toString()), ":uniques", n(uniques)));
            adds += firstOfDay ? "" : ", #uniqueToday :uniques";
            sets += firstOfDay ? ", #uniqueDay = :today, #uniqueToday = :uniques" : "";
            condition = firstOfDay ? "attribute_not_exists(#uniqueDay) OR #uniqueDay < :today" : "#uniqueDay = :today";
        }
        String expression = "ADD " + adds + " SET " + sets;
        String check = condition;
        return TransactWriteItem.builder().update(u -> u.tableName(prefix + "counters").key(Map.of("name", s(counter)))
                .updateExpression(expression).conditionExpression(check)
                .expressionAttributeNames(names).expressionAttributeValues(values)).build();
    }

    /** The minute, hour and day buckets' {@code ADD visits, uniqueVisitors}; minute and hour with their expiry (retention + 1/24). */
    private List<TransactWriteItem> buckets(String counter, int visits, int uniques, Instant now) {
        List<TransactWriteItem> items = new ArrayList<>(BUCKET_ITEMS);
        String[][] resolutions = {{"minute", "MINUTES", "180000"}, {"hour", "HOURS", "8100000"}, {"day", "DAYS", ""}};
        for (String[] r : resolutions) {
            Instant start = now.truncatedTo(ChronoUnit.valueOf(r[1]));
            Map<String, String> names = new HashMap<>(Map.of("#visits", "visits", "#unique", "uniqueVisitors"));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":visits", n(visits), ":unique", n(uniques)));
            String expression = "ADD #visits :visits, #unique :unique";
            if (!r[2].isEmpty()) {
                names.put("#exp", "expiresAt");
                values.put(":exp", n(start.getEpochSecond() + Long.parseLong(r[2])));
                expression += " SET #exp = :exp";
            }
            String update = expression;
            items.add(TransactWriteItem.builder().update(u -> u.tableName(prefix + "history")
                    .key(Map.of("series", s(counter + "#" + r[0]), "start", s(start.toString())))
                    .updateExpression(update).expressionAttributeNames(names).expressionAttributeValues(values)).build());
        }
        return items;
    }

    private static TransactWriteItem put(String table, Map<String, AttributeValue> item, String condition,
            Map<String, String> names, Map<String, AttributeValue> values) {
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values.isEmpty() ? null : values)).build();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    @Override
    public void close() {
        dynamoDb.close();
    }
}

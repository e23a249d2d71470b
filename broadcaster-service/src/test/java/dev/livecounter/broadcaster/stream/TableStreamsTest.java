package dev.livecounter.broadcaster.stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.broadcaster.config.StreamSettings;
import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.common.dynamodb.DynamoDbSettings;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.model.CounterSnapshot;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The consumer against DynamoDB Local's streams: two streamed tables (one created only after the consumer started)
 * and the counters table; every record reaches {@link TableRecords} in order, each batch's {@code previous} the
 * sequence number before it in its shard, and a restarted consumer resumes at its checkpoint.
 */
class TableStreamsTest {

    private static final StreamSettings SETTINGS = new StreamSettings(true, Duration.ofMillis(100), Duration.ofSeconds(3),
            Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(60));

    private final TableSettings tables = new TableSettings("t" + UUID.randomUUID().toString().substring(0, 8) + "-", true);
    private final String orders = tables.prefix() + "orders";
    private final String events = tables.prefix() + "events";

    @Test
    void everyRecordInOrderWithPreviousChainedAndResumedAfterRestart() throws Exception {
        LocalStreams.dynamoDb().createTable(CounterTable.definition(tables.counters()).billingMode(BillingMode.PAY_PER_REQUEST).build());
        LocalStreams.createTable(orders, true, StreamViewType.NEW_AND_OLD_IMAGES);
        StreamClients clients = clients();

        // orders has changes before the consumer starts; events does not exist yet
        Map<String, Integer> sent = new HashMap<>();
        writeRound(orders, 0, sent);
        Recording first = new Recording(List.of(orders, events));
        List<CounterSnapshot> counters = new CopyOnWriteArrayList<>();
        StreamConsumer consumer = consumer(clients, first, counters::add);
        consumer.start();
        await().atMost(Duration.ofSeconds(20)).until(
                () -> consumer.status().tables().get(events).phase().state() == StreamStatus.State.WAITING_FOR_TABLE);
        LocalStreams.createTable(events, false, StreamViewType.NEW_AND_OLD_IMAGES);
        writeRound(events, 0, sent);
        writeRound(orders, 1, sent);
        writeRound(events, 1, sent);
        writeCounter("home", 1);
        writeCounter("home", 2);
        await().atMost(Duration.ofSeconds(90)).until(() -> first.count(orders) == sent.get(orders)
                && first.count(events) == sent.get(events)
                && counters.stream().anyMatch(c -> c.counter().equals("home") && c.version() == 2));
        first.assertChained(Map.of());
        first.assertItemsInOrder();
        assertEquals(StreamStatus.State.RUNNING, consumer.status().tables().get(orders).phase().state());
        assertEquals(StreamStatus.State.RUNNING, consumer.status().phase().state());
        consumer.stop();

        // written while no consumer runs: the next one starts at the checkpoint, previous = the last one accepted
        Map<String, Integer> before = Map.copyOf(sent);
        writeRound(orders, 2, sent);
        writeRound(events, 2, sent);
        Recording second = new Recording(List.of(orders, events));
        StreamConsumer restarted = consumer(clients, second, c -> {});
        restarted.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> second.count(orders) == sent.get(orders) - before.get(orders)
                    && second.count(events) == sent.get(events) - before.get(events));
            // every shard read again was read before: its first batch's previous is that checkpoint, not null
            assertTrue(first.lastPerShard().keySet().containsAll(second.lastPerShard().keySet()));
            second.assertChained(first.lastPerShard());
            second.assertItemsInOrder();
        } finally {
            restarted.stop();
        }
    }

    @Test
    void aStreamedTableWithoutBothImagesStopsTheStart() {
        String keysOnly = tables.prefix() + "keys-only";
        String none = tables.prefix() + "no-stream";
        LocalStreams.createTable(keysOnly, false, StreamViewType.KEYS_ONLY);
        LocalStreams.createTable(none, false, null);
        StreamClients clients = clients();

        IllegalStateException wrongView = assertThrows(IllegalStateException.class, () -> clients.requireFullImages(keysOnly));
        assertTrue(wrongView.getMessage().contains("aws dynamodb update-table --table-name " + keysOnly
                + " --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES"), wrongView.getMessage());
        assertTrue(wrongView.getMessage().contains("KEYS_ONLY"), wrongView.getMessage());
        IllegalStateException noStream = assertThrows(IllegalStateException.class, () -> clients.requireFullImages(none));
        assertTrue(noStream.getMessage().contains("aws dynamodb update-table --table-name " + none
                + " --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES"), noStream.getMessage());

        StreamConsumer consumer = consumer(clients, new Recording(List.of(keysOnly)), c -> {});
        IllegalStateException atStart = assertThrows(IllegalStateException.class, consumer::start);
        assertTrue(atStart.getMessage().contains(keysOnly), atStart.getMessage());
        assertEquals(StreamStatus.State.FAILED, consumer.status().tables().get(keysOnly).phase().state());
        consumer.stop();
    }

    @Test
    void previousIsNullForSentinels() {
        assertNull(TableStreamProcessor.sequenceNumber(
                software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber.TRIM_HORIZON));
        assertNull(TableStreamProcessor.sequenceNumber(
                software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber.LATEST));
        assertEquals("000123", TableStreamProcessor.sequenceNumber(
                new software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber("000123")));
    }

    private StreamClients clients() {
        return new StreamClients(LocalStreams.dynamoDb(), LocalStreams.dynamoDbAsync(),
                new DynamoDbSettings(Duration.ofSeconds(3), Duration.ofSeconds(1), 4),
                AwsCredentialsProviderChain.of(LocalStreams.CREDENTIALS), LocalStreams.REGION, LocalStreams.endpoint());
    }

    private StreamConsumer consumer(StreamClients clients, TableRecords records,
            java.util.function.Consumer<CounterSnapshot> counters) {
        return new StreamConsumer(SETTINGS, tables, clients, counters, () -> "w1",
                new StreamStatus(new SimpleMeterRegistry()), records);
    }

    /** Per item (3 per table) one put, then {@code round}'s version; round 1 also removes the third item. */
    private static void writeRound(String table, int round, Map<String, Integer> sent) {
        for (int item = 0; item < 3; item++) {
            for (int v = 0; v < 4; v++) {
                int version = round * 10 + v;
                Map<String, AttributeValue> values = new LinkedHashMap<>(key(table, item));
                values.put("v", AttributeValue.fromN(Integer.toString(version)));
                LocalStreams.dynamoDb().putItem(r -> r.tableName(table).item(values));
                sent.merge(table, 1, Integer::sum);
            }
        }
        if (round == 1) {
            LocalStreams.dynamoDb().deleteItem(r -> r.tableName(table).key(key(table, 2)));
            sent.merge(table, 1, Integer::sum);
        }
    }

    private static Map<String, AttributeValue> key(String table, int item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put("pk", AttributeValue.fromS("c" + item));
        if (table.endsWith("orders")) {
            key.put("sk", AttributeValue.fromS("o" + item));
        }
        return key;
    }

    private void writeCounter(String counter, long version) {
        LocalStreams.dynamoDb().putItem(r -> r.tableName(tables.counters()).item(Map.of(
                CounterTable.NAME, AttributeValue.fromS(counter),
                CounterTable.VALUE, AttributeValue.fromN(Long.toString(version * 10)),
                CounterTable.VERSION, AttributeValue.fromN(Long.toString(version)))));
    }

    /** The test's {@link TableRecords}: keeps every call. */
    private static final class Recording implements TableRecords {

        record Batch(String table, String shardId, String previous, List<Record> records) {}

        private final List<String> tables;
        private final List<Batch> batches = Collections.synchronizedList(new ArrayList<>());

        Recording(List<String> tables) {
            this.tables = tables;
        }

        @Override
        public List<String> tables() {
            return tables;
        }

        @Override
        public void accept(String table, String shardId, String previous, List<Record> records) {
            batches.add(new Batch(table, shardId, previous, records));
        }

        int count(String table) {
            synchronized (batches) {
                return batches.stream().filter(b -> b.table().equals(table)).mapToInt(b -> b.records().size()).sum();
            }
        }

        /** table + shard -> the last sequence number accepted there. */
        Map<String, String> lastPerShard() {
            Map<String, String> last = new HashMap<>();
            synchronized (batches) {
                batches.forEach(b -> last.put(b.table() + "/" + b.shardId(),
                        b.records().get(b.records().size() - 1).dynamodb().sequenceNumber()));
            }
            return last;
        }

        /**
         * In each shard: the first batch's previous is where it started ({@code startedAt}, null when never
         * checkpointed), every later one's the last record of the batch before; sequence numbers increase.
         */
        void assertChained(Map<String, String> startedAt) {
            Map<String, String> last = new HashMap<>();
            synchronized (batches) {
                assertTrue(!batches.isEmpty());
                for (Batch b : batches) {
                    String shard = b.table() + "/" + b.shardId();
                    String expected = last.containsKey(shard) ? last.get(shard) : startedAt.get(shard);
                    assertEquals(expected, b.previous(), "previous of a batch of " + shard);
                    String before = b.previous();
                    for (Record r : b.records()) {
                        String seq = r.dynamodb().sequenceNumber();
                        if (before != null) {
                            assertTrue(new BigInteger(seq).compareTo(new BigInteger(before)) > 0, seq + " after " + before);
                        }
                        before = seq;
                    }
                    last.put(shard, before);
                }
            }
        }

        /** Per item, its versions arrive in the order they were written, and nothing twice. */
        void assertItemsInOrder() {
            Map<String, List<String>> perItem = new HashMap<>();
            synchronized (batches) {
                for (Batch b : batches) {
                    for (Record r : b.records()) {
                        var image = r.dynamodb().newImage();
                        String item = b.table() + "/" + r.dynamodb().keys();
                        perItem.computeIfAbsent(item, k -> new ArrayList<>())
                                .add(image == null || image.isEmpty() ? "removed" : image.get("v").n());
                    }
                }
            }
            perItem.forEach((item, versions) -> {
                List<Integer> numbers = versions.stream().filter(v -> !v.equals("removed")).map(Integer::parseInt).toList();
                List<Integer> sorted = new ArrayList<>(numbers);
                Collections.sort(sorted);
                assertEquals(sorted, numbers, item + " in order");
                assertEquals(numbers.size(), numbers.stream().distinct().count(), item + " once each");
            });
        }
    }
}

package dev.livecounter.broadcaster.stream;

import com.amazonaws.services.dynamodbv2.streamsadapter.DynamoDBStreamsMultiStreamTracker;
import com.amazonaws.services.dynamodbv2.streamsadapter.StreamsSchedulerFactory;
import com.amazonaws.services.dynamodbv2.streamsadapter.util.KinesisMapperUtil;
import software.amazon.kinesis.common.StreamConfig;
import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import com.amazonaws.services.dynamodbv2.streamsadapter.processor.DynamoDBStreamsShardRecordProcessor;
import dev.livecounter.broadcaster.config.StreamSettings;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.FormerStreamsLeasesDeletionStrategy;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * Spike (not part of the build: run with {@code -Dtest=StreamTopologySpike}): one KCL scheduler over N streams with
 * the adapter's multi-stream tracker against one scheduler (own application, own lease table) per stream. Prints
 * start-to-first-record (fresh lease table and restart), change-to-processRecords latency, threads and heap.
 */
class StreamTopologySpike {

    private static final InitialPositionInStreamExtended TRIM =
            InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON);
    private static final StreamSettings SETTINGS = new StreamSettings(true, Duration.ofMillis(200), Duration.ofSeconds(3),
            Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(60));

    /** id -> nanoTime it reached processRecords; table -> first arrival. */
    private final Map<String, Long> arrived = new ConcurrentHashMap<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    @Test
    void compare() throws Exception {
        String modes = System.getProperty("spike.modes", "multi:1,per:1,multi:4,per:4");
        LocalStreams.endpoint();
        // warm up the classes once so the first configuration does not pay for loading KCL
        run("per", 1, false);
        for (String mode : modes.split(",")) {
            String[] parts = mode.split(":");
            run(parts[0], Integer.parseInt(parts[1]), true);
        }
    }

    private void run(String mode, int n, boolean print) throws Exception {
        String prefix = "s" + UUID.randomUUID().toString().substring(0, 6) + "-";
        List<String> tables = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tables.add(prefix + "t" + i);
            LocalStreams.createTable(prefix + "t" + i, false, StreamViewType.NEW_AND_OLD_IMAGES);
        }
        var streams = new RegionRewritingStreamsClient(LocalStreams.streams(), LocalStreams.REGION.id());
        DynamoDbAsyncClient async = LocalStreams.dynamoDbAsync();
        CloudWatchAsyncClient cloudWatch = CloudWatchAsyncClient.builder().region(LocalStreams.REGION)
                .credentialsProvider(LocalStreams.CREDENTIALS).build();
        KclSchedulers schedulers = new KclSchedulers(SETTINGS, LocalStreams.REGION, async, cloudWatch, "w1");
        List<String> arns = tables.stream()
                .map(t -> streams.toAdapter(LocalStreams.dynamoDb().describeTable(r -> r.tableName(t)).table().latestStreamArn()))
                .toList();

        // 1. fresh lease table(s): one record in each stream before start
        List<String> firstIds = put(tables, "first");
        System.gc();
        long heapBefore = usedHeap();
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long t0 = System.nanoTime();
        List<Scheduler> running = start(mode, prefix, tables, arns, schedulers, streams);
        double fresh = awaitAll(firstIds, t0);

        // 2. latency: 200 changes over the streams, 25 ms apart
        List<Long> latencies = latency(tables, 200);
        System.gc();
        long heapAfter = usedHeap();
        int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        stop(running);

        // 3. restart with the lease table(s) in place: one new record each, written while stopped
        List<String> againIds = put(tables, "again");
        long t1 = System.nanoTime();
        running = start(mode, prefix, tables, arns, schedulers, streams);
        double restart = awaitAll(againIds, t1);
        stop(running);
        cloudWatch.close();
        async.close();
        Collections.sort(latencies);
        if (print) {
            System.out.printf("SPIKE mode=%s streams=%d fresh_first_all_ms=%.0f restart_first_all_ms=%.0f "
                            + "latency_p50_ms=%d latency_p95_ms=%d latency_max_ms=%d threads=+%d heap=+%dMB errors=%s%n",
                    mode, n, fresh, restart, latencies.get(latencies.size() / 2),
                    latencies.get(latencies.size() * 95 / 100), latencies.get(latencies.size() - 1),
                    threadsAfter - threadsBefore, (heapAfter - heapBefore) / (1 << 20), errors);
        }
    }

    private List<Scheduler> start(String mode, String prefix, List<String> tables, List<String> arns,
            KclSchedulers schedulers, RegionRewritingStreamsClient streams) throws InterruptedException {
        List<KclSchedulers.Built> built = new ArrayList<>();
        if (mode.equals("multi")) {
            built.add(schedulers.create(prefix + "app",
                    // StreamsSchedulerFactory.createMultiStreamTracker needs commons-collections 3, which the
                    // adapter's pom does not declare (NoClassDefFoundError): build the same tracker by hand
                    new DynamoDBStreamsMultiStreamTracker(arns.stream()
                            .map(arn -> new StreamConfig(StreamIdentifier.multiStreamInstance(
                                    KinesisMapperUtil.createKinesisStreamIdentifierFromDynamoDBStreamsArn(arn, true)), TRIM, null))
                            .toList(), new FormerStreamsLeasesDeletionStrategy.NoLeaseDeletionStrategy()),
                    streams, new Processors(), null));
        } else {
            for (int i = 0; i < tables.size(); i++) {
                built.add(schedulers.create(prefix + "app-" + tables.get(i),
                        StreamsSchedulerFactory.createSingleStreamTracker(arns.get(i), TRIM),
                        streams, new Processors(), arns.get(i)));
            }
        }
        List<Scheduler> running = new ArrayList<>();
        for (KclSchedulers.Built b : built) {
            b.bootstrap().prepare();
            Thread thread = new Thread(b.scheduler(), "spike-scheduler");
            thread.setDaemon(true);
            thread.start();
            running.add(b.scheduler());
        }
        return running;
    }

    private static void stop(List<Scheduler> running) throws Exception {
        for (Scheduler s : running) {
            s.startGracefulShutdown().get(30, TimeUnit.SECONDS);
        }
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private List<String> put(List<String> tables, String tag) {
        List<String> ids = new ArrayList<>();
        for (String table : tables) {
            String id = table + "-" + tag;
            LocalStreams.dynamoDb().putItem(r -> r.tableName(table).item(Map.of(
                    "pk", AttributeValue.fromS(id), "sent", AttributeValue.fromN(Long.toString(System.nanoTime())))));
            ids.add(id);
        }
        return ids;
    }

    private double awaitAll(List<String> ids, long t0) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (ids.stream().allMatch(arrived::containsKey)) {
                long last = ids.stream().mapToLong(arrived::get).max().orElseThrow();
                return (last - t0) / 1e6;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("not all of " + ids + " arrived; have " + ids.stream().filter(arrived::containsKey).toList());
    }

    private List<Long> latency(List<String> tables, int changes) throws InterruptedException {
        Map<String, Long> sent = new ConcurrentHashMap<>();
        for (int i = 0; i < changes; i++) {
            String table = tables.get(i % tables.size());
            String id = table + "-lat-" + i;
            long now = System.nanoTime();
            sent.put(id, now);
            LocalStreams.dynamoDb().putItem(r -> r.tableName(table).item(Map.of("pk", AttributeValue.fromS(id))));
            Thread.sleep(25);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!sent.keySet().stream().allMatch(arrived::containsKey) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<Long> out = new ArrayList<>();
        sent.forEach((id, at) -> out.add(arrived.containsKey(id) ? (arrived.get(id) - at) / 1_000_000 : Long.MAX_VALUE));
        return out;
    }

    private final class Processors implements ShardRecordProcessorFactory {
        @Override
        public ShardRecordProcessor shardRecordProcessor() {
            return new Recording();
        }

        @Override
        public ShardRecordProcessor shardRecordProcessor(StreamIdentifier stream) {
            return new Recording();
        }
    }

    private final class Recording implements DynamoDBStreamsShardRecordProcessor {
        @Override
        public void initialize(InitializationInput input) {}

        @Override
        public void processRecords(DynamoDBStreamsProcessRecordsInput input) {
            long now = System.nanoTime();
            for (KinesisClientRecord record : input.records()) {
                var image = ((DynamoDBStreamsClientRecord) record).getRecord().dynamodb().newImage();
                if (image != null && image.containsKey("pk")) {
                    arrived.putIfAbsent(image.get("pk").s(), now);
                }
            }
            checkpoint(input.checkpointer());
        }

        @Override
        public void leaseLost(LeaseLostInput input) {}

        @Override
        public void shardEnded(ShardEndedInput input) {
            checkpoint(input.checkpointer());
        }

        @Override
        public void shutdownRequested(ShutdownRequestedInput input) {
            checkpoint(input.checkpointer());
        }

        private void checkpoint(RecordProcessorCheckpointer checkpointer) {
            try {
                checkpointer.checkpoint();
            } catch (Exception e) {
                errors.add(e.toString());
            }
        }
    }
}

package dev.livecounter.broadcaster.stream;

import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;
import com.amazonaws.services.dynamodbv2.streamsadapter.StreamsSchedulerFactory;
import com.amazonaws.services.dynamodbv2.streamsadapter.polling.DynamoDBStreamsPollingConfig;
import dev.livecounter.broadcaster.config.StreamSettings;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.metrics.MetricsConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.processor.StreamTracker;

/**
 * Builds a KCL scheduler as the adapter wants it, with this project's settings: one place for the quirks of KCL
 * 3.3.0 with adapter 2.0.1 (see {@code shared/STACK.md}) whether it reads one stream or several.
 */
final class KclSchedulers {

    private final StreamSettings settings;
    private final Region region;
    private final DynamoDbAsyncClient dynamoDbAsync;
    private final CloudWatchAsyncClient cloudWatch;
    private final String workerId;

    /**
     * @param settings      poll interval, failover and leader-lock timings
     * @param region        the region the adapter is told (on DynamoDB Local: the one the ARNs are rewritten to)
     * @param dynamoDbAsync the lease tables' client
     * @param cloudWatch    required by KCL; never called with metrics off
     * @param workerId      this replica's id, as lease owner
     */
    KclSchedulers(StreamSettings settings, Region region, DynamoDbAsyncClient dynamoDbAsync,
            CloudWatchAsyncClient cloudWatch, String workerId) {
        this.settings = settings;
        this.region = region;
        this.dynamoDbAsync = dynamoDbAsync;
        this.cloudWatch = cloudWatch;
        this.workerId = workerId;
    }

    /** A scheduler not yet running, and what {@link LeaseTableBootstrap} needs to prepare its lease table. */
    record Built(Scheduler scheduler, LeaseTableBootstrap bootstrap) {}

    /**
     * @param application KCL application name: its lease table's name
     * @param tracker     the stream(s) it reads, as the adapter's factory made the tracker
     * @param streams     the streams client the adapter reads through
     * @param processors  one processor per shard lease
     * @param streamArn   the stream's ARN as the adapter sees it, for a single-stream tracker; null for a multi-stream one
     */
    Built create(String application, StreamTracker tracker, DynamoDbStreamsClient streams,
            ShardRecordProcessorFactory processors, String streamArn) {
        AmazonDynamoDBStreamsAdapterClient adapter = new AmazonDynamoDBStreamsAdapterClient(streams, region);
        ConfigsBuilder configs =
                new ConfigsBuilder(tracker, application, adapter, dynamoDbAsync, cloudWatch, workerId, processors);
        // ConfigsBuilder makes a new config object on every call: configure one instance of each and pass it on
        LeaseManagementConfig leases = configs.leaseManagementConfig()
                // adapter quirk: without this, a 60 s pause follows the first shard sync
                .shardSyncIntervalMillis(0)
                .failoverTimeMillis(settings.failoverTime().toMillis())
                .dynamoDbLockBasedLeaderLeaseDurationInMillis(settings.leaderLeaseDuration().toMillis())
                .dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(settings.leaderHeartbeat().toMillis())
                // the leader assigns leases this often (default twice the failover time); its first pass often
                // finds no worker reported yet, and the lease then waits for the next one
                .leaseAssignmentIntervalMillis(settings.leaseAssignmentInterval().toMillis());
        // worker metrics probe the EC2 metadata address; without them leases are balanced by count
        leases.workerUtilizationAwareAssignmentConfig().disableWorkerMetrics(true);
        MetricsConfig metrics = configs.metricsConfig().metricsLevel(MetricsLevel.NONE).metricsFactory(new NullMetricsFactory());
        DynamoDBStreamsPollingConfig polling = streamArn == null
                ? new DynamoDBStreamsPollingConfig(adapter)
                : new DynamoDBStreamsPollingConfig(streamArn, adapter);
        polling.idleTimeBetweenReadsInMillis(settings.pollInterval().toMillis());
        Scheduler scheduler = StreamsSchedulerFactory.createScheduler(
                configs.checkpointConfig(),
                configs.coordinatorConfig(),
                leases,
                configs.lifecycleConfig(),
                metrics,
                configs.processorConfig(),
                configs.retrievalConfig().retrievalSpecificConfig(polling),
                adapter);
        return new Built(scheduler, new LeaseTableBootstrap(leases, tracker.streamConfigList(), settings.leaseIndexWait()));
    }
}

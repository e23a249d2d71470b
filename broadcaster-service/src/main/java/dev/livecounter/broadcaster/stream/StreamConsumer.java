package dev.livecounter.broadcaster.stream;

import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;
import com.amazonaws.services.dynamodbv2.streamsadapter.StreamsSchedulerFactory;
import com.amazonaws.services.dynamodbv2.streamsadapter.polling.DynamoDBStreamsPollingConfig;
import dev.livecounter.broadcaster.config.StreamSettings;
import dev.livecounter.broadcaster.fanout.PeerFanout;
import dev.livecounter.broadcaster.replica.ReplicaRegistry;
import dev.livecounter.common.dynamodb.TableSettings;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.metrics.MetricsConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.StreamTracker;

/**
 * Runs the KCL scheduler over the counters table's stream through the DynamoDB Streams Kinesis adapter. KCL
 * spreads shard leases over the broadcaster replicas and moves them when one dies; this bean starts it with the
 * application (waiting for the table if it is not there yet), prepares the lease table first
 * ({@link LeaseTableBootstrap}), and hands the leases back on shutdown.
 */
@Singleton
public class StreamConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(StreamConsumer.class);

    private final StreamSettings settings;
    private final TableSettings tables;
    private final StreamClients clients;
    private final PeerFanout fanout;
    private final ReplicaRegistry registry;
    private final StreamStatus status;
    private volatile boolean stopping;
    private volatile Scheduler scheduler;
    private LeaseTableBootstrap bootstrap;
    private Thread thread;
    private DynamoDbStreamsClient streams;
    private CloudWatchAsyncClient cloudWatch;

    StreamConsumer(StreamSettings settings, TableSettings tables, StreamClients clients, PeerFanout fanout,
            ReplicaRegistry registry, StreamStatus status) {
        this.settings = settings;
        this.tables = tables;
        this.clients = clients;
        this.fanout = fanout;
        this.registry = registry;
        this.status = status;
    }

    /**
     * Starts with the application context, not once the server is up: KCL's classes and clients take seconds to
     * load on a busy machine, time the server's own start can overlap. Nothing here needs the server.
     */
    @EventListener
    synchronized void onStartup(StartupEvent event) {
        if (!settings.enabled()) {
            status.state(StreamStatus.State.DISABLED, "livecounter.stream.enabled=false");
            return;
        }
        thread = new Thread(this::run, "stream-consumer");
        thread.start();
    }

    private void run() {
        try {
            String arn = awaitStreamArn();
            if (arn == null) {
                return;
            }
            StreamClients.Stream stream = clients.open(arn);
            streams = stream.client();
            String streamArn = stream.arn();
            cloudWatch = clients.cloudWatch();
            synchronized (this) {
                if (stopping) {
                    return;
                }
                scheduler = createScheduler(streamArn);
            }
            bootstrap.prepare();
            if (stopping) {
                return;
            }
            status.state(StreamStatus.State.RUNNING, streamArn);
            LOG.info("Consuming {} as worker {}", streamArn, registry.replicaId());
            scheduler.run();
            if (!stopping) {
                LOG.error("The stream scheduler stopped by itself; this replica no longer reads the stream");
                status.state(StreamStatus.State.FAILED, "scheduler stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Stream consumer failed", e);
            status.state(StreamStatus.State.FAILED, e.toString());
        }
    }

    private Scheduler createScheduler(String streamArn) {
        AmazonDynamoDBStreamsAdapterClient adapter = new AmazonDynamoDBStreamsAdapterClient(streams, clients.region());
        StreamTracker tracker = StreamsSchedulerFactory.createSingleStreamTracker(
                streamArn, InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON));
        ConfigsBuilder configs = new ConfigsBuilder(
                tracker,
                tables.streamApplication(),
                adapter,
                clients.dynamoDbAsync(),
                cloudWatch,
                registry.replicaId(),
                () -> new CounterStreamProcessor(fanout, status));
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
        DynamoDBStreamsPollingConfig polling = new DynamoDBStreamsPollingConfig(streamArn, adapter);
        polling.idleTimeBetweenReadsInMillis(settings.pollInterval().toMillis());
        bootstrap = new LeaseTableBootstrap(leases, tracker.streamConfigList(), settings.leaseIndexWait());
        return StreamsSchedulerFactory.createScheduler(
                configs.checkpointConfig(),
                configs.coordinatorConfig(),
                leases,
                configs.lifecycleConfig(),
                metrics,
                configs.processorConfig(),
                configs.retrievalConfig().retrievalSpecificConfig(polling),
                adapter);
    }

    /** The counters table's stream ARN, waiting (with backoff) while the table does not exist yet. */
    private String awaitStreamArn() {
        long backoff = 250;
        while (!stopping) {
            try {
                return clients.streamArn(tables.counters());
            } catch (ResourceNotFoundException missing) {
                status.state(StreamStatus.State.WAITING_FOR_TABLE, tables.counters());
            } catch (IllegalStateException noStream) {
                status.state(StreamStatus.State.FAILED, noStream.getMessage());
                LOG.error("{}", noStream.getMessage());
            } catch (RuntimeException e) {
                status.state(StreamStatus.State.WAITING_FOR_TABLE, e.toString());
                LOG.warn("Cannot read table {} yet: {}", tables.counters(), e.toString());
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            backoff = Math.min(backoff * 2, 5_000);
        }
        return null;
    }

    /** Hands the leases back (checkpointing first) so another replica takes over at once. */
    @PreDestroy
    void stop() {
        Scheduler running;
        synchronized (this) {
            stopping = true;
            running = scheduler;
        }
        if (running != null) {
            try {
                running.startGracefulShutdown().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Graceful stream shutdown did not finish: {}", e.toString());
                running.shutdown();
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
        status.state(StreamStatus.State.STOPPED, "");
        if (streams != null) {
            streams.close();
        }
        if (cloudWatch != null) {
            cloudWatch.close();
        }
    }
}

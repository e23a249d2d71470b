package dev.livecounter.broadcaster.stream;

import com.amazonaws.services.dynamodbv2.streamsadapter.StreamsSchedulerFactory;
import dev.livecounter.broadcaster.config.StreamSettings;
import dev.livecounter.broadcaster.fanout.PeerFanout;
import dev.livecounter.broadcaster.replica.ReplicaRegistry;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.model.CounterSnapshot;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

/**
 * Runs the KCL schedulers over the counters table's stream and over each streamed application table's stream
 * ({@link TableRecords}), through the DynamoDB Streams Kinesis adapter. KCL spreads shard leases over the
 * broadcaster replicas and moves them when one dies; this bean starts them with the application (each waiting
 * for its table if it is not there yet), prepares their lease tables first ({@link LeaseTableBootstrap}), and
 * hands the leases back on shutdown.
 *
 * <p>One scheduler per stream, each its own KCL application and lease table: the counters stream keeps
 * {@link TableSettings#streamApplication()} (and its existing leases), a table's is
 * {@code <stream application>-<table>}. Not the adapter's multi-stream tracker: adapter 2.0.1 creates the leases of
 * a finished shard's children in single-stream form when tracking several streams (fixed upstream after 2.0.1,
 * {@code DynamoDBStreamsShardSyncer} not passing multi-stream mode to its parent), so every shard rollover (about
 * every 4 hours on DynamoDB) would break its stream; its lease keys would also differ from the counters stream's
 * existing ones, and one missing table would hold up every stream.
 */
@Singleton
public class StreamConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(StreamConsumer.class);
    private static final InitialPositionInStreamExtended TRIM_HORIZON =
            InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON);
    /** Tables KCL 3 creates beside an application's lease table, named {@code <application>-<suffix>}. */
    private static final List<String> KCL_TABLE_SUFFIXES = List.of("", "-CoordinatorState", "-WorkerMetricStats");

    private final StreamSettings settings;
    private final TableSettings tables;
    private final StreamClients clients;
    private final Consumer<CounterSnapshot> counterChanges;
    private final Supplier<String> workerId;
    private final StreamStatus status;
    private final TableRecords tableRecords;
    private final List<StreamRun> runs = new ArrayList<>();
    private volatile boolean stopping;
    private CloudWatchAsyncClient cloudWatch;

    @Inject
    StreamConsumer(StreamSettings settings, TableSettings tables, StreamClients clients, PeerFanout fanout,
            ReplicaRegistry registry, StreamStatus status, @Nullable TableRecords tableRecords) {
        this(settings, tables, clients, fanout::streamChange, registry::replicaId, status, tableRecords);
    }

    /**
     * @param counterChanges where each counters-stream batch's newest snapshot per counter goes
     * @param workerId       this replica's id, the leases' owner
     * @param tableRecords   the streamed tables and where their records go; null: the counters stream only
     */
    StreamConsumer(StreamSettings settings, TableSettings tables, StreamClients clients,
            Consumer<CounterSnapshot> counterChanges, Supplier<String> workerId, StreamStatus status,
            @Nullable TableRecords tableRecords) {
        this.settings = settings;
        this.tables = tables;
        this.clients = clients;
        this.counterChanges = counterChanges;
        this.workerId = workerId;
        this.status = status;
        this.tableRecords = tableRecords;
    }

    /**
     * Starts with the application context, not once the server is up: KCL's classes and clients take seconds to
     * load on a busy machine, time the server's own start can overlap. Nothing here needs the server.
     *
     * @throws IllegalStateException a streamed table that exists has no stream or one without both images (the
     *                               message names the table and the fix); nothing is started then
     */
    @EventListener
    void onStartup(StartupEvent event) {
        start();
    }

    synchronized void start() {
        if (!settings.enabled()) {
            status.state(StreamStatus.State.DISABLED, "livecounter.stream.enabled=false");
            return;
        }
        List<String> streamed = tableRecords == null ? List.of() : tableRecords.tables().stream().distinct().toList();
        requireDistinctLeaseTables(streamed);
        for (String table : streamed) {
            status.state(table, StreamStatus.State.STARTING, "");
            requireFullImagesIfThere(table);
        }
        cloudWatch = clients.cloudWatch();
        runs.add(new StreamRun(tables.counters(), tables.streamApplication(), false,
                () -> new CounterStreamProcessor(counterChanges, status)));
        for (String table : streamed) {
            runs.add(new StreamRun(table, applicationOf(table), true,
                    () -> new TableStreamProcessor(table, tableRecords, status)));
        }
        runs.forEach(StreamRun::start);
    }

    StreamStatus status() {
        return status;
    }

    /** The KCL application (lease table) of {@code table}'s stream. */
    String applicationOf(String table) {
        return tables.streamApplication() + "-" + table;
    }

    /** KCL names three tables after each application: two streams must not share one. */
    private void requireDistinctLeaseTables(List<String> streamed) {
        Set<String> seen = new HashSet<>();
        List<String> applications = new ArrayList<>(List.of(tables.streamApplication()));
        streamed.forEach(table -> applications.add(applicationOf(table)));
        for (String application : applications) {
            for (String suffix : KCL_TABLE_SUFFIXES) {
                if (!seen.add(application + suffix)) {
                    throw new IllegalStateException("Streamed tables' lease tables collide at " + application + suffix
                            + ": rename the table in livecounter.streamed-tables (KCL names tables <application>,"
                            + " <application>-CoordinatorState and <application>-WorkerMetricStats)");
                }
            }
        }
    }

    /** Fails the start-up now for a table that is there with the wrong stream; a missing one is waited for. */
    private void requireFullImagesIfThere(String table) {
        try {
            clients.requireFullImages(table);
        } catch (ResourceNotFoundException missing) {
            status.state(table, StreamStatus.State.WAITING_FOR_TABLE, table);
        } catch (IllegalStateException wrongStream) {
            status.state(table, StreamStatus.State.FAILED, wrongStream.getMessage());
            throw wrongStream;
        } catch (RuntimeException e) {
            // DynamoDB unreachable for now: the stream's own thread keeps trying (and checks again)
            LOG.warn("Cannot check table {}'s stream yet: {}", table, e.toString());
        }
    }

    /** One stream's scheduler on its own thread: wait for the table, prepare the lease table, run. */
    private final class StreamRun {

        private final String table;
        private final String application;
        private final boolean applicationTable;
        private final ShardRecordProcessorFactory processors;
        private volatile Scheduler scheduler;
        private Thread thread;
        private DynamoDbStreamsClient streams;

        StreamRun(String table, String application, boolean applicationTable, ShardRecordProcessorFactory processors) {
            this.table = table;
            this.application = application;
            this.applicationTable = applicationTable;
            this.processors = processors;
        }

        void start() {
            thread = new Thread(this::run, applicationTable ? "stream-consumer-" + table : "stream-consumer");
            thread.start();
        }

        private void state(StreamStatus.State state, String detail) {
            if (applicationTable) {
                status.state(table, state, detail);
            } else {
                status.state(state, detail);
            }
        }

        private void run() {
            try {
                String arn = awaitStreamArn();
                if (arn == null) {
                    return;
                }
                StreamClients.Stream stream = clients.open(arn);
                KclSchedulers.Built built;
                synchronized (StreamConsumer.this) {
                    streams = stream.client();
                    if (stopping) {
                        return;
                    }
                    built = new KclSchedulers(settings, clients.region(), clients.dynamoDbAsync(), cloudWatch,
                                    workerId.get())
                            .create(application,
                                    StreamsSchedulerFactory.createSingleStreamTracker(stream.arn(), TRIM_HORIZON),
                                    streams, processors, stream.arn());
                    scheduler = built.scheduler();
                }
                built.bootstrap().prepare();
                if (stopping) {
                    return;
                }
                state(StreamStatus.State.RUNNING, stream.arn());
                LOG.info("Consuming {} as worker {} (lease table {})", stream.arn(), workerId.get(), application);
                scheduler.run();
                if (!stopping) {
                    LOG.error("The scheduler of {}'s stream stopped by itself; this replica no longer reads it", table);
                    state(StreamStatus.State.FAILED, "scheduler stopped");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.error("Consumer of {}'s stream failed", table, e);
                state(StreamStatus.State.FAILED, e.toString());
            }
        }

        /** The table's stream ARN, waiting (with backoff) while the table does not exist yet. */
        private String awaitStreamArn() {
            long backoff = 250;
            while (!stopping) {
                try {
                    return applicationTable ? clients.requireFullImages(table) : clients.streamArn(table);
                } catch (ResourceNotFoundException missing) {
                    state(StreamStatus.State.WAITING_FOR_TABLE, table);
                } catch (IllegalStateException noStream) {
                    // the table appeared (or was changed) without the right stream: fixed in place, it is picked up
                    state(StreamStatus.State.FAILED, noStream.getMessage());
                    LOG.error("{}", noStream.getMessage());
                } catch (RuntimeException e) {
                    state(StreamStatus.State.WAITING_FOR_TABLE, e.toString());
                    LOG.warn("Cannot read table {} yet: {}", table, e.toString());
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
    }

    /** Hands the leases back (checkpointing first), every stream at once, so other replicas take over at once. */
    @PreDestroy
    void stop() {
        List<StreamRun> stopped;
        synchronized (this) {
            stopping = true;
            stopped = List.copyOf(runs);
        }
        List<Future<Boolean>> shutdowns = new ArrayList<>();
        for (StreamRun run : stopped) {
            Scheduler running = run.scheduler;
            shutdowns.add(running == null ? CompletableFuture.completedFuture(true) : running.startGracefulShutdown());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int i = 0; i < stopped.size(); i++) {
            StreamRun run = stopped.get(i);
            try {
                shutdowns.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                LOG.warn("Graceful shutdown of {}'s stream did not finish: {}", run.table, e.toString());
                run.scheduler.shutdown();
            }
            if (run.thread != null) {
                run.thread.interrupt();
            }
            run.state(StreamStatus.State.STOPPED, "");
            synchronized (this) {
                if (run.streams != null) {
                    run.streams.close();
                }
            }
        }
        if (stopped.isEmpty()) {
            status.state(StreamStatus.State.STOPPED, "");
        }
        if (cloudWatch != null) {
            cloudWatch.close();
        }
    }
}

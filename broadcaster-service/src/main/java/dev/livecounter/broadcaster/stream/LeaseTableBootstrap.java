package dev.livecounter.broadcaster.stream;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.common.StreamConfig;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.leases.LeaseManagementFactory;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseRefresher;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseSerializer;
import software.amazon.kinesis.leases.exceptions.LeasingException;
import software.amazon.kinesis.lifecycle.TaskResult;
import software.amazon.kinesis.metrics.NullMetricsFactory;

/**
 * Does, before KCL's scheduler runs, the three things its first start would otherwise wait for: the lease table,
 * its {@code LeaseOwnerToLeaseKeyIndex}, and the leases of the stream's shards.
 *
 * <p>Left to KCL 3.3.0, a first start over an empty lease table cost 31-49 s here: every worker sleeps a random
 * 1-30 s, re-reading the empty table every 3 s ({@code Scheduler.shouldInitiateLeaseSync}, constants, no setting),
 * before one of them syncs the shards into leases; then the worker that created the index sleeps a fixed 10 s
 * before its first look at whether the index is active ({@code DynamicMigrationComponentsInitializer}). The random
 * wait only spreads the first sync of a large fleet; the sync itself is idempotent (each lease is a conditional
 * put), so with a handful of replicas each one may simply do it. Once the table holds leases and the index is
 * active, KCL skips both waits ({@code skipShardSyncAtWorkerInitializationIfLeasesExist}, which the adapter sets).
 * A restart, with the table in place, costs one {@code DescribeTable} and one small scan more.
 */
final class LeaseTableBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseTableBootstrap.class);
    private static final long POLL_MILLIS = 100;
    private static final int ATTEMPTS = 3;

    private final LeaseManagementConfig leases;
    private final List<StreamConfig> streams;
    private final Duration indexWait;

    /**
     * @param leases    the configuration the scheduler was built with (it holds the adapter's lease factory)
     * @param streams   the streams the scheduler tracks (one, or several with a multi-stream tracker)
     * @param indexWait how long to wait here for a new index to become active before leaving it to KCL
     */
    LeaseTableBootstrap(LeaseManagementConfig leases, List<StreamConfig> streams, Duration indexWait) {
        this.leases = leases;
        this.streams = List.copyOf(streams);
        this.indexWait = indexWait;
    }

    /**
     * Best effort: whatever fails here, KCL's own start does again (only slower), so a failure is logged, not
     * thrown.
     */
    void prepare() throws InterruptedException {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (prepareOnce(attempt == ATTEMPTS)) {
                return;
            }
            Thread.sleep(1_000);
        }
    }

    /** @return whether the table is ready (or the last attempt failed and was logged) */
    private boolean prepareOnce(boolean last) throws InterruptedException {
        long started = System.nanoTime();
        try {
            // the same factory instance the scheduler uses: the adapter's, with this application's table settings
            LeaseManagementFactory factory = leases.leaseManagementFactory(new DynamoDBLeaseSerializer(), false);
            DynamoDBLeaseRefresher refresher = factory.createLeaseRefresher();
            if (refresher.createLeaseTableIfNotExists()) {
                LOG.info("Created lease table {}", leases.tableName());
            }
            refresher.waitUntilLeaseTableExists(1, 600);
            refresher.createLeaseOwnerToLeaseKeyIndexIfNotExists();
            long indexDeadline = System.nanoTime() + indexWait.toNanos();
            while (!refresher.isLeaseOwnerToLeaseKeyIndexActive() && System.nanoTime() < indexDeadline) {
                Thread.sleep(POLL_MILLIS);
            }
            if (refresher.isLeaseTableEmpty()) {
                for (StreamConfig stream : streams) {
                    TaskResult sync = factory.createShardSyncTaskManager(new NullMetricsFactory(), stream, null)
                            .callShardSyncTask();
                    if (sync.getException() != null) {
                        LOG.warn("First shard sync of {} failed; KCL will sync itself: {}",
                                stream.streamIdentifier(), sync.getException().toString());
                    }
                }
            }
            LOG.info("Lease table {} ready for the scheduler in {} ms",
                    leases.tableName(), (System.nanoTime() - started) / 1_000_000);
            return true;
        } catch (LeasingException | RuntimeException e) {
            // e.g. a call timed out on a busy database: the steps are idempotent, so the next attempt redoes them
            if (last) {
                LOG.warn("Preparing lease table {} failed; KCL's own start will do it: {}", leases.tableName(), e.toString());
            } else {
                LOG.info("Preparing lease table {} failed, will retry: {}", leases.tableName(), e.toString());
            }
            return last;
        }
    }
}

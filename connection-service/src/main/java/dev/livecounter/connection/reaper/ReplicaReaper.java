package dev.livecounter.connection.reaper;

import dev.livecounter.common.metrics.MetricNames;
import dev.livecounter.common.replicas.ReplicaItems;
import dev.livecounter.connection.broadcast.ChangePublisher;
import dev.livecounter.connection.config.ReaperSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the connections of broadcaster replicas that died (kill -9, node loss) or left without deregistering
 * every socket. Each connection goes through the same conditional transaction as a disconnect, so online drops
 * by exactly that many, once, even with several reapers racing each other and the replica's own disconnects.
 * The counters it changed go straight to the live replicas' pages ({@link ChangePublisher}).
 */
@Singleton
@Requires(property = "livecounter.reaper.enabled", notEquals = "false")
public class ReplicaReaper {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaReaper.class);
    /** Two looks at a suspect this far apart: longer than a heartbeat delayed by one failed call (2 s + 3 s). */
    static final Duration SECOND_LOOK = Duration.ofSeconds(6);

    private final ReplicaItems replicas;
    private final ReaperSettings settings;
    private final ReplicaConnections connections;
    private final Counter succeeded;
    private final Counter failed;
    /** Stale replicas of the previous successful scan and the heartbeat they had then. */
    private final Map<String, Long> suspects = new HashMap<>();
    /** When {@link #suspects} were taken. */
    private long suspectsSince = System.nanoTime();
    /** Since when every scan has succeeded (0: the last one failed). */
    private long reachableSince;

    ReplicaReaper(ReplicaItems replicas, ReaperSettings settings, ReplicaConnections connections, MeterRegistry meters) {
        this.replicas = replicas;
        this.settings = settings;
        this.connections = connections;
        this.succeeded = runs(meters, "reaper", MetricNames.OK);
        this.failed = runs(meters, "reaper", MetricNames.FAILED);
    }

    /** The counter of one task's scans that ended one way (the orphan sweep's too). */
    static Counter runs(MeterRegistry meters, String task, String outcome) {
        return Counter.builder(MetricNames.REAPER_RUNS)
                .description("scans for gone replicas' connections, by task and outcome")
                .tag(MetricNames.TASK, task)
                .tag(MetricNames.OUTCOME, outcome)
                .register(meters);
    }

    /**
     * A stale heartbeat is trusted at first sight only when this reaper has reached the database without a break
     * for at least the replica timeout: a live replica could then have renewed it. Otherwise (right after a
     * database outage, or this service's own start) every replica's heartbeat may be stale until its next beat,
     * and reaping then would take live pages off the count: a replica is reaped only when two successful scans,
     * at least {@link #SECOND_LOOK} apart, saw the same stale heartbeat.
     */
    @Scheduled(fixedDelay = "#{ ctx[dev.livecounter.connection.config.ReaperSettings].interval }",
            initialDelay = "#{ ctx[dev.livecounter.connection.config.ReaperSettings].interval }")
    void reapDeadReplicas() {
        long deadBefore = Instant.now().minus(settings.replicaTimeout()).toEpochMilli();
        Map<String, Long> stale = new HashMap<>();
        try {
            for (ReplicaItems.Replica replica : replicas.all()) {
                if (replica.heartbeatAt() < deadBefore) {
                    stale.put(replica.replicaId(), replica.heartbeatAt());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Reaping dead replicas failed, will retry: {}", e.toString());
            reachableSince = 0;
            failed.increment();
            return;
        }
        long now = System.nanoTime();
        if (reachableSince == 0) {
            reachableSince = now;
        }
        boolean trustFirstSight = now - reachableSince >= settings.replicaTimeout().toNanos();
        boolean secondLook = now - suspectsSince >= SECOND_LOOK.toNanos();
        boolean[] reapFailed = {false};
        stale.forEach((replicaId, heartbeat) -> {
            if (trustFirstSight || (secondLook && heartbeat.equals(suspects.get(replicaId)))) {
                try {
                    reap(replicaId, heartbeat);
                } catch (RuntimeException e) {
                    LOG.warn("Reaping replica {} failed, will retry: {}", replicaId, e.toString());
                    reapFailed[0] = true;
                }
            }
        });
        (reapFailed[0] ? failed : succeeded).increment();
        if (secondLook) {
            suspects.clear();
            suspects.putAll(stale);
            suspectsSince = now;
        }
    }

    private void reap(String replicaId, long heartbeat) {
        // first tell the replica, should it only be stalled, that its connections are going: its next heartbeat
        // finds the mark and it closes its sockets (their pages reconnect and are counted again); and only if
        // its heartbeat is still the one judged dead, so a replica that came back is not reaped at all
        if (!replicas.markReaped(replicaId, heartbeat)) {
            LOG.info("Replica {} is beating again; not reaped", replicaId);
            return;
        }
        // a failure leaves the replica's item in place: the next scan finds it again and takes the rest
        int removed = connections.removeAllOf(replicaId);
        // only if it did not come back meanwhile: its heartbeat is still the one we judged dead
        if (!replicas.deleteIfStill(replicaId, heartbeat)) {
            LOG.info("Replica {} is beating again; kept it", replicaId);
        }
        LOG.info("Reaped replica {}: {} connection(s) removed", replicaId, removed);
    }
}

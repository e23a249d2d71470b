package dev.livecounter.connection.reaper;

import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.model.DisconnectResult;
import dev.livecounter.connection.broadcast.ChangePublisher;
import dev.livecounter.connection.store.ConnectionReads;
import dev.livecounter.connection.store.Disconnects;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of replicas that are gone, for the {@link ReplicaReaper} and the {@link OrphanSweeper}: found
 * through the connections table's {@code byReplica} index, and taken off the count through the same disconnect as
 * the broadcasters' (so each connection leaves online once), in transactions of up to 49 (one item per connection
 * plus one per counter), so a replica that held thousands of sockets leaves the count in seconds. Then each counter
 * it changed is read once and posted straight to the live replicas' pages.
 */
@Singleton
final class ReplicaConnections {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaConnections.class);
    private static final int BATCH = 49;

    private final ConnectionReads reads;
    private final Disconnects disconnects;
    private final CounterStore counters;
    private final Consumer<CounterSnapshot> changes;
    private final Counter removed;

    @Inject
    ReplicaConnections(ConnectionReads reads, Disconnects disconnects, CounterStore counters, ChangePublisher changes,
            MeterRegistry meters) {
        this(reads, disconnects, counters, changes::publish, meters);
    }

    /** Connections removed through {@code disconnects}, each counter they changed told to {@code changes}. */
    ReplicaConnections(ConnectionReads reads, Disconnects disconnects, CounterStore counters,
            Consumer<CounterSnapshot> changes, MeterRegistry meters) {
        this.reads = reads;
        this.disconnects = disconnects;
        this.counters = counters;
        this.changes = changes;
        this.removed = Counter.builder("livecounter.reaper.connections")
                .description("connections of dead replicas removed by this instance")
                .register(meters);
    }

    /** The ids of the live connections of every replica id that has any. */
    Map<String, Set<String>> byReplica() {
        return reads.liveByReplica();
    }

    /** Removes every connection of {@code replicaId}, as {@link #remove} does. */
    int removeAllOf(String replicaId) {
        return remove(reads.ofReplica(replicaId));
    }

    /**
     * Removes {@code ids} (connections already gone count nothing) and publishes the counters that changed.
     *
     * @return how many were removed
     * @throws RuntimeException the first batch's failure, once every batch was tried and what changed published:
     *                          the caller tries again later
     */
    int remove(List<String> ids) {
        int count = 0;
        Set<String> changed = new TreeSet<>();
        RuntimeException failure = null;
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
            try {
                for (DisconnectResult result : disconnects.disconnect(batch)) {
                    if (result.removed()) {
                        count++;
                        changed.add(result.counter());
                    }
                }
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        removed.increment(count);
        for (String counter : changed) {
            try {
                changes.accept(counters.read(counter));
            } catch (RuntimeException e) {
                LOG.warn("Read of counter {} after removing connections failed; the stream brings it: {}",
                        counter, e.toString());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return count;
    }
}

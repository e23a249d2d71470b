package dev.livecounter.connection.reaper;

import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.model.DisconnectResult;
import dev.livecounter.connection.broadcast.ChangePublisher;
import dev.livecounter.connection.dynamodb.Disconnects;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the connections of a replica that is gone off the count, for the {@link ReplicaReaper} and the
 * {@link OrphanSweeper}: through the same disconnect as the broadcasters' (so each connection leaves online once),
 * in transactions of up to 49 (one item per connection plus one per counter), so a replica that held thousands of
 * sockets leaves the count in seconds. Then each counter it changed is read once and posted straight to the live
 * replicas' pages.
 */
@Singleton
record ConnectionRemoval(Disconnects disconnects, CounterStore counters, ChangePublisher changes, Counter removed) {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionRemoval.class);
    private static final int BATCH = 49;

    @Inject
    ConnectionRemoval(Disconnects disconnects, CounterStore counters, ChangePublisher changes, MeterRegistry meters) {
        this(disconnects, counters, changes, Counter.builder("livecounter.reaper.connections")
                .description("connections of dead replicas removed by this instance")
                .register(meters));
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
            try {
                for (DisconnectResult result : disconnects.disconnect(ids.subList(from, Math.min(ids.size(), from + BATCH)))) {
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
                changes.publish(counters.read(counter));
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

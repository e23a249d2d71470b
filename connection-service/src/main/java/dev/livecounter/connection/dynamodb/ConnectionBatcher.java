package dev.livecounter.connection.dynamodb;

import dev.livecounter.common.batch.GroupCommit;
import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.model.ConnectRequest;
import dev.livecounter.common.model.ConnectResult;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.model.DisconnectResult;
import dev.livecounter.connection.broadcast.ChangePublisher;
import dev.livecounter.connection.broadcast.LiveReplicas;
import dev.livecounter.connection.config.ConnectionSettings;
import dev.livecounter.connection.lifecycle.NewCounterBudget;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects and disconnects, written in batches ({@link GroupCommit}). Every connect changes its counter's item,
 * so connects to one counter are written one transaction at a time anyway, and the connects that arrive
 * meanwhile go into the next transaction together (up to {@link ConnectionSettings#connectBatch()}).
 * Disconnects are batched the same way in one lane (their counters are known only once their items are read):
 * a replica that drains thousands of sockets costs the database one read and one transaction per batch.
 */
@Singleton
public class ConnectionBatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionBatcher.class);

    /** The lane of disconnects, whatever their counters. */
    private static final String DISCONNECTS = "disconnects";

    private final GroupCommit<ConnectCall, ConnectResult> connects;
    private final GroupCommit<String, DisconnectResult> disconnects;
    private final CounterStore counters;
    private final ChangePublisher changes;
    private final LiveReplicas replicas;

    public ConnectionBatcher(
            ConnectTransaction connectTransaction,
            Disconnects disconnectTransactions,
            CounterStore counters,
            ConnectionSettings settings,
            ChangePublisher changes,
            LiveReplicas replicas,
            NewCounterBudget budget,
            MeterRegistry meters) {
        this.replicas = replicas;
        DistributionSummary connectSizes = DistributionSummary.builder("livecounter.connect.batch.size")
                .description("connects written in one transaction")
                .register(meters);
        DistributionSummary disconnectSizes = DistributionSummary.builder("livecounter.disconnect.batch.size")
                .description("disconnects written in one transaction")
                .register(meters);
        // a batch fits one transaction: the connects' items plus the counter and the history buckets
        this.connects = new GroupCommit<>("connect-batch", settings.connectBatch(), ConnectCall::items,
                ConnectTransaction.MAX_CALL_ITEMS, settings.committers(),
                // a retried call, two sockets of one page load, or two tabs of one visitor write the same item:
                // not in one transaction
                ConnectionBatcher::exclusiveKeys,
                connectSizes::record,
                (counter, calls) -> {
                    // before the transaction that would create it: a counter not served is refused unwritten
                    budget.admit(counter);
                    return published(calls, connectTransaction.connect(counter, calls));
                });
        this.disconnects = new GroupCommit<>("disconnect-batch", settings.connectBatch(), 1,
                List::of, disconnectSizes::record, (lane, ids) -> withCounters(disconnectTransactions.disconnect(ids)));
        this.counters = counters;
        this.changes = changes;
    }

    /** A connect batch's counter, as the transaction left it, to every replica's pages at once. */
    private List<ConnectResult> published(List<ConnectCall> calls, List<ConnectResult> results) {
        // a replica that has just started must be known before its first page's connect is posted
        calls.stream().map(call -> call.request().replicaId()).distinct().forEach(replicas::heardFrom);
        if (results.stream().anyMatch(ConnectResult::registered)) {
            changes.publish(results.get(0).snapshot());
        }
        return results;
    }

    /**
     * Each result that took a socket off a count gets its counter as it is now (one strongly consistent read per
     * counter of the batch), posted to every replica's pages at once and returned to the caller for its own. The
     * disconnects are written by now: a failed read costs only that direct update (the stream still brings it),
     * never the call.
     */
    private List<DisconnectResult> withCounters(List<DisconnectResult> results) {
        Map<String, CounterSnapshot> after = new HashMap<>();
        List<DisconnectResult> answered = new ArrayList<>(results.size());
        for (DisconnectResult result : results) {
            if (!result.removed() || result.counter() == null) {
                answered.add(result);
                continue;
            }
            CounterSnapshot snapshot = after.computeIfAbsent(result.counter(), counter -> {
                CounterSnapshot read = readQuietly(counter);
                changes.publish(read);
                return read;
            });
            answered.add(result.withSnapshot(snapshot));
        }
        return answered;
    }

    private CounterSnapshot readQuietly(String counter) {
        try {
            return counters.read(counter);
        } catch (RuntimeException e) {
            LOG.warn("Read of counter {} after disconnects failed; the stream brings its new count: {}",
                    counter, e.toString());
            return null;
        }
    }

    private static List<String> exclusiveKeys(ConnectCall call) {
        ConnectRequest request = call.request();
        String visit = ConnectionTable.visitKey(request.counter(), request.visitId());
        return request.visitorId() == null
                ? List.of(call.connectionId(), visit)
                : List.of(call.connectionId(), visit, "visitor#" + request.visitorId());
    }

    /** Completes when the connect is written (or known to count nothing), with the counter after it. */
    public CompletableFuture<ConnectResult> connect(String connectionId, ConnectRequest request) {
        return connects.submit(request.counter(), new ConnectCall(connectionId, request));
    }

    /** Completes when the socket is off the count (or known not to have been on it). */
    public CompletableFuture<DisconnectResult> disconnect(String connectionId) {
        return disconnects.submit(DISCONNECTS, connectionId);
    }

    @PreDestroy
    void stop() {
        connects.close();
        disconnects.close();
    }
}

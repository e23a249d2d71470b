package dev.livecounter.connection.connect;

import dev.livecounter.common.batch.GroupCommit;
import dev.livecounter.common.model.ConnectRequest;
import dev.livecounter.common.model.ConnectResult;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.model.DisconnectResult;
import dev.livecounter.connection.broadcast.ChangePublisher;
import dev.livecounter.connection.broadcast.LiveReplicas;
import dev.livecounter.connection.config.ConnectionSettings;
import dev.livecounter.connection.connect.ConnectTransaction.Outcome;
import dev.livecounter.connection.lifecycle.NewCounterBudget;
import dev.livecounter.connection.store.ConnectionTable;
import dev.livecounter.connection.store.Disconnects;
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
 * The counter after a batch is read beside the lane ({@link FreshReads}), never in it: the lane's next transaction
 * starts as soon as the previous one committed.
 */
@Singleton
public class ConnectionBatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionBatcher.class);

    /** The lane of disconnects, whatever their counters. */
    private static final String DISCONNECTS = "disconnects";

    private final GroupCommit<ConnectCall, Committed<Outcome>> connects;
    private final GroupCommit<String, Committed<DisconnectResult>> disconnects;
    private final FreshReads reads;
    private final ChangePublisher changes;
    private final LiveReplicas replicas;

    /** A call's part of a committed batch, and the read of the counter after it. */
    private record Committed<T>(T outcome, CompletableFuture<CounterSnapshot> after) {}

    public ConnectionBatcher(
            ConnectTransaction connectTransaction,
            Disconnects disconnectTransactions,
            FreshReads reads,
            ConnectionSettings settings,
            ChangePublisher changes,
            LiveReplicas replicas,
            NewCounterBudget budget,
            MeterRegistry meters) {
        this.reads = reads;
        this.changes = changes;
        this.replicas = replicas;
        DistributionSummary connectSizes = DistributionSummary.builder("livecounter.connect.batch.size")
                .description("connects written in one transaction")
                .register(meters);
        DistributionSummary disconnectSizes = DistributionSummary.builder("livecounter.disconnect.batch.size")
                .description("disconnects written in one transaction")
                .register(meters);
        // a batch fits one transaction: the connects' items plus the counter and the history buckets
        this.connects = new GroupCommit<>("connect-batch", settings.committers(),
                GroupCommit.Limits.<ConnectCall>calls(settings.connectBatch())
                        .weighed(ConnectCall::items, ConnectTransaction.MAX_CALL_ITEMS)
                        // a retried call, two sockets of one page load, or two tabs of one visitor write the same
                        // item: not in one transaction
                        .exclusive(ConnectionBatcher::exclusiveKeys),
                connectSizes::record,
                (counter, calls) -> {
                    // before the transaction that would create it: a counter not served is refused unwritten
                    budget.admit(counter, calls.stream().map(call -> call.request().source()).toList());
                    return committed(counter, calls, connectTransaction.connect(counter, calls));
                });
        // a connection closed twice at once (a retried call): not twice in one batch, whose read would refuse it
        this.disconnects = new GroupCommit<>("disconnect-batch", 1,
                GroupCommit.Limits.<String>calls(settings.connectBatch()).exclusive(List::of),
                disconnectSizes::record, (lane, ids) -> committed(disconnectTransactions.disconnect(ids)));
    }

    /** A connect batch's counter, read once the transaction committed, to every replica's pages at once. */
    private List<Committed<Outcome>> committed(String counter, List<ConnectCall> calls, List<Outcome> outcomes) {
        // a replica that has just started must be known before its first page's connect is posted
        calls.stream().map(call -> call.request().replicaId()).distinct().forEach(replicas::heardFrom);
        CompletableFuture<CounterSnapshot> after = reads.after(counter, changes::publish);
        return outcomes.stream().map(outcome -> new Committed<>(outcome, after)).toList();
    }

    /**
     * Each result that took a socket off a count gets its counter as it is now (one strongly consistent read per
     * counter of the batch), posted to every replica's pages at once and returned to the caller for its own. The
     * disconnects are written by now: a failed read costs only that direct update (the stream still brings it),
     * never the call.
     */
    private List<Committed<DisconnectResult>> committed(List<DisconnectResult> results) {
        Map<String, CompletableFuture<CounterSnapshot>> after = new HashMap<>();
        List<Committed<DisconnectResult>> answered = new ArrayList<>(results.size());
        for (DisconnectResult result : results) {
            CompletableFuture<CounterSnapshot> read = !result.removed() || result.counter() == null
                    ? CompletableFuture.completedFuture(null)
                    : after.computeIfAbsent(result.counter(), counter -> reads.after(counter, changes::publish)
                            .exceptionally(e -> {
                                LOG.warn("Read of counter {} after disconnects failed; the stream brings its new "
                                        + "count: {}", counter, e.toString());
                                return null;
                            }));
            answered.add(new Committed<>(result, read));
        }
        return answered;
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
        return connects.submit(request.counter(), new ConnectCall(connectionId, request))
                .thenCompose(c -> c.after().thenApply(snapshot ->
                        new ConnectResult(c.outcome().registered(), c.outcome().newVisit(), snapshot)));
    }

    /** Completes when the socket is off the count (or known not to have been on it). */
    public CompletableFuture<DisconnectResult> disconnect(String connectionId) {
        return disconnects.submit(DISCONNECTS, connectionId)
                .thenCompose(c -> c.after().thenApply(snapshot ->
                        snapshot == null ? c.outcome() : c.outcome().withSnapshot(snapshot)));
    }

    @PreDestroy
    void stop() {
        connects.close();
        disconnects.close();
    }
}

package dev.livecounter.connection.dynamodb;

import dev.livecounter.common.dynamodb.GroupCommit;
import dev.livecounter.common.dynamodb.Schema;
import dev.livecounter.common.model.ConnectRequest;
import dev.livecounter.common.model.ConnectResult;
import dev.livecounter.common.model.DisconnectResult;
import dev.livecounter.connection.config.ConnectionSettings;
import dev.livecounter.connection.history.HistoryItems;
import dev.livecounter.connection.dynamodb.ConnectionRepository.ConnectCall;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Connects and disconnects, written in batches ({@link GroupCommit}). Every connect changes its counter's item,
 * so connects to one counter are written one transaction at a time anyway, and the connects that arrive
 * meanwhile go into the next transaction together (up to {@link ConnectionSettings#connectBatch()}).
 * Disconnects are batched the same way in one lane (their counters are known only once their items are read):
 * a replica that drains thousands of sockets costs the database one read and one transaction per batch.
 */
@Singleton
public class ConnectionBatcher {

    /** The lane of disconnects, whatever their counters. */
    private static final String DISCONNECTS = "disconnects";

    private final GroupCommit<ConnectCall, ConnectResult> connects;
    private final GroupCommit<String, DisconnectResult> disconnects;

    public ConnectionBatcher(ConnectionRepository repository, ConnectionSettings settings, MeterRegistry meters) {
        DistributionSummary connectSizes = DistributionSummary.builder("livecounter.connect.batch.size")
                .description("connects written in one transaction")
                .register(meters);
        DistributionSummary disconnectSizes = DistributionSummary.builder("livecounter.disconnect.batch.size")
                .description("disconnects written in one transaction")
                .register(meters);
        // a batch fits one transaction: the connects' items plus the counter and the history buckets
        this.connects = new GroupCommit<>("connect-batch", settings.connectBatch(), ConnectionRepository::itemsOf,
                ConnectionRepository.MAX_ITEMS - 1 - HistoryItems.BUCKET_ITEMS, settings.committers(),
                // a retried call, two sockets of one page load, or two tabs of one visitor write the same item:
                // not in one transaction
                ConnectionBatcher::exclusiveKeys,
                connectSizes::record,
                repository::connect);
        this.disconnects = new GroupCommit<>("disconnect-batch", settings.connectBatch(), 1,
                List::of, disconnectSizes::record, repository::disconnect);
    }

    private static List<String> exclusiveKeys(ConnectCall call) {
        ConnectRequest request = call.request();
        String visit = Schema.visitKey(request.counter(), request.visitId());
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

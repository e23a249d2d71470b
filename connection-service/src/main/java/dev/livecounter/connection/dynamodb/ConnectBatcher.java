package dev.livecounter.connection.dynamodb;

import dev.livecounter.common.dynamodb.GroupCommit;
import dev.livecounter.common.dynamodb.Schema;
import dev.livecounter.common.model.ConnectRequest;
import dev.livecounter.common.model.ConnectResult;
import dev.livecounter.connection.config.ConnectionSettings;
import dev.livecounter.connection.dynamodb.ConnectionRepository.ConnectCall;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Connects, written in batches per counter ({@link GroupCommit}): every connect changes its counter's item, so
 * connects to one counter are written one transaction at a time anyway, and the connects that arrive meanwhile
 * go into the next transaction together (up to {@link ConnectionSettings#connectBatch()}). A storm of sockets
 * then costs the database one transaction per batch instead of one per socket, with no conflicts between them.
 */
@Singleton
public class ConnectBatcher {

    private final GroupCommit<ConnectCall, ConnectResult> batches;

    public ConnectBatcher(ConnectionRepository repository, ConnectionSettings settings, MeterRegistry meters) {
        DistributionSummary sizes = DistributionSummary.builder("livecounter.connect.batch.size")
                .description("connects written in one transaction")
                .register(meters);
        this.batches = new GroupCommit<>("connect-batch", settings.connectBatch(), settings.committers(),
                // a retried call, or two sockets of one page load, write the same item: not in one transaction
                call -> List.of(call.connectionId(), Schema.visitKey(call.request().counter(), call.request().visitId())),
                sizes::record,
                repository::connect);
    }

    /** Completes when the connect is written (or known to count nothing), with the counter after it. */
    public CompletableFuture<ConnectResult> connect(String connectionId, ConnectRequest request) {
        return batches.submit(request.counter(), new ConnectCall(connectionId, request));
    }

    @PreDestroy
    void stop() {
        batches.close();
    }
}

package dev.livecounter.broadcaster.session;

import dev.livecounter.broadcaster.client.ConnectionServiceClient;
import dev.livecounter.common.batch.GroupCommit;
import dev.livecounter.common.model.ConnectAnswer;
import dev.livecounter.common.model.ConnectBatch;
import dev.livecounter.common.model.ConnectRequest;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The replica's {@code $connect} calls, in batches: while a call is under way the sockets that open meanwhile wait,
 * and go to connection-service together in the next one ({@link GroupCommit}), a few calls at a time. A socket that
 * opens alone is sent at once, alone; a storm of upgrades costs one HTTP call per batch rather than one per socket
 * (connection-service writes a batch's connects of one counter in one transaction anyway).
 */
@Singleton
class ConnectCalls {

    /** Calls under way at once: enough that connection-service's lanes always have the next batch waiting. */
    private static final int CALLS = 4;

    private final ConnectionServiceClient connections;
    private final GroupCommit<ConnectBatch.Connect, ConnectAnswer> batches;

    ConnectCalls(ConnectionServiceClient connections, MeterRegistry meters) {
        this.connections = connections;
        DistributionSummary sizes = DistributionSummary.builder("livecounter.connect.call.size")
                .description("connects sent to connection-service in one call")
                .register(meters);
        this.batches = new GroupCommit<>("connect-call", ConnectBatch.MAX, CALLS, connect -> List.of(), sizes::record,
                (lane, connects) -> send(connects));
    }

    /**
     * Completes with the connect's answer, or fails as the call carrying it failed (then every connect of that call
     * failed alike: see {@link #sendOnceMore} for which failures may have been written).
     */
    CompletableFuture<ConnectAnswer> connect(String connectionId, ConnectRequest request) {
        // lanes by connection id: the calls under way share the sockets evenly, whatever their counters
        String lane = Integer.toString(Math.floorMod(connectionId.hashCode(), CALLS));
        return batches.submit(lane, new ConnectBatch.Connect(connectionId, request));
    }

    private List<ConnectAnswer> send(List<ConnectBatch.Connect> connects) {
        try {
            List<ConnectAnswer> answers = sendOnceMore(() -> connections.connectAll(new ConnectBatch(connects))).get();
            if (answers.size() != connects.size()) {
                throw new IllegalStateException(answers.size() + " answers to " + connects.size() + " connects");
            }
            return answers;
        } catch (ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    /**
     * {@code call}, and once more if its connection closed before the answer (connection-service closing an idle
     * keep-alive connection as the request went out): connects are idempotent per connection id, so a socket still
     * counts once. The first call may then have been written (connection-service killed between its transaction and
     * its answer), so a second failure is reported as the first one, never as "not sent": a refused second call only
     * says the service is down now, and the sockets must be deregistered after all.
     */
    static <T> CompletableFuture<T> sendOnceMore(Supplier<CompletableFuture<T>> call) {
        return call.get().exceptionallyCompose(error -> {
            if (!Registrations.closedUnderRequest(error)) {
                return CompletableFuture.failedFuture(error);
            }
            return call.get().exceptionallyCompose(again -> {
                error.addSuppressed(again);
                return CompletableFuture.failedFuture(error);
            });
        });
    }

    @PreDestroy
    void stop() {
        batches.close();
    }
}

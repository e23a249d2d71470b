package dev.livecounter.broadcaster.session;

import dev.livecounter.broadcaster.client.ConnectionServiceClient;
import dev.livecounter.broadcaster.client.Failover;
import dev.livecounter.common.batch.GroupCommit;
import dev.livecounter.common.contract.ConnectAnswer;
import dev.livecounter.common.model.ConnectBatch;
import dev.livecounter.common.model.ConnectRequest;
import dev.livecounter.common.model.DisconnectBatch;
import dev.livecounter.common.model.DisconnectResult;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.client.exceptions.ResponseClosedException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The replica's {@code $connect} and {@code $disconnect} calls, in batches: the one batching layer of this hop
 * ({@link GroupCommit}, one lane of each kind with {@link #CALLS} calls under way at once; connection-service's lanes
 * per counter are the next hop's). While the calls are under way the sockets that open (or close) meanwhile wait,
 * and go to connection-service together in the next one. A socket that opens alone is sent at once, alone; a storm
 * of upgrades, or a replica draining thousands of sockets, costs one HTTP call per batch rather than one per socket
 * (connection-service writes a batch's connects of one counter, and its disconnects, in one transaction anyway).
 */
@Singleton
class ConnectionCalls {

    /** Calls of each kind under way at once: enough that connection-service's lanes always have the next batch waiting. */
    private static final int CALLS = 4;
    private static final String CONNECTS = "connects";
    private static final String DISCONNECTS = "disconnects";

    private final GroupCommit<ConnectBatch.Connect, ConnectAnswer> connects;
    private final GroupCommit<String, DisconnectResult> disconnects;

    ConnectionCalls(ConnectionServiceClient connections, MeterRegistry meters) {
        this.connects = new GroupCommit<>("connect-call", CALLS,
                GroupCommit.Limits.<ConnectBatch.Connect>calls(ConnectBatch.MAX).inFlight(CALLS),
                sizes(meters, "connect"), (lane, batch) -> send(batch, b -> connections.connectAll(new ConnectBatch(b))));
        this.disconnects = new GroupCommit<>("disconnect-call", CALLS,
                GroupCommit.Limits.<String>calls(DisconnectBatch.MAX).inFlight(CALLS),
                sizes(meters, "disconnect"), (lane, batch) -> send(batch, b -> connections.disconnectAll(new DisconnectBatch(b))));
    }

    private static IntConsumer sizes(MeterRegistry meters, String kind) {
        DistributionSummary sizes = DistributionSummary.builder("livecounter." + kind + ".call.size")
                .description(kind + "s sent to connection-service in one call")
                .register(meters);
        return sizes::record;
    }

    /**
     * Completes with the connect's answer, or fails as the call carrying it failed (then every connect of that call
     * failed alike: see {@link #sendOnceMore} for which failures may have been written).
     */
    CompletableFuture<ConnectAnswer> connect(String connectionId, ConnectRequest request) {
        return connects.submit(CONNECTS, new ConnectBatch.Connect(connectionId, request));
    }

    /** Completes with the disconnect's result, or fails as the call carrying it failed (it may be sent again). */
    CompletableFuture<DisconnectResult> disconnect(String connectionId) {
        return disconnects.submit(DISCONNECTS, connectionId);
    }

    /** One call for {@code batch}, blocking this committer thread; one answer per item, in order. */
    private static <C, R> List<R> send(List<C> batch, Function<List<C>, CompletableFuture<List<R>>> call) {
        try {
            List<R> answers = sendOnceMore(() -> call.apply(batch)).get();
            if (answers.size() != batch.size()) {
                throw new IllegalStateException(answers.size() + " answers to " + batch.size() + " calls");
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
     * {@code call} (on the next instance if one refused it: {@link Failover}), and once more if its connection closed before the answer (connection-service closing an idle
     * keep-alive connection as the request went out): connects and disconnects are idempotent per connection id, so
     * a socket still counts once. The first call may then have been written (connection-service killed between its
     * transaction and its answer), so a second failure is reported as the first one, never as "not sent": a refused
     * second call only says the service is down now, and the sockets must be deregistered after all.
     */
    static <T> CompletableFuture<T> sendOnceMore(Supplier<CompletableFuture<T>> call) {
        return Failover.onRefused(call).exceptionallyCompose(error -> {
            if (!Failover.causedBy(error, ResponseClosedException.class)) {
                return CompletableFuture.failedFuture(error);
            }
            return Failover.onRefused(call).exceptionallyCompose(again -> {
                error.addSuppressed(again);
                return CompletableFuture.failedFuture(error);
            });
        });
    }

    @PreDestroy
    void stop() {
        connects.close();
        disconnects.close();
    }
}

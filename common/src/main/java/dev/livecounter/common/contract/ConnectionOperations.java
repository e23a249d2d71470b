package dev.livecounter.common.contract;

import dev.livecounter.common.model.ConnectBatch;
import dev.livecounter.common.model.DisconnectBatch;
import dev.livecounter.common.model.DisconnectResult;
import dev.livecounter.common.model.Ids;
import dev.livecounter.common.model.LeaseRenewal;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * connection-service's routes, written once: its controller implements this interface and the broadcaster's
 * declarative client extends it (Micronaut's shared-interface pattern). The {@code $connect}/{@code $disconnect}
 * route integrations, as API Gateway calls its Lambda; both idempotent per connection id.
 */
public interface ConnectionOperations {

    /** What a connection id may be, wherever one is taken: {@link Ids#RULE}. */
    String CONNECTION_ID = Ids.RULE;

    /**
     * Sockets that opened on one replica, one or many: one answer per connect, in order, each on its own (its result
     * with the counter after it, or its refusal: {@link ErrorCode#BAD_REQUEST} for a counter not served,
     * {@link ErrorCode#COUNTER_LIMIT} for a new counter past the budget, {@link ErrorCode#UNAVAILABLE}); 400 for a body
     * that is not 1 to {@link ConnectBatch#MAX} valid connects. Idempotent per connection id: a connect sent again,
     * or after its disconnect, counts nothing.
     */
    @Post("/connections")
    CompletableFuture<List<ConnectAnswer>> connectAll(@Body ConnectBatch batch);

    /** A socket closed: 200 with the counter after it (unchanged for an unknown or repeated id). */
    @Delete("/connections/{connectionId}")
    CompletableFuture<DisconnectResult> disconnect(String connectionId);

    /**
     * Sockets that closed together on one replica: one result per connection id, in order, each what
     * {@link #disconnect} would have answered (a disconnect sent again counts nothing); 400 for a body that is not 1 to {@link DisconnectBatch#MAX} valid ids,
     * 503 {@link ErrorCode#UNAVAILABLE} (call again: a disconnect counts once however often it is sent).
     */
    @Post("/connections/closed")
    CompletableFuture<List<DisconnectResult>> disconnectAll(@Body DisconnectBatch batch);

    /** A replica's open sockets: their connection items and visit markers are kept from expiring under them. */
    @Post("/connections/leases/{replicaId}")
    CompletableFuture<LeaseRenewed> renew(String replicaId, @Body LeaseRenewal renewal);

    /** How many of the sockets sent were live connections of that replica, and renewed. */
    @Serdeable
    record LeaseRenewed(int renewed) {}
}

package dev.livecounter.connection.api;

import dev.livecounter.common.model.ConnectRequest;
import dev.livecounter.common.model.ConnectResult;
import dev.livecounter.common.counters.CounterPolicy;
import dev.livecounter.common.model.DisconnectResult;
import dev.livecounter.common.model.LeaseRenewal;
import dev.livecounter.connection.dynamodb.ConnectionBatcher;
import dev.livecounter.connection.dynamodb.LeaseRenewer;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.Valid;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The route integrations the broadcaster calls when a socket opens ({@code PUT}) and closes ({@code DELETE}).
 * Both are idempotent: repeating a call with the same connection id changes no count.
 */
@Controller("/connections")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConnectionController {

    private static final Pattern CONNECTION_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ConnectionBatcher connections;
    private final LeaseRenewer leases;
    private final CounterPolicy policy;

    ConnectionController(ConnectionBatcher connections, LeaseRenewer leases, CounterPolicy policy) {
        this.connections = connections;
        this.leases = leases;
        this.policy = policy;
    }

    @Put("/{connectionId}")
    CompletableFuture<ConnectResult> connect(String connectionId, @Valid @Body ConnectRequest request) {
        checkConnectionId(connectionId);
        String refusal = policy.refusal(request.counter());
        if (refusal != null) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, refusal);
        }
        return connections.connect(connectionId, request);
    }

    @Delete("/{connectionId}")
    CompletableFuture<DisconnectResult> disconnect(String connectionId) {
        checkConnectionId(connectionId);
        return connections.disconnect(connectionId);
    }

    /** A replica's open sockets: their connection items and visit markers are kept from expiring under them. */
    @Post("/leases/{replicaId}")
    LeaseRenewed renew(String replicaId, @Valid @Body LeaseRenewal renewal) {
        return new LeaseRenewed(leases.renew(replicaId, renewal.sockets()));
    }

    /** How many of the sockets sent were live connections of that replica, and renewed. */
    @Serdeable
    record LeaseRenewed(int renewed) {}

    private static void checkConnectionId(String connectionId) {
        if (!CONNECTION_ID.matcher(connectionId).matches()) {
            throw new HttpStatusException(
                    HttpStatus.BAD_REQUEST, "connectionId: 1-64 characters: letters, digits, '_' or '-'");
        }
    }
}

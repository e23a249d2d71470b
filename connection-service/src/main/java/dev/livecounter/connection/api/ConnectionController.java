package dev.livecounter.connection.api;

import dev.livecounter.common.contract.ConnectionOperations;
import dev.livecounter.common.model.ConnectRequest;
import dev.livecounter.common.model.ConnectResult;
import dev.livecounter.common.counters.CounterPolicy;
import dev.livecounter.common.model.DisconnectResult;
import dev.livecounter.common.model.LeaseRenewal;
import dev.livecounter.connection.dynamodb.ConnectionBatcher;
import dev.livecounter.connection.dynamodb.LeaseRenewer;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.Valid;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The route integrations the broadcaster calls when a socket opens and closes, and its lease renewals; the routes
 * are {@link ConnectionOperations}. Connect and disconnect are idempotent: repeating a call with the same
 * connection id changes no count.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConnectionController implements ConnectionOperations {

    private static final Pattern CONNECTION_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ConnectionBatcher connections;
    private final LeaseRenewer leases;
    private final CounterPolicy policy;

    ConnectionController(ConnectionBatcher connections, LeaseRenewer leases, CounterPolicy policy) {
        this.connections = connections;
        this.leases = leases;
        this.policy = policy;
    }

    @Override
    public CompletableFuture<ConnectResult> connect(String connectionId, @Valid ConnectRequest request) {
        checkConnectionId(connectionId);
        String refusal = policy.refusal(request.counter());
        if (refusal != null) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, refusal);
        }
        return connections.connect(connectionId, request);
    }

    @Override
    public CompletableFuture<DisconnectResult> disconnect(String connectionId) {
        checkConnectionId(connectionId);
        return connections.disconnect(connectionId);
    }

    @Override
    public CompletableFuture<LeaseRenewed> renew(String replicaId, @Valid LeaseRenewal renewal) {
        return CompletableFuture.completedFuture(new LeaseRenewed(leases.renew(replicaId, renewal.sockets())));
    }

    private static void checkConnectionId(String connectionId) {
        if (!CONNECTION_ID.matcher(connectionId).matches()) {
            throw new HttpStatusException(
                    HttpStatus.BAD_REQUEST, "connectionId: 1-64 characters: letters, digits, '_' or '-'");
        }
    }
}

package dev.livecounter.connection.api;

import dev.livecounter.common.model.ConnectRequest;
import dev.livecounter.common.model.ConnectResult;
import dev.livecounter.common.model.CounterPolicy;
import dev.livecounter.common.model.DisconnectResult;
import dev.livecounter.connection.dynamodb.ConnectionBatcher;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Put;
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
    private final CounterPolicy policy;

    ConnectionController(ConnectionBatcher connections, CounterPolicy policy) {
        this.connections = connections;
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

    private static void checkConnectionId(String connectionId) {
        if (!CONNECTION_ID.matcher(connectionId).matches()) {
            throw new HttpStatusException(
                    HttpStatus.BAD_REQUEST, "connectionId: 1-64 characters: letters, digits, '_' or '-'");
        }
    }
}

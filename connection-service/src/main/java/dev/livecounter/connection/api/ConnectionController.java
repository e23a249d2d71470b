package dev.livecounter.connection.api;

import dev.livecounter.common.api.DatabaseUnavailableHandler;
import dev.livecounter.common.contract.ConnectAnswer;
import dev.livecounter.common.contract.ConnectionOperations;
import dev.livecounter.common.contract.ErrorCode;
import dev.livecounter.common.counters.CounterPolicy;
import dev.livecounter.common.model.ConnectBatch;
import dev.livecounter.common.model.DisconnectBatch;
import dev.livecounter.common.model.DisconnectResult;
import dev.livecounter.common.model.LeaseRenewal;
import dev.livecounter.connection.connect.ConnectionBatcher;
import dev.livecounter.connection.lifecycle.NewCounterRefused;
import dev.livecounter.connection.store.LeaseRenewer;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.Valid;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route integrations the broadcaster calls when sockets open (in batches) and close, and its
 * lease renewals; the routes are {@link ConnectionOperations}. Connect and disconnect are idempotent: repeating a
 * call with the same connection id changes no count.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConnectionController implements ConnectionOperations {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionController.class);
    private static final Pattern CONNECTION_ID = Pattern.compile(ConnectionOperations.CONNECTION_ID);

    private final ConnectionBatcher connections;
    private final LeaseRenewer leases;
    private final CounterPolicy policy;

    ConnectionController(ConnectionBatcher connections, LeaseRenewer leases, CounterPolicy policy) {
        this.connections = connections;
        this.leases = leases;
        this.policy = policy;
    }

    @Override
    public CompletableFuture<List<ConnectAnswer>> connectAll(@Valid ConnectBatch batch) {
        return inOrder(batch.connects().stream().map(this::answer).toList());
    }

    /** One connect of a batch, answered on its own, never failing the others. */
    private CompletableFuture<ConnectAnswer> answer(ConnectBatch.Connect connect) {
        String refusal = policy.refusal(connect.request().counter());
        if (refusal != null) {
            return CompletableFuture.completedFuture(ConnectAnswer.refused(ErrorCode.BAD_REQUEST, refusal));
        }
        return connections.connect(connect.connectionId(), connect.request()).handle((result, error) -> {
            if (error == null) {
                return ConnectAnswer.of(result);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof NewCounterRefused) {
                return ConnectAnswer.refused(ErrorCode.COUNTER_LIMIT, cause.getMessage());
            }
            LOG.warn("Connect of {} failed: {}", connect.connectionId(), cause.toString());
            return ConnectAnswer.refused(ErrorCode.UNAVAILABLE, DatabaseUnavailableHandler.MESSAGE);
        });
    }

    @Override
    public CompletableFuture<DisconnectResult> disconnect(String connectionId) {
        checkConnectionId(connectionId);
        return connections.disconnect(connectionId);
    }

    @Override
    public CompletableFuture<List<DisconnectResult>> disconnectAll(@Valid DisconnectBatch batch) {
        return inOrder(batch.connectionIds().stream().map(connections::disconnect).toList());
    }

    @Override
    public CompletableFuture<LeaseRenewed> renew(String replicaId, @Valid LeaseRenewal renewal) {
        return CompletableFuture.completedFuture(new LeaseRenewed(leases.renew(replicaId, renewal.sockets())));
    }

    /** A batch's answers, in the order of its calls, once all are in (or the first failure). */
    private static <T> CompletableFuture<List<T>> inOrder(List<CompletableFuture<T>> answers) {
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(all -> answers.stream().map(CompletableFuture::join).toList());
    }

    private static void checkConnectionId(String connectionId) {
        if (!CONNECTION_ID.matcher(connectionId).matches()) {
            throw new HttpStatusException(
                    HttpStatus.BAD_REQUEST, "connectionId: 1-64 characters: letters, digits, '_' or '-'");
        }
    }
}

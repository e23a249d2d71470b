package dev.livecounter.broadcaster.session;

import dev.livecounter.broadcaster.client.ConnectionServiceClient;
import dev.livecounter.broadcaster.fanout.PageFanout;
import dev.livecounter.broadcaster.protocol.Frames;
import dev.livecounter.broadcaster.replica.ReplicaRegistry;
import dev.livecounter.common.contract.ErrorCode;
import dev.livecounter.common.model.ConnectRequest;
import dev.livecounter.common.model.ConnectResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.exceptions.ResponseClosedException;
import io.micronaut.websocket.CloseReason;
import jakarta.inject.Singleton;
import java.net.ConnectException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a new socket with connection-service (the {@code $connect} route) and sends its page the count the
 * connect returned; a socket that cannot be registered is closed.
 */
@Singleton
class Registrations {

    /** Close code "try again later": the page reconnects with backoff, maybe to another replica. */
    static final CloseReason TRY_AGAIN_LATER = new CloseReason(1013, "Try again later");
    /** Policy violation: not a 1013, so the page backs off rather than retrying at once. */
    private static final CloseReason COUNTER_REFUSED = new CloseReason(1008, "Counter limit");
    private static final Logger LOG = LoggerFactory.getLogger(Registrations.class);

    private final ConnectionServiceClient connections;
    private final PageFanout fanout;
    private final ReplicaRegistry registry;
    private final Counter connectFailures;

    Registrations(ConnectionServiceClient connections, PageFanout fanout, ReplicaRegistry registry, MeterRegistry meters) {
        this.connections = connections;
        this.fanout = fanout;
        this.registry = registry;
        this.connectFailures = meters.counter("livecounter.connect.failures");
    }

    /** Calls connect for {@code page}; the page's registration future says how it went. */
    void register(PageSession page, @Nullable String visitorId) {
        ConnectRequest request = new ConnectRequest(page.counter(), registry.replicaId(), page.visitId(), visitorId);
        page.registration(connect(page.connectionId(), request).handle((result, error) -> {
            if (error != null && counterLimit(error)) {
                // a counter that does not exist, past the budget of new ones: refused before anything was written
                page.socket().sendAsync(Frames.error(ErrorCode.COUNTER_LIMIT, "This counter does not exist, and too many new"
                                + " counters were made in the last minute; try again later."))
                        .whenComplete((sent, failed) -> page.close(COUNTER_REFUSED));
                return Registration.NEVER;
            }
            if (error != null) {
                LOG.warn("Could not register connection {}: {}", page.connectionId(), error.toString());
                connectFailures.increment();
                page.close(TRY_AGAIN_LATER);
                return afterFailure(error);
            }
            // connection-service posts the new count to every replica's pages (the other replicas' too)
            fanout.welcome(page.sink(), result.snapshot());
            return Registration.CONFIRMED;
        }));
    }

    /**
     * The connect call, sent again once when a pooled connection closed under it before any answer (connection-service
     * closing an idle keep-alive connection as the request went out). The call is idempotent per connection id, so
     * the socket still counts once; without this a page was closed with 1013 for a transport hiccup.
     */
    private CompletableFuture<ConnectResult> connect(String connectionId, ConnectRequest request) {
        return connectOnceMore(() -> connections.connect(connectionId, request));
    }

    /**
     * {@code call}, and once more if its connection closed before the answer. The first call may then have been
     * written (connection-service killed between its transaction and its answer), so a second failure is reported
     * as the first one, never as "not sent" (a refused second call only says the service is down now): the socket is
     * then deregistered after all. Only the counter-limit answer of the second call is its own.
     */
    static CompletableFuture<ConnectResult> connectOnceMore(Supplier<CompletableFuture<ConnectResult>> call) {
        return call.get().exceptionallyCompose(error -> {
            if (!closedUnderRequest(error)) {
                return CompletableFuture.failedFuture(error);
            }
            return call.get().exceptionallyCompose(again -> {
                if (counterLimit(again)) {
                    return CompletableFuture.failedFuture(again);
                }
                error.addSuppressed(again);
                return CompletableFuture.failedFuture(error);
            });
        });
    }

    /** What a failed connect says of the socket's registration. */
    static Registration afterFailure(Throwable error) {
        // refused before anything was sent: nothing to undo; anything else may have registered it
        return neverSent(error) ? Registration.NEVER : Registration.UNKNOWN;
    }

    private static boolean closedUnderRequest(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ResponseClosedException) {
                return true;
            }
        }
        return false;
    }

    private static boolean counterLimit(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpClientResponseException response
                    && response.getStatus() == HttpStatus.TOO_MANY_REQUESTS) {
                return true;
            }
        }
        return false;
    }

    private static boolean neverSent(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }
}

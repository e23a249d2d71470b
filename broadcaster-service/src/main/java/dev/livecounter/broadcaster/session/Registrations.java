package dev.livecounter.broadcaster.session;

import dev.livecounter.broadcaster.client.Failover;
import dev.livecounter.broadcaster.fanout.PageFanout;
import dev.livecounter.broadcaster.limits.AddressKeys;
import dev.livecounter.broadcaster.metrics.Outcomes;
import dev.livecounter.broadcaster.protocol.Frames;
import dev.livecounter.broadcaster.replica.ReplicaRegistry;
import dev.livecounter.common.contract.ErrorCode;
import dev.livecounter.common.metrics.MetricNames;
import dev.livecounter.common.contract.ConnectAnswer;
import dev.livecounter.common.model.ConnectRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.websocket.CloseReason;
import jakarta.inject.Singleton;
import java.net.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a new socket with connection-service (the {@code $connect} route, in batches: {@link ConnectionCalls}) and
 * sends its page the count the connect returned; a socket that cannot be registered is closed.
 */
@Singleton
final class Registrations {

    /** Close code "try again later": the page reconnects with backoff, maybe to another replica. */
    static final CloseReason TRY_AGAIN_LATER = new CloseReason(1013, "Try again later");
    /** Policy violation: not a 1013, so the page backs off rather than retrying at once. */
    private static final CloseReason COUNTER_REFUSED = new CloseReason(1008, "Counter limit");
    private static final Logger LOG = LoggerFactory.getLogger(Registrations.class);

    private final ConnectionCalls connects;
    private final PageFanout fanout;
    private final ReplicaRegistry registry;
    private final AddressKeys addressKeys;
    private final Counter connectFailures;
    private final Outcomes outcomes;

    Registrations(ConnectionCalls connects, PageFanout fanout, ReplicaRegistry registry, AddressKeys addressKeys,
            MeterRegistry meters, Outcomes outcomes) {
        this.connects = connects;
        this.fanout = fanout;
        this.registry = registry;
        this.addressKeys = addressKeys;
        this.connectFailures = meters.counter("livecounter.connect.failures");
        this.outcomes = outcomes;
    }

    /** Calls connect for {@code page}; the page's registration future says how it went. */
    void register(PageSession page, @Nullable String visitorId) {
        ConnectRequest request = new ConnectRequest(
                page.counter(), registry.replicaId(), page.visitId(), visitorId, addressKeys.of(page.address()));
        page.registration(connects.connect(page.connectionId(), request).handle((answer, error) -> {
            if (error == null && answer.result() != null) {
                // connection-service posts the new count to every replica's pages (the other replicas' too)
                fanout.welcome(page.sink(), answer.result().snapshot());
                outcomes.connect(MetricNames.OK);
                if (answer.result().newVisit()) {
                    outcomes.visit();
                }
                return Registration.CONFIRMED;
            }
            if (error == null && answer.refused(ErrorCode.COUNTER_LIMIT)) {
                // a counter that does not exist, past the budget of new ones: refused before anything was written
                page.socket().sendAsync(Frames.error(ErrorCode.COUNTER_LIMIT, "This counter does not exist, and too many new"
                                + " counters were made in the last minute; try again later."))
                        .whenComplete((sent, failed) -> page.close(COUNTER_REFUSED));
                outcomes.connect(MetricNames.LIMIT);
                return Registration.NEVER;
            }
            LOG.warn("Could not register connection {}: {}", page.connectionId(),
                    error != null ? error.toString() : answer.error() + ": " + answer.message());
            connectFailures.increment();
            outcomes.connect(MetricNames.UNAVAILABLE);
            page.close(TRY_AGAIN_LATER);
            return error != null ? afterFailure(error) : afterRefusal(answer);
        }));
    }

    /** What a failed connect call says of the socket's registration. */
    static Registration afterFailure(Throwable error) {
        // refused before anything was sent: nothing to undo; anything else may have registered it
        return Failover.causedBy(error, ConnectException.class) ? Registration.NEVER : Registration.UNKNOWN;
    }

    /** What a connect refused by connection-service says of it: only a database failure may have written it. */
    static Registration afterRefusal(ConnectAnswer answer) {
        return answer.refused(ErrorCode.UNAVAILABLE) ? Registration.UNKNOWN : Registration.NEVER;
    }
}

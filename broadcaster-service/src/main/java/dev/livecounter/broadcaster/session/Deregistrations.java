package dev.livecounter.broadcaster.session;

import dev.livecounter.broadcaster.fanout.PageFanout;
import dev.livecounter.broadcaster.metrics.Outcomes;
import dev.livecounter.common.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes closed sockets off the count at connection-service, retrying through outages. Every closed socket is
 * deregistered, also when its connect call failed: a call that timed out here may still have registered it there,
 * and a disconnect of an unknown connection counts nothing. The calls go in batches ({@link ConnectionCalls}), a few
 * at a time, so an outage's retries queue here rather than pile onto connection-service, and a replica draining
 * thousands of sockets sends them in calls of up to a hundred.
 */
@Singleton
final class Deregistrations {

    private static final Logger LOG = LoggerFactory.getLogger(Deregistrations.class);
    /** The broadcaster's read timeout on calls to connection-service, plus a margin. */
    private static final Duration CONNECT_SETTLE = Duration.ofSeconds(6);
    private static final int ATTEMPTS = 25;

    private final ConnectionCalls connections;
    private final PageFanout fanout;
    private final Counter retries;
    private final Outcomes outcomes;

    Deregistrations(ConnectionCalls connections, PageFanout fanout, MeterRegistry meters, Outcomes outcomes) {
        this.connections = connections;
        this.fanout = fanout;
        this.retries = meters.counter("livecounter.deregister.retries");
        this.outcomes = outcomes;
    }

    /**
     * Deregisters {@code page} once its connect is over. After a failed connect it waits out the connect's timeout,
     * so the disconnect does not overtake a connect still under way. What waits and retries holds the connection id
     * only, not the page: a closed page's channel, pipeline and Micronaut session (some 8 KB) are freed at its close,
     * not minutes later when an outage's retries end.
     */
    CompletableFuture<Void> afterConnect(PageSession page) {
        String connectionId = page.connectionId();
        return page.registration().thenCompose(registration -> switch (registration) {
            case CONFIRMED -> deregister(connectionId, 0);
            case UNKNOWN -> later(CONNECT_SETTLE).thenCompose(ignored -> deregister(connectionId, 0));
            case NEVER -> CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Retries with exponential backoff (capped at 30 s) for about ten minutes: a database or connection-service
     * outage must not leave a closed socket counted online. Only after that is it left to the TTL backstop.
     */
    private CompletableFuture<Void> deregister(String connectionId, int attempt) {
        return disconnect(connectionId).thenCompose(error -> {
            outcomes.disconnect(error == null ? MetricNames.OK : MetricNames.UNAVAILABLE);
            if (error == null) {
                return CompletableFuture.completedFuture(null);
            }
            if (attempt >= ATTEMPTS) {
                LOG.error("Gave up deregistering connection {}: {}", connectionId, error.toString());
                return CompletableFuture.completedFuture(null);
            }
            LOG.warn("Deregistering connection {} failed (attempt {}), will retry: {}",
                    connectionId, attempt + 1, error.toString());
            retries.increment();
            long backoff = Math.min(30_000, 200L << Math.min(attempt, 8));
            return later(Duration.ofMillis(backoff)).thenCompose(ignored -> deregister(connectionId, attempt + 1));
        });
    }

    /**
     * One disconnect; completes with its failure, or null. No timeout of its own: its call has the HTTP client's, and
     * a page's retry is queued only once its attempt is answered, so an outage never queues a page twice.
     */
    private CompletableFuture<Throwable> disconnect(String connectionId) {
        return connections.disconnect(connectionId)
                .handle((result, error) -> {
                    if (error == null && result.snapshot() != null) {
                        // connection-service posts it to every replica too; this replica's own pages need not wait
                        fanout.offer(result.snapshot());
                    }
                    return error;
                });
    }

    private static CompletableFuture<Void> later(Duration delay) {
        return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
    }
}

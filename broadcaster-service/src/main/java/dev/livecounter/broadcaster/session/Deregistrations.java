package dev.livecounter.broadcaster.session;

import dev.livecounter.broadcaster.client.ConnectionServiceClient;
import dev.livecounter.broadcaster.fanout.PageFanout;
import dev.livecounter.common.model.DisconnectResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes closed sockets off the count at connection-service, retrying through outages on a bounded pool of its own.
 * Every closed socket is deregistered, also when its connect call failed: a call that timed out here may still
 * have registered it there, and a disconnect of an unknown connection counts nothing.
 */
@Singleton
class Deregistrations {

    private static final Logger LOG = LoggerFactory.getLogger(Deregistrations.class);
    /** The broadcaster's read timeout on calls to connection-service, plus a margin. */
    private static final Duration CONNECT_SETTLE = Duration.ofSeconds(6);
    private static final int ATTEMPTS = 25;
    /**
     * Disconnect calls under way at once: bounded, so an outage's retries queue here rather than pile onto
     * connection-service, and enough that its batches fill (it writes the disconnects that arrive together in one
     * transaction of up to 49) when a replica drains thousands of sockets.
     */
    private static final int CALLS = 64;

    private final ConnectionServiceClient connections;
    private final PageFanout fanout;
    private final Counter retries;
    private final ExecutorService calls = Executors.newFixedThreadPool(CALLS, r -> {
        Thread thread = new Thread(r, "deregistration");
        thread.setDaemon(true);
        return thread;
    });

    Deregistrations(ConnectionServiceClient connections, PageFanout fanout, MeterRegistry meters) {
        this.connections = connections;
        this.fanout = fanout;
        this.retries = meters.counter("livecounter.deregister.retries");
    }

    /**
     * Deregisters {@code page} once its connect is over. After a failed connect it waits out the connect's timeout,
     * so the disconnect does not overtake a connect still under way.
     */
    CompletableFuture<Void> afterConnect(PageSession page) {
        return page.registration().thenCompose(registration -> switch (registration) {
            case CONFIRMED -> deregister(page, 0);
            case UNKNOWN -> later(CONNECT_SETTLE).thenCompose(ignored -> deregister(page, 0));
            case NEVER -> CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Retries with exponential backoff (capped at 30 s) for about ten minutes: a database or connection-service
     * outage must not leave a closed socket counted online. Only after that is it left to the TTL backstop.
     */
    private CompletableFuture<Void> deregister(PageSession page, int attempt) {
        return CompletableFuture.supplyAsync(() -> disconnect(page), calls).thenCompose(error -> {
            if (error == null) {
                return CompletableFuture.completedFuture(null);
            }
            if (attempt >= ATTEMPTS) {
                LOG.error("Gave up deregistering connection {}: {}", page.connectionId(), error.toString());
                return CompletableFuture.completedFuture(null);
            }
            LOG.warn("Deregistering connection {} failed (attempt {}), will retry: {}",
                    page.connectionId(), attempt + 1, error.toString());
            retries.increment();
            long backoff = Math.min(30_000, 200L << Math.min(attempt, 8));
            return later(Duration.ofMillis(backoff)).thenCompose(ignored -> deregister(page, attempt + 1));
        });
    }

    /** One disconnect call; returns its failure, or null. */
    private Throwable disconnect(PageSession page) {
        try {
            DisconnectResult result = connections.disconnect(page.connectionId()).get(10, TimeUnit.SECONDS);
            if (result.snapshot() != null) {
                // connection-service posts it to every replica too; this replica's own pages need not wait for that
                fanout.offer(result.snapshot());
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        } catch (Exception e) {
            return e;
        }
    }

    private static CompletableFuture<Void> later(Duration delay) {
        return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
    }
}

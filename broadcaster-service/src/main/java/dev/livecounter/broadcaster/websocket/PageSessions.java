package dev.livecounter.broadcaster.websocket;

import dev.livecounter.broadcaster.client.ConnectionServiceClient;
import dev.livecounter.broadcaster.config.LimitSettings;
import dev.livecounter.broadcaster.fanout.LocalFanout;
import dev.livecounter.broadcaster.fanout.ReplicaRegistry;
import dev.livecounter.common.model.ConnectRequest;
import dev.livecounter.common.model.DisconnectResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.netty.channel.Channel;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pages connected to this replica, from open to close: registers each socket with connection-service (the
 * {@code $connect} route), sends it its first count at once, and deregisters it when it closes.
 */
@Singleton
public class PageSessions {

    private static final Logger LOG = LoggerFactory.getLogger(PageSessions.class);
    private static final String ATTRIBUTE = "page";
    /** Close code "try again later": the page reconnects with backoff, maybe to another replica. */
    static final CloseReason TRY_AGAIN_LATER = new CloseReason(1013, "Try again later");
    /** The error frame's code when a socket would have created a counter past the budget of new ones. */
    static final String COUNTER_LIMIT = "counter_limit";
    /** Policy violation: not a 1013, so the page backs off rather than retrying at once. */
    private static final CloseReason COUNTER_REFUSED = new CloseReason(1008, "Counter limit");
    private static final CloseReason IDLE = new CloseReason(1001, "Idle: no pong");
    /** The broadcaster's read timeout on calls to connection-service, plus a margin. */
    private static final Duration CONNECT_SETTLE = Duration.ofSeconds(6);
    private static final int DEREGISTER_ATTEMPTS = 25;
    /**
     * Disconnect calls under way at once: bounded, so an outage's retries queue here rather than pile onto
     * connection-service, and enough that its batches fill (it writes the disconnects that arrive together in one
     * transaction of up to 49) when a replica drains thousands of sockets.
     */
    private static final int DEREGISTRATION_CALLS = 64;
    private static final byte[] PING = "live-counter".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Map<String, PageSession> open = new ConcurrentHashMap<>();
    private final ConnectionServiceClient connections;
    private final LocalFanout fanout;
    private final ReplicaRegistry registry;
    private final ClientLimits limits;
    private final LimitSettings limitSettings;
    private final Counter deregisterRetries;
    private final ExecutorService deregistrations = Executors.newFixedThreadPool(DEREGISTRATION_CALLS, r -> {
        Thread thread = new Thread(r, "deregistration");
        thread.setDaemon(true);
        return thread;
    });
    private final Counter connectFailures;

    PageSessions(
            ConnectionServiceClient connections,
            LocalFanout fanout,
            ReplicaRegistry registry,
            ClientLimits limits,
            LimitSettings limitSettings,
            MeterRegistry meters) {
        this.connections = connections;
        this.fanout = fanout;
        this.registry = registry;
        this.limits = limits;
        this.limitSettings = limitSettings;
        Gauge.builder("livecounter.sockets.open", open, Map::size)
                .description("WebSockets open on this replica")
                .register(meters);
        this.deregisterRetries = meters.counter("livecounter.deregister.retries");
        this.connectFailures = meters.counter("livecounter.connect.failures");
    }

    /** A socket opened: subscribe it first (so it misses nothing), then count it and send the snapshot. */
    PageSession open(WebSocketSession socket, @Nullable Channel channel, String counter, String visitId,
            @Nullable String visitorId, String address) {
        PageSession page = new PageSession(socket, channel, counter, UUID.randomUUID().toString(), visitId, address,
                new TokenBucket(limitSettings.messagesPerSecond(), limitSettings.messageBurst()));
        limits.opened(address);
        socket.put(ATTRIBUTE, page);
        open.put(page.connectionId(), page);
        fanout.subscribe(page);
        ConnectRequest request = new ConnectRequest(counter, registry.replicaId(), visitId, visitorId);
        page.registration(connections.connect(page.connectionId(), request).handle((result, error) -> {
            if (error != null && counterLimit(error)) {
                // a counter that does not exist, past the budget of new ones: refused before anything was written
                socket.sendAsync(Frames.error(COUNTER_LIMIT, "This counter does not exist, and too many new"
                        + " counters were made in the last minute; try again later."))
                        .whenComplete((sent, failed) -> socket.close(COUNTER_REFUSED));
                return Registration.NEVER;
            }
            if (error != null) {
                LOG.warn("Could not register connection {}: {}", page.connectionId(), error.toString());
                connectFailures.increment();
                socket.close(TRY_AGAIN_LATER);
                // refused before anything was sent: nothing to undo; anything else may have registered it
                return neverSent(error) ? Registration.NEVER : Registration.UNKNOWN;
            }
            // connection-service posts the new count to every replica's pages (the other replicas' too)
            fanout.welcome(page, result.snapshot());
            return Registration.CONFIRMED;
        }));
        return page;
    }

    /** A socket closed (either side): stop pushing to it and take it off the count once. */
    void close(WebSocketSession socket) {
        PageSession page = page(socket);
        socket.remove(ATTRIBUTE);
        if (page == null || open.remove(page.connectionId()) == null) {
            return;
        }
        limits.closed(page.address());
        fanout.unsubscribe(page);
        deregisterAfterConnect(page);
    }

    /**
     * Every closed socket is deregistered, also when its connect call failed: a call that timed out here may
     * still have registered it there, and a disconnect of an unknown connection counts nothing. After a failed
     * connect the disconnect waits out the connect's timeout, so it does not overtake a connect still under way.
     */
    private CompletableFuture<Void> deregisterAfterConnect(PageSession page) {
        return page.registration().thenCompose(registration -> switch (registration) {
            case CONFIRMED -> deregister(page, 0);
            case UNKNOWN -> later(CONNECT_SETTLE).thenCompose(ignored -> deregister(page, 0));
            case NEVER -> CompletableFuture.completedFuture(null);
        });
    }

    /** What is known of a socket's registration with connection-service. */
    enum Registration {
        /** connection-service answered: registered. */
        CONFIRMED,
        /** the call failed after it may have reached connection-service (timeout, 5xx). */
        UNKNOWN,
        /** the call never left: connection-service could not be reached at all. */
        NEVER
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
            if (cause instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Retries with exponential backoff (capped at 30 s) for about ten minutes: a database or connection-service
     * outage must not leave a closed socket counted online. Only after that is it left to the TTL backstop.
     */
    private CompletableFuture<Void> deregister(PageSession page, int attempt) {
        return CompletableFuture.supplyAsync(() -> disconnect(page), deregistrations)
                .thenCompose(error -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(null);
                    }
                    if (attempt >= DEREGISTER_ATTEMPTS) {
                        LOG.error("Gave up deregistering connection {}: {}", page.connectionId(), error.toString());
                        return CompletableFuture.completedFuture(null);
                    }
                    LOG.warn("Deregistering connection {} failed (attempt {}), will retry: {}",
                            page.connectionId(), attempt + 1, error.toString());
                    deregisterRetries.increment();
                    long backoff = Math.min(30_000, 200L << Math.min(attempt, 8));
                    return later(Duration.ofMillis(backoff)).thenCompose(ignored -> deregister(page, attempt + 1));
                });
    }

    /**
     * One disconnect call, on the bounded deregistration pool: however many sockets close at once or fail to
     * deregister during an outage, no more than a few calls are under way, so retries queue here instead of
     * piling onto a connection-service (and a database) that is just coming back.
     */
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

    /** The page behind a socket, if it is still open. */
    PageSession page(WebSocketSession socket) {
        return socket.get(ATTRIBUTE, PageSession.class).orElse(null);
    }

    public int openCount() {
        return open.size();
    }

    /**
     * Closes every open socket with 1013 (try again later): each is deregistered as any close is (a connection
     * already reaped counts nothing), and its page reconnects with its visit id and is counted again.
     *
     * @return how many were closed
     */
    int closeAllToReconnect() {
        List<PageSession> all = List.copyOf(open.values());
        all.forEach(page -> page.socket().close(TRY_AGAIN_LATER));
        return all.size();
    }

    /** The open sockets whose connect connection-service confirmed: the ones whose items must not expire. */
    List<PageSession> registered() {
        return open.values().stream()
                .filter(page -> page.registration().getNow(Registration.UNKNOWN) == Registration.CONFIRMED)
                .toList();
    }

    /**
     * Pings every socket (proxies drop idle connections; browsers answer pings by themselves) and closes those
     * that stayed silent, not even a pong, past the idle timeout: a dead peer must not stay counted online.
     */
    @Scheduled(fixedDelay = "${livecounter.limits.ping-interval:25s}")
    void keepAlive() {
        long idle = limitSettings.idleTimeout().toNanos();
        for (PageSession page : open.values()) {
            if (page.silentNanos() > idle) {
                page.socket().close(IDLE);
            } else if (page.socket().isOpen()) {
                page.socket().sendPingAsync(PING);
            }
        }
    }

    /**
     * Shutdown (SIGTERM, rolling update): close every socket with 1001 so pages reconnect to another replica,
     * and deregister them before the process goes. {@link ShutdownDrain} runs it on SIGTERM before the server stops.
     */
    CompletableFuture<?> drain() {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (PageSession page : List.copyOf(open.values())) {
            if (open.remove(page.connectionId()) == null) {
                continue;
            }
            limits.closed(page.address());
            fanout.unsubscribe(page);
            page.socket().remove(ATTRIBUTE);
            page.socket().close(CloseReason.GOING_AWAY);
            pending.add(deregisterAfterConnect(page));
        }
        LOG.info("Closed {} socket(s) with 1001 for shutdown", pending.size());
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .orTimeout(10, TimeUnit.SECONDS)
                .exceptionally(e -> {
                    LOG.warn("Not every connection was deregistered at shutdown: {}", e.toString());
                    return null;
                });
    }
}

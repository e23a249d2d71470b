package dev.livecounter.broadcaster.websocket;

import dev.livecounter.broadcaster.api.ConnectionServiceClient;
import dev.livecounter.broadcaster.config.LimitSettings;
import dev.livecounter.broadcaster.fanout.LocalFanout;
import dev.livecounter.broadcaster.fanout.ReplicaRegistry;
import dev.livecounter.common.model.ConnectRequest;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
    private static final CloseReason IDLE = new CloseReason(1001, "Idle: no pong");
    private static final byte[] PING = "live-counter".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Map<String, PageSession> open = new ConcurrentHashMap<>();
    private final ConnectionServiceClient connections;
    private final LocalFanout fanout;
    private final ReplicaRegistry registry;
    private final ClientLimits limits;
    private final LimitSettings limitSettings;

    PageSessions(
            ConnectionServiceClient connections,
            LocalFanout fanout,
            ReplicaRegistry registry,
            ClientLimits limits,
            LimitSettings limitSettings) {
        this.connections = connections;
        this.fanout = fanout;
        this.registry = registry;
        this.limits = limits;
        this.limitSettings = limitSettings;
    }

    /** A socket opened: subscribe it first (so it misses nothing), then count it and send the snapshot. */
    PageSession open(WebSocketSession socket, String counter, String visitId, String address) {
        PageSession page = new PageSession(socket, counter, UUID.randomUUID().toString(), visitId, address,
                new TokenBucket(limitSettings.messagesPerSecond(), limitSettings.messageBurst()));
        limits.opened(address);
        socket.put(ATTRIBUTE, page);
        open.put(page.connectionId(), page);
        fanout.subscribe(page);
        ConnectRequest request = new ConnectRequest(counter, registry.replicaId(), visitId);
        page.registration(connections.connect(page.connectionId(), request).handle((result, error) -> {
            if (error != null) {
                LOG.warn("Could not register connection {}: {}", page.connectionId(), error.toString());
                socket.close(TRY_AGAIN_LATER);
                return false;
            }
            fanout.welcome(page, result.snapshot());
            return result.registered();
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
        page.registration().thenCompose(registered -> registered ? deregister(page, 3) : CompletableFuture.completedFuture(null));
    }

    private CompletableFuture<Void> deregister(PageSession page, int attemptsLeft) {
        return connections.disconnect(page.connectionId()).<CompletableFuture<Void>>handle((result, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(null);
            }
            if (attemptsLeft <= 1) {
                // the reaper removes it with this replica's connections if the replica dies; until then it
                // is counted online: say so loudly rather than silently
                LOG.error("Could not deregister connection {}: {}", page.connectionId(), error.toString());
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(200L * (4 - attemptsLeft), TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> deregister(page, attemptsLeft - 1));
        }).thenCompose(f -> f);
    }

    /** The page behind a socket, if it is still open. */
    PageSession page(WebSocketSession socket) {
        return socket.get(ATTRIBUTE, PageSession.class).orElse(null);
    }

    public int openCount() {
        return open.size();
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
            pending.add(page.registration()
                    .thenCompose(registered -> registered ? deregister(page, 2) : CompletableFuture.completedFuture(null)));
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

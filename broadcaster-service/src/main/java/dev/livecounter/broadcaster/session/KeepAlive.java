package dev.livecounter.broadcaster.session;

import dev.livecounter.broadcaster.config.LimitSettings;
import io.micronaut.websocket.CloseReason;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;

/**
 * Pings every socket each {@link LimitSettings#pingInterval()} (proxies drop idle connections; browsers answer
 * pings by themselves) and closes those that stayed silent, not even a pong, past the idle timeout: a dead peer
 * must not stay counted online.
 */
@Singleton
final class KeepAlive {

    private static final byte[] PING = "live-counter".getBytes(StandardCharsets.US_ASCII);
    private static final CloseReason IDLE = new CloseReason(1001, "Idle: no pong");

    private final OpenPages pages;
    private final LimitSettings settings;

    KeepAlive(OpenPages pages, LimitSettings settings) {
        this.pages = pages;
        this.settings = settings;
    }

    @Scheduled(fixedDelay = "#{ ctx[dev.livecounter.broadcaster.config.LimitSettings].pingInterval }",
            initialDelay = "#{ ctx[dev.livecounter.broadcaster.config.LimitSettings].pingInterval }")
    void pingOrClose() {
        long idle = settings.idleTimeout().toNanos();
        for (PageSession page : pages.all()) {
            if (page.silentNanos() > idle) {
                page.close(IDLE);
            } else if (page.socket().isOpen()) {
                page.socket().sendPingAsync(PING);
            }
        }
    }
}

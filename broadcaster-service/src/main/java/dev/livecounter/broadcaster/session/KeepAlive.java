package dev.livecounter.broadcaster.session;

import dev.livecounter.broadcaster.config.LimitSettings;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import io.micronaut.websocket.CloseReason;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;

/**
 * Pings every socket each {@link LimitSettings#pingInterval()} (proxies drop idle connections; browsers answer
 * pings by themselves) and closes those that stayed silent, not even a pong, past the idle timeout: a dead peer
 * must not stay counted online.
 */
@Singleton
class KeepAlive {

    private static final byte[] PING = "live-counter".getBytes(StandardCharsets.US_ASCII);
    private static final CloseReason IDLE = new CloseReason(1001, "Idle: no pong");

    private final OpenPages pages;
    private final LimitSettings settings;
    private final TaskScheduler scheduler;
    private ScheduledFuture<?> pings;

    KeepAlive(OpenPages pages, LimitSettings settings, @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler) {
        this.pages = pages;
        this.settings = settings;
        this.scheduler = scheduler;
    }

    @EventListener
    void onServerStartup(ServerStartupEvent event) {
        pings = scheduler.scheduleWithFixedDelay(settings.pingInterval(), settings.pingInterval(), this::pingOrClose);
    }

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

    @PreDestroy
    void stop() {
        if (pings != null) {
            pings.cancel(false);
        }
    }
}

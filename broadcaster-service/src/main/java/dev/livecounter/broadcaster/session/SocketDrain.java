package dev.livecounter.broadcaster.session;

import io.micronaut.websocket.CloseReason;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes every socket of this replica at once: on shutdown (1001), or after the replica was reaped (1013). */
@Singleton
public final class SocketDrain {

    private static final Logger LOG = LoggerFactory.getLogger(SocketDrain.class);

    private final OpenPages pages;
    private final PageLifecycle lifecycle;

    SocketDrain(OpenPages pages, PageLifecycle lifecycle) {
        this.pages = pages;
        this.lifecycle = lifecycle;
    }

    /**
     * Closes every open socket with 1013 (try again later): each is deregistered as any close is (a connection
     * already reaped counts nothing), and its page reconnects with its visit id and is counted again.
     *
     * @return how many were closed
     */
    public int closeAllToReconnect() {
        List<PageSession> all = pages.all();
        all.forEach(page -> page.close(Registrations.TRY_AGAIN_LATER));
        return all.size();
    }

    /**
     * Shutdown (SIGTERM, rolling update): close every socket with 1001 so pages reconnect to another replica, and
     * deregister them before the process goes, for at most 10 seconds.
     */
    CompletableFuture<?> drain() {
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (PageSession page : pages.all()) {
            CompletableFuture<Void> deregistered = lifecycle.end(page);
            page.close(CloseReason.GOING_AWAY);
            pending.add(deregistered);
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

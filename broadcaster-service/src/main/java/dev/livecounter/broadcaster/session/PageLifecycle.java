package dev.livecounter.broadcaster.session;

import dev.livecounter.broadcaster.config.LimitSettings;
import dev.livecounter.broadcaster.fanout.PageFanout;
import dev.livecounter.broadcaster.limits.ClientLimits;
import dev.livecounter.broadcaster.limits.VisitorBudget;
import dev.livecounter.broadcaster.tables.TableSubscriptions;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.websocket.WebSocketSession;
import io.netty.channel.Channel;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;

/**
 * A page's socket from open to close: subscribed to its counter first (so it misses nothing), then registered
 * with connection-service (which answers with its first count); on close unsubscribed and deregistered, once. A
 * socket without a counter (one that only subscribes to tables) is neither: it counts no visit.
 */
@Singleton
public final class PageLifecycle {

    private final OpenPages pages;
    private final PageFanout fanout;
    private final Registrations registrations;
    private final Deregistrations deregistrations;
    private final ClientLimits limits;
    private final VisitorBudget visitors;
    private final LimitSettings limitSettings;
    private final TableSubscriptions tables;

    PageLifecycle(OpenPages pages, PageFanout fanout, Registrations registrations, Deregistrations deregistrations,
            ClientLimits limits, VisitorBudget visitors, LimitSettings limitSettings, TableSubscriptions tables) {
        this.pages = pages;
        this.fanout = fanout;
        this.registrations = registrations;
        this.deregistrations = deregistrations;
        this.limits = limits;
        this.visitors = visitors;
        this.limitSettings = limitSettings;
        this.tables = tables;
    }

    /** A socket opened on {@code channel}, showing {@code counter} (null: none). */
    public void open(WebSocketSession socket, Channel channel, @Nullable String counter, String visitId,
            @Nullable String visitorId, String address) {
        PageSession page = new PageSession(socket, channel, counter == null ? null : fanout.subscribe(counter, channel),
                visitId, address, limitSettings);
        limits.opened(address);
        pages.add(page);
        if (counter != null) {
            registrations.register(page, visitors.admit(address, visitorId));
        }
    }

    /** A socket closed (either side): stop pushing to it and take it off the count once. */
    public void closed(WebSocketSession socket) {
        PageSession page = pages.of(socket);
        if (page != null) {
            end(page);
        }
    }

    /**
     * Ends a page on this replica: no more frames, its address's socket given back, deregistered.
     *
     * @return the deregistration, done at once when the page had already ended
     */
    CompletableFuture<Void> end(PageSession page) {
        if (!pages.remove(page)) {
            return CompletableFuture.completedFuture(null);
        }
        limits.closed(page.address());
        tables.closed(page);
        if (page.sink() == null) {
            return CompletableFuture.completedFuture(null);
        }
        fanout.unsubscribe(page.sink());
        return deregistrations.afterConnect(page);
    }
}

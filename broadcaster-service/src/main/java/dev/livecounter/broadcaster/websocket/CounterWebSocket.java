package dev.livecounter.broadcaster.websocket;

import dev.livecounter.broadcaster.api.CounterServiceClient;
import dev.livecounter.broadcaster.fanout.LocalFanout;
import dev.livecounter.common.model.CounterSnapshot;
import io.micronaut.http.HttpRequest;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnError;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws?counter=home&visit=<id>}: one socket per page load. The upgrade was already checked by
 * {@link UpgradeGuard}; here the socket is counted, fed, and its presses forwarded to counter-service.
 */
@ServerWebSocket(UpgradeGuard.PATH)
public class CounterWebSocket {

    /** A longer frame closes the socket with 1009 (message too big); a page's messages are tiny. */
    static final int MAX_FRAME_BYTES = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(CounterWebSocket.class);

    private final PageSessions pages;
    private final CounterServiceClient counters;
    private final LocalFanout fanout;

    CounterWebSocket(PageSessions pages, CounterServiceClient counters, LocalFanout fanout) {
        this.pages = pages;
        this.counters = counters;
        this.fanout = fanout;
    }

    @OnOpen
    public void onOpen(WebSocketSession socket, HttpRequest<?> request) {
        BinaryFrameGuard.install(request);
        pages.open(socket, UpgradeGuard.counter(request), UpgradeGuard.visitId(request));
    }

    @OnMessage(maxPayloadLength = MAX_FRAME_BYTES)
    public void onMessage(String message, WebSocketSession socket) {
        PageSession page = pages.page(socket);
        if (page == null) {
            return;
        }
        ClientMessages.Action action;
        try {
            action = ClientMessages.parse(message);
        } catch (ClientMessages.Rejected rejected) {
            page.sendError(rejected.code(), rejected.getMessage());
            return;
        }
        CompletableFuture<CounterSnapshot> change = action == ClientMessages.Action.PLUS
                ? counters.increment(page.counter())
                : counters.decrement(page.counter());
        change.whenComplete((snapshot, error) -> {
            if (error != null) {
                LOG.warn("{} on {} failed: {}", action, page.counter(), error.toString());
                page.sendError("unavailable", "the counter could not be changed; try again");
            } else {
                // the presser's own replica need not wait for the stream; every other replica gets it from there
                fanout.offer(snapshot);
            }
        });
    }

    @OnClose
    public void onClose(WebSocketSession socket) {
        pages.close(socket);
    }

    @OnError
    public void onError(WebSocketSession socket, Throwable error) {
        LOG.debug("Socket {} failed: {}", socket.getId(), error.toString());
    }
}

package dev.livecounter.broadcaster.websocket;

import dev.livecounter.broadcaster.client.CounterServiceClient;
import dev.livecounter.broadcaster.config.LimitSettings;
import dev.livecounter.broadcaster.fanout.ReplicaFanout;
import dev.livecounter.common.model.CounterSnapshot;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketPongMessage;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnError;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;
import io.netty.channel.Channel;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws?counter=home&visit=<id>&visitor=<id>}: one socket per page load. The upgrade was already checked by
 * {@link UpgradeGuard}; here the socket is counted, fed, and its presses forwarded to counter-service.
 */
@ServerWebSocket(UpgradeGuard.PATH)
public class CounterWebSocket {

    /** A longer frame closes the socket with 1009 (message too big); a page's messages are tiny. */
    static final int MAX_FRAME_BYTES = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(CounterWebSocket.class);

    private final PageSessions pages;
    private final CounterServiceClient counters;
    private final ReplicaFanout fanout;
    private final ClientLimits limits;
    private final LimitSettings limitSettings;

    CounterWebSocket(
            PageSessions pages,
            CounterServiceClient counters,
            ReplicaFanout fanout,
            ClientLimits limits,
            LimitSettings limitSettings) {
        this.pages = pages;
        this.counters = counters;
        this.fanout = fanout;
        this.limits = limits;
        this.limitSettings = limitSettings;
    }

    @OnOpen
    public void onOpen(WebSocketSession socket, HttpRequest<?> request) {
        BinaryFrameGuard.install(request);
        // the socket's Netty channel, so fan-out can write one shared, pre-encoded frame to it
        Channel channel = request instanceof NettyHttpRequest<?> netty ? netty.getChannelHandlerContext().channel() : null;
        pages.open(socket, channel, UpgradeGuard.counter(request), UpgradeGuard.visitId(request),
                UpgradeGuard.visitorId(request), limits.address(request));
    }

    @OnMessage(maxPayloadLength = MAX_FRAME_BYTES)
    public void onMessage(String message, WebSocketSession socket) {
        PageSession page = pages.page(socket);
        if (page == null) {
            return;
        }
        page.heard();
        ClientMessages.Press press;
        try {
            if (!page.tryMessage()) {
                throw new ClientMessages.Rejected("rate_limited", "too many messages; slow down");
            }
            press = ClientMessages.parsePress(message);
        } catch (ClientMessages.Rejected rejected) {
            refuse(page, rejected);
            return;
        }
        page.accepted();
        // after the socket's connect has answered: the connect creates a new counter, a press never does
        CompletableFuture<CounterSnapshot> change = page.registration().thenCompose(registered ->
                press.action() == ClientMessages.Action.PLUS
                        ? counters.increment(page.counter(), press.id())
                        : counters.decrement(page.counter(), press.id()));
        change.whenComplete((snapshot, error) -> {
            if (error == null && snapshot == null) {
                // 404 no_counter (the declarative client answers a 404 with no body): the counter was deleted under
                // its page, and a press does not create it again; surely not applied
                PressFailures.tell(page, press.id(), new IllegalStateException("no counter " + page.counter()));
            } else if (error != null) {
                LOG.warn("{} on {} not confirmed: {}", press.action(), page.counter(), error.toString());
                PressFailures.tell(page, press.id(), error);
            } else {
                // neither this replica nor its peers need wait for the stream
                fanout.share(snapshot);
            }
        });
    }

    /** Browsers answer the server's pings: the page is alive. */
    @OnMessage
    public void onPong(WebSocketPongMessage pong, WebSocketSession socket) {
        PageSession page = pages.page(socket);
        if (page != null) {
            page.heard();
        }
    }

    /** An error frame; a client that keeps sending what is refused is closed with 1008 (policy violation). */
    private void refuse(PageSession page, ClientMessages.Rejected rejected) {
        if (page.rejected() >= limitSettings.rejectedBeforeClose()) {
            page.socket().close(CloseReason.POLICY_VIOLATION);
        } else {
            page.sendError(rejected.code(), rejected.getMessage());
        }
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

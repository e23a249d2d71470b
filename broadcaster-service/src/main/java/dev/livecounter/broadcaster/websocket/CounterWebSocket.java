package dev.livecounter.broadcaster.websocket;

import dev.livecounter.broadcaster.config.LimitSettings;
import dev.livecounter.broadcaster.metrics.Outcomes;
import dev.livecounter.broadcaster.limits.ClientLimits;
import dev.livecounter.broadcaster.protocol.ClientMessage;
import dev.livecounter.broadcaster.protocol.ClientMessages;
import dev.livecounter.broadcaster.session.OpenPages;
import dev.livecounter.broadcaster.session.PageLifecycle;
import dev.livecounter.broadcaster.session.PageSession;
import dev.livecounter.broadcaster.session.Presses;
import dev.livecounter.broadcaster.tables.TableSubscriptions;
import dev.livecounter.common.contract.ErrorCode;
import dev.livecounter.common.metrics.MetricNames;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws?counter=home&visit=<id>&visitor=<id>}: one socket per page load ({@code counter=} empty: a socket with no
 * counter, for table subscriptions only). The upgrade was already checked by {@link UpgradeGuard}; here the socket is
 * handed to its {@link PageLifecycle} and its messages are decoded ({@link ClientMessages}) and handed on: presses to
 * {@link Presses}, subscribes and unsubscribes to {@link TableSubscriptions}.
 */
@ServerWebSocket(UpgradeGuard.PATH)
public final class CounterWebSocket {

    private static final Logger LOG = LoggerFactory.getLogger(CounterWebSocket.class);

    private final PageLifecycle lifecycle;
    private final OpenPages pages;
    private final Presses presses;
    private final TableSubscriptions tables;
    private final ClientLimits limits;
    private final LimitSettings limitSettings;
    private final Outcomes outcomes;

    CounterWebSocket(PageLifecycle lifecycle, OpenPages pages, Presses presses, TableSubscriptions tables,
            ClientLimits limits, LimitSettings limitSettings, Outcomes outcomes) {
        this.lifecycle = lifecycle;
        this.pages = pages;
        this.presses = presses;
        this.tables = tables;
        this.limits = limits;
        this.limitSettings = limitSettings;
        this.outcomes = outcomes;
    }

    @OnOpen
    public void onOpen(WebSocketSession socket, HttpRequest<?> request) {
        if (!(request instanceof NettyHttpRequest<?> netty)) {
            throw new IllegalStateException("the broadcaster runs on Micronaut's Netty server only");
        }
        // the socket's Netty channel: fan-out writes its count frames straight to it
        lifecycle.open(socket, netty.getChannelHandlerContext().channel(), UpgradeGuard.counter(request),
                UpgradeGuard.visitId(request), UpgradeGuard.visitorId(request), limits.address(request));
        // all read from the request: the socket drops what it need not keep, and gets its message guard
        LeanSocket.settle(netty);
    }

    // a longer frame closes the socket with 1009 (message too big); MessageGuard bounds the whole message the same way
    @OnMessage(maxPayloadLength = MessageGuard.MAX_MESSAGE_BYTES)
    public void onMessage(String message, WebSocketSession socket) {
        PageSession page = pages.of(socket);
        if (page == null) {
            return;
        }
        page.heard();
        ClientMessage decoded;
        try {
            if (!page.tryMessage()) {
                outcomes.press(MetricNames.LIMIT);
                throw new ClientMessages.Rejected(ErrorCode.RATE_LIMITED, "too many messages; slow down");
            }
            decoded = ClientMessages.decode(message);
            if (decoded instanceof ClientMessage.Press && page.counter() == null) {
                throw new ClientMessages.Rejected(ErrorCode.BAD_REQUEST, "this socket carries no counter to press");
            }
        } catch (ClientMessages.Rejected rejected) {
            refuse(page, rejected);
            return;
        }
        page.accepted();
        if (decoded instanceof ClientMessage.Press press) {
            presses.forward(page, press);
        } else if (decoded instanceof ClientMessage.Subscribe subscribe) {
            tables.subscribe(page, subscribe);
        } else if (decoded instanceof ClientMessage.Unsubscribe unsubscribe) {
            tables.unsubscribe(page, unsubscribe);
        }
    }

    /** Browsers answer the server's pings: the page is alive. */
    @OnMessage
    public void onPong(WebSocketPongMessage pong, WebSocketSession socket) {
        PageSession page = pages.of(socket);
        if (page != null) {
            page.heard();
        }
    }

    /** An error frame; a client that keeps sending what is refused is closed with 1008 (policy violation). */
    private void refuse(PageSession page, ClientMessages.Rejected rejected) {
        if (page.rejected() >= limitSettings.rejectedBeforeClose()) {
            page.close(CloseReason.POLICY_VIOLATION);
        } else {
            page.sendError(rejected.code(), rejected.getMessage());
        }
    }

    @OnClose
    public void onClose(WebSocketSession socket) {
        lifecycle.closed(socket);
    }

    @OnError
    public void onError(WebSocketSession socket, Throwable error) {
        LOG.debug("Socket {} failed: {}", socket.getId(), error.toString());
    }
}

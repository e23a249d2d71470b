package dev.livecounter.broadcaster.session;

import dev.livecounter.broadcaster.config.LimitSettings;
import dev.livecounter.broadcaster.fanout.CountSink;
import dev.livecounter.broadcaster.limits.TokenBucket;
import dev.livecounter.broadcaster.protocol.Frames;
import dev.livecounter.broadcaster.tables.TableSocket;
import dev.livecounter.common.contract.ErrorCode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.netty.channel.Channel;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One page's socket on this replica: its counter's sink (none for a socket that only subscribes to tables), its
 * connection id in the connections table, its visit, its client address and message budget, and what is known of
 * its registration. Count frames go through the {@link CountSink}; the rare error frames through Micronaut's session.
 */
public final class PageSession implements TableSocket {

    private final WebSocketSession socket;
    private final Channel channel;
    @Nullable
    private final CountSink sink;
    /** New for every socket: a reconnect is a new connection of the same visit. */
    private final String connectionId = UUID.randomUUID().toString();
    private final String visitId;
    private final String address;
    private final LimitSettings limits;
    /** Made at the page's first message: most pages send few or none, and a replica holds tens of thousands. */
    @Nullable
    private TokenBucket messages;
    private int rejectedInRow;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile CompletableFuture<Registration> registration = CompletableFuture.completedFuture(Registration.NEVER);

    PageSession(WebSocketSession socket, Channel channel, @Nullable CountSink sink, String visitId, String address,
            LimitSettings limits) {
        this.socket = socket;
        this.channel = channel;
        this.sink = sink;
        this.visitId = visitId;
        this.address = address;
        this.limits = limits;
    }

    /** The counter this socket counts and shows, or null for a socket that carries none. */
    @Nullable
    public String counter() {
        return sink == null ? null : sink.counter();
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public String connectionId() {
        return connectionId;
    }

    public String visitId() {
        return visitId;
    }

    @Override
    public String address() {
        return address;
    }

    WebSocketSession socket() {
        return socket;
    }

    @Nullable
    CountSink sink() {
        return sink;
    }

    /** The page sent something (a message or a pong): it is alive. */
    public void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long silentNanos() {
        return System.nanoTime() - lastHeardNanos;
    }

    /** Takes a message from this page's budget; false when it sends faster than allowed. */
    public boolean tryMessage() {
        TokenBucket bucket;
        synchronized (this) {
            if (messages == null) {
                messages = new TokenBucket(limits.messagesPerSecond(), limits.messageBurst());
            }
            bucket = messages;
        }
        return bucket.tryTake();
    }

    /** A message was refused; returns how many in a row now. */
    public synchronized int rejected() {
        return ++rejectedInRow;
    }

    public synchronized void accepted() {
        rejectedInRow = 0;
    }

    /** Completes when the connect call is over, with what is known of the registration. */
    CompletableFuture<Registration> registration() {
        return registration;
    }

    void registration(CompletableFuture<Registration> registration) {
        this.registration = registration;
    }

    /** Sends a text frame through Micronaut's session (errors, pending presses); the socket stays open. */
    void sendText(String frame) {
        if (socket.isOpen()) {
            socket.sendAsync(frame);
        }
    }

    /** Sends an error frame; the socket stays open. */
    public void sendError(ErrorCode code, String message) {
        sendText(Frames.error(code, message));
    }

    public void close(CloseReason reason) {
        socket.close(reason);
    }
}

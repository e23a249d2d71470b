package dev.livecounter.broadcaster.websocket;

import io.micronaut.websocket.WebSocketSession;
import java.util.concurrent.CompletableFuture;

/**
 * One page's socket on this replica: its counter, its connection id in the connections table, and the newest
 * version it was sent, so that a page never sees a version go backwards whatever order updates arrive in.
 */
public final class PageSession {

    private final WebSocketSession socket;
    private final String counter;
    private final String connectionId;
    private final String visitId;
    private final String address;
    private final TokenBucket messages;
    private long sentVersion = -1;
    private int rejectedInRow;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile CompletableFuture<PageSessions.Registration> registration =
            CompletableFuture.completedFuture(PageSessions.Registration.NEVER);

    PageSession(
            WebSocketSession socket, String counter, String connectionId, String visitId, String address, TokenBucket messages) {
        this.socket = socket;
        this.counter = counter;
        this.connectionId = connectionId;
        this.visitId = visitId;
        this.address = address;
        this.messages = messages;
    }

    /** The client address its limits are counted against. */
    String address() {
        return address;
    }

    /** The page sent something (a message or a pong): it is alive. */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long silentNanos() {
        return System.nanoTime() - lastHeardNanos;
    }

    /** Takes a message from this page's budget; false when it sends faster than allowed. */
    boolean tryMessage() {
        return messages.tryTake();
    }

    /** A message was refused; returns how many in a row now. */
    synchronized int rejected() {
        return ++rejectedInRow;
    }

    synchronized void accepted() {
        rejectedInRow = 0;
    }

    public String counter() {
        return counter;
    }

    public String connectionId() {
        return connectionId;
    }

    public String visitId() {
        return visitId;
    }

    public WebSocketSession socket() {
        return socket;
    }

    /** Completes when the connect call is over, with what is known of the registration. */
    CompletableFuture<PageSessions.Registration> registration() {
        return registration;
    }

    void registration(CompletableFuture<PageSessions.Registration> registration) {
        this.registration = registration;
    }

    /**
     * Sends a count frame unless this page already has that version or a newer one. Callers push from
     * {@link dev.livecounter.broadcaster.fanout.LocalFanout}'s one thread, so frames leave in version order.
     */
    public synchronized void push(long version, String countFrame) {
        if (version <= sentVersion || !socket.isOpen()) {
            return;
        }
        sentVersion = version;
        socket.sendAsync(countFrame);
    }

    /** Sends an error frame; the socket stays open. */
    public void sendError(String code, String message) {
        if (socket.isOpen()) {
            socket.sendAsync(Frames.error(code, message));
        }
    }
}

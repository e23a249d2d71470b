package dev.livecounter.broadcaster.websocket;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.websocket.WebSocketSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.concurrent.CompletableFuture;

/**
 * One page's socket on this replica: its counter, its connection id in the connections table, and the newest
 * version it was sent, so that a page never sees a version go backwards whatever order updates arrive in.
 */
public final class PageSession {

    private final WebSocketSession socket;
    @Nullable
    private final Channel channel;
    private final String counter;
    private final String connectionId;
    private final String visitId;
    private final String address;
    private final TokenBucket messages;
    /** The newest version claimed for this page; written on LocalFanout's thread, read on the socket's event loop. */
    private volatile long sentVersion = -1;
    private int rejectedInRow;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile CompletableFuture<PageSessions.Registration> registration =
            CompletableFuture.completedFuture(PageSessions.Registration.NEVER);

    PageSession(
            WebSocketSession socket,
            @Nullable Channel channel,
            String counter,
            String connectionId,
            String visitId,
            String address,
            TokenBucket messages) {
        this.socket = socket;
        this.channel = channel;
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
    public void push(long version, String countFrame) {
        if (claim(version)) {
            send(countFrame);
        }
    }

    /** Sends a count frame this page was {@link #claim claimed} for, encoding it for this page alone. */
    public void send(String countFrame) {
        if (channel == null) {
            socket.sendAsync(countFrame);
        } else {
            ByteBuf encoded = ByteBufUtil.writeUtf8(channel.alloc(), countFrame);
            channel.writeAndFlush(new TextWebSocketFrame(encoded), channel.voidPromise());
        }
    }

    /**
     * Marks {@code version} as sent to this page, unless it already has that version or a newer one (or is
     * closed); the caller then writes the frame with {@link #write} or {@link #push}. Claims are made on
     * LocalFanout's one thread, in version order, and the writes queued on the socket's event loop in the same
     * order, so a page never sees a version go backwards.
     */
    public synchronized boolean claim(long version) {
        if (version <= sentVersion || !socket.isOpen()) {
            return false;
        }
        sentVersion = version;
        return true;
    }

    /**
     * The socket's Netty channel, or null when the server is not Netty's: then frames go through
     * {@link #push} as a String. Its event loop is where {@link #write} must run.
     */
    @Nullable
    public Channel channel() {
        return channel;
    }

    /**
     * Writes an already encoded count frame, shared by every page that gets it (a retained duplicate: no copy,
     * no per-page encoding). Call on the channel's event loop after {@link #claim}. A frame that a newer claim
     * has overtaken while it waited in the event loop's queue (a busy loop, a slow socket) is not written: the
     * newer one is queued behind it, so the page still ends on the newest version, in order, and a stalled loop
     * does not burst out every frame it missed.
     */
    public void write(ByteBuf sharedFrame, long version) {
        if (version < sentVersion) {
            return;
        }
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(new TextWebSocketFrame(sharedFrame.retainedDuplicate()), channel.voidPromise());
        }
    }

    /** Sends an error frame; the socket stays open. */
    public void sendError(String code, String message) {
        if (socket.isOpen()) {
            socket.sendAsync(Frames.error(code, message));
        }
    }
}

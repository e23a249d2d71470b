package dev.livecounter.broadcaster.tables;

import dev.livecounter.broadcaster.fanout.SocketWire;
import dev.livecounter.broadcaster.limits.ClientLimits;
import dev.livecounter.broadcaster.protocol.ClientMessage;
import dev.livecounter.broadcaster.protocol.ClientMessages.Rejected;
import dev.livecounter.broadcaster.protocol.WireFrame;
import dev.livecounter.common.contract.ErrorCode;
import io.micronaut.core.annotation.Nullable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table subscriptions of this replica's sockets: subscribe (checked, then a snapshot or the missed changes, then
 * every change), unsubscribe, a token's expiry, a gap, a closed socket; and the changes of every streamed table, from
 * the stream or a peer, into each table's {@link TableTopic}.
 */
@Singleton
public class TableSubscriptions {

    private static final Logger LOG = LoggerFactory.getLogger(TableSubscriptions.class);
    /** Items per snapshot frame. */
    static final int SNAPSHOT_PAGE = 100;

    private final TableCatalog catalog;
    private final SubscribeChecks checks;
    private final Snapshots snapshots;
    private final SubscriptionSettings settings;
    private final ClientLimits limits;
    private final TableMetrics metrics;
    private final ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private final ConcurrentHashMap<String, TableTopic> topics = new ConcurrentHashMap<>();
    /** Each socket's subscriptions by id, by connection id; a socket's map is changed on its event loop only. */
    private final ConcurrentHashMap<String, SocketTables> sockets = new ConcurrentHashMap<>();
    private final ExecutorService blocking;

    private record SocketTables(SocketWire wire, Map<String, TableSink> subscriptions) {}

    TableSubscriptions(TableCatalog catalog, SubscribeChecks checks, Snapshots snapshots, SubscriptionSettings settings,
            ClientLimits limits, TableMetrics metrics, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
        this.blocking = blocking;
        this.catalog = catalog;
        this.checks = checks;
        this.snapshots = snapshots;
        this.settings = settings;
        this.limits = limits;
        this.metrics = metrics;
    }

    /** A batch of one shard of {@code table}'s stream, in order, with the position just before it (null: its start). */
    public void apply(String table, String shardId, @Nullable String previous, List<TableChange> changes) {
        TableTopic topic;
        try {
            topic = topic(table);
        } catch (Rejected notStreamed) {
            LOG.warn("Changes of {} dropped: {}", table, notStreamed.getMessage());
            return;
        }
        topic.apply(shardId, previous == null ? null : new BigInteger(previous), changes);
    }

    /**
     * On the socket's event loop. A subscribe with a token is checked off the loop (the issuer's keys may have to be
     * fetched), then goes on on the loop.
     */
    public void subscribe(TableSocket page, ClientMessage.Subscribe message) {
        SocketTables socket = sockets.computeIfAbsent(page.connectionId(),
                id -> new SocketTables(new SocketWire(page.channel()), new ConcurrentHashMap<>()));
        String ref = message.ref() != null && message.ref().length() <= 64 ? message.ref() : null;
        try {
            if (socket.subscriptions.size() >= settings.perSocket()) {
                throw new Rejected(ErrorCode.TOO_MANY_SUBSCRIPTIONS,
                        "a socket holds at most " + settings.perSocket() + " subscriptions");
            }
            if (!limits.trySubscribe(page.address())) {
                throw new Rejected(ErrorCode.RATE_LIMITED, "too many subscribes from your address; slow down");
            }
            Map<String, BigInteger> after = null;
            if (message.after() != null) {
                try {
                    after = Positions.decode(message.after());
                } catch (IllegalArgumentException bad) {
                    throw new Rejected(ErrorCode.BAD_REQUEST, "after: " + bad.getMessage());
                }
            }
            Map<String, BigInteger> resumeFrom = after;
            if (message.token() == null) {
                start(page, socket, ref, checks.check(message), resumeFrom);
            } else {
                CompletableFuture.supplyAsync(() -> {
                    try {
                        return checks.check(message);
                    } catch (Rejected refused) {
                        throw new CompletionException(refused);
                    }
                }, blocking).whenComplete((checked, error) -> page.channel().eventLoop().execute(() -> {
                    if (error != null) {
                        refuse(socket, ref, error.getCause() instanceof Rejected r ? r
                                : new Rejected(ErrorCode.UNAVAILABLE, "the token could not be checked; try again"));
                    } else {
                        try {
                            start(page, socket, ref, checked, resumeFrom);
                        } catch (Rejected refused) {
                            refuse(socket, ref, refused);
                        }
                    }
                }));
            }
        } catch (Rejected refused) {
            refuse(socket, ref, refused);
        }
    }

    private void refuse(SocketTables socket, @Nullable String ref, Rejected refused) {
        metrics.subscribe(refused.code().code());
        send(socket, TableFrames.error(refused.code(), ref, refused.getMessage()));
    }

    /** A checked subscription starts: from the missed changes when the table's log still has them, else a snapshot. */
    private void start(TableSocket page, SocketTables socket, @Nullable String ref, SubscribeChecks.Checked checked,
            @Nullable Map<String, BigInteger> after) throws Rejected {
        Subscription subscription = checked.subscription();
        if (!socket.wire.channel().isActive()) {
            return;
        }
        if (socket.subscriptions.containsKey(subscription.id())) {
            throw new Rejected(ErrorCode.BAD_REQUEST, "this socket already has subscription " + subscription.id());
        }
        if (socket.subscriptions.size() >= settings.perSocket()) {
            throw new Rejected(ErrorCode.TOO_MANY_SUBSCRIPTIONS,
                    "a socket holds at most " + settings.perSocket() + " subscriptions");
        }
        TableTopic topic = topic(subscription.table().name());
        TableTopic.Start start = after == null ? null
                : topic.resume(subscription, after, group -> new TableSink(group, socket.wire, page.connectionId(), ref));
        if (start != null) {
            List<ByteBuf> first = new ArrayList<>();
            first.add(WireFrame.text(allocator, TableFrames.resumed(subscription.id(), ref, subscription.table().name(),
                    start.missed().size())));
            first.addAll(start.missed());
            TableSink sink = start.sink();
            Map<String, BigInteger> floor = start.floor();
            sink.eventLoop().execute(() -> {
                if (!sink.caughtUp(first, floor, null)) {
                    startAgain(topic, sink, "some changes did not reach this replica while you resumed");
                }
            });
        } else {
            start = topic.join(subscription, group -> new TableSink(group, socket.wire, page.connectionId(), ref));
            if (after != null) {
                start.sink().send(TableFrames.gap(subscription.id(), subscription.table().name(),
                        "the changes since that position are no longer kept here; a fresh snapshot follows"));
            }
            readSnapshot(topic, start.sink(), start.floor());
        }
        socket.subscriptions.put(subscription.id(), start.sink());
        expireWithToken(page, start.sink(), checked.expires());
        metrics.subscribe("ok");
        if (sockets.get(page.connectionId()) != socket) {
            // the socket closed while the token was checked
            closed(socket);
        }
    }

    /** On the socket's event loop. */
    public void unsubscribe(TableSocket page, ClientMessage.Unsubscribe message) {
        SocketTables socket = sockets.get(page.connectionId());
        TableSink sink = socket == null || message.sub() == null ? null : socket.subscriptions.remove(message.sub());
        if (sink == null) {
            SocketTables any = socket != null ? socket
                    : sockets.computeIfAbsent(page.connectionId(), id -> new SocketTables(new SocketWire(page.channel()), new ConcurrentHashMap<>()));
            send(any, TableFrames.error(ErrorCode.BAD_REQUEST, null, "no subscription " + message.sub() + " on this socket"));
            return;
        }
        end(sink, "unsubscribed");
    }

    /** The socket closed: its subscriptions end without a frame. */
    public void closed(TableSocket page) {
        SocketTables socket = sockets.remove(page.connectionId());
        if (socket != null) {
            closed(socket);
        }
    }

    private void closed(SocketTables socket) {
        socket.subscriptions.values().forEach(sink -> sink.eventLoop().execute(() -> {
            topicOf(sink).leave(sink);
            sink.end();
        }));
    }

    private void end(TableSink sink, String reason) {
        topicOf(sink).leave(sink);
        sink.end();
        sink.send(TableFrames.unsubscribed(sink.sub(), sink.group.subscription.table().name(), reason));
    }

    private void expireWithToken(TableSocket page, TableSink sink, @Nullable Instant expires) {
        if (expires == null) {
            return;
        }
        long delay = Math.max(0, Duration.between(Instant.now(), expires).toMillis());
        sink.expiry = sink.eventLoop().schedule(() -> {
            SocketTables socket = sockets.get(page.connectionId());
            if (socket != null && socket.subscriptions.remove(sink.sub(), sink)) {
                end(sink, ErrorCode.TOKEN_EXPIRED.code());
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Reads the snapshot, then lets the sink catch up on its event loop. */
    private void readSnapshot(TableTopic topic, TableSink sink, Map<String, BigInteger> floor) {
        Subscription subscription = sink.group.subscription;
        String position = Positions.encode(floor);
        snapshots.read(subscription).whenComplete((read, error) -> sink.eventLoop().execute(() -> {
            if (sink.ended()) {
                return;
            }
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                Rejected refused = cause instanceof Rejected r ? r
                        : new Rejected(ErrorCode.UNAVAILABLE, "the snapshot could not be read; try again shortly");
                if (!(cause instanceof Rejected)) {
                    LOG.warn("Snapshot of {} failed: {}", subscription.table().name(), cause.toString());
                }
                drop(sink);
                sink.send(TableFrames.error(refused.code(), sink.ref, refused.getMessage()));
                return;
            }
            List<ByteBuf> frames = new ArrayList<>();
            List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> items = read.items();
            for (int from = 0; from == 0 || from < items.size(); from += SNAPSHOT_PAGE) {
                int to = Math.min(items.size(), from + SNAPSHOT_PAGE);
                frames.add(WireFrame.text(allocator, TableFrames.snapshot(subscription.id(), sink.ref,
                        subscription.table().name(), items.subList(from, to), subscription.projection(),
                        to == items.size() ? position : null)));
            }
            Fence fence = new Fence(read.digests(), topic.chains(), System.nanoTime() + settings.fence().toNanos());
            if (!sink.caughtUp(frames, floor, fence)) {
                startAgain(topic, sink, "changes were missed or too many came while the snapshot was read");
            }
        }));
    }

    /** Changes of the sink's table may have been missed (on its event loop). */
    private void gap(TableTopic topic, TableSink sink, String why) {
        if (sink.gap()) {
            startAgain(topic, sink, why);
        }
    }

    /** A sink that holds changes again starts over: a gap frame, then a fresh snapshot. */
    private void startAgain(TableTopic topic, TableSink sink, String why) {
        sink.send(TableFrames.gap(sink.sub(), topic.table.name(), why + "; a fresh snapshot follows"));
        readSnapshot(topic, sink, topic.position());
    }

    /** Takes a sink whose subscribe failed off its topic and its socket. */
    private void drop(TableSink sink) {
        topicOf(sink).leave(sink);
        sink.end();
        SocketTables socket = sockets.get(sink.socket);
        if (socket != null) {
            socket.subscriptions.remove(sink.sub(), sink);
        }
    }

    private TableTopic topicOf(TableSink sink) {
        return topics.get(sink.group.subscription.table().name());
    }

    private TableTopic topic(String table) throws Rejected {
        TableTopic topic = topics.get(table);
        if (topic != null) {
            return topic;
        }
        TableCatalog.Table described = catalog.table(table);
        return topics.computeIfAbsent(table, name -> new TableTopic(described, settings, allocator,
                sink -> gap(topics.get(name), sink, "some changes of " + name + " did not reach this replica"), metrics));
    }

    private static void send(SocketTables socket, String frame) {
        if (socket.wire.channel().isActive()) {
            socket.wire.writeOwned(WireFrame.text(socket.wire.channel().alloc(), frame));
            socket.wire.flush();
        }
    }
}

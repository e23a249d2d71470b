package dev.livecounter.broadcaster.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.broadcaster.fanout.SocketWire;
import dev.livecounter.broadcaster.protocol.FramePayload;
import dev.livecounter.broadcaster.tables.filter.Condition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A table's topic on one replica: the order of its changes, what a resuming client gets, holes, and how a
 * snapshot's fence keeps late changes from being shown as new. Frames are read off real (embedded) Netty channels.
 */
class TableTopicTest {

    private static final String SHARD = "shardId-0001";
    private static final TableCatalog.Table ORDERS = new TableCatalog.Table(
            new StreamedTable("orders", List.of("status", "total"), StreamedTable.Access.PUBLIC, 100, false, false),
            "customer", "orderId", Set.of("customer", "orderId", "status", "total"));

    private final List<TableSink> gaps = new ArrayList<>();

    private TableTopic topic(int buffer) {
        return new TableTopic(ORDERS, new SubscriptionSettings(10, buffer, Duration.ofMinutes(5), Duration.ofSeconds(60),
                Duration.ofSeconds(2)), UnpooledByteBufAllocator.DEFAULT, gaps::add, new TableMetrics(new SimpleMeterRegistry()));
    }

    private static Map<String, AttributeValue> item(String customer, String orderId, long total) {
        return Map.of("customer", AttributeValue.fromS(customer), "orderId", AttributeValue.fromS(orderId),
                "status", AttributeValue.fromS(total > 100 ? "big" : "small"), "total", AttributeValue.fromN(Long.toString(total)),
                "card", AttributeValue.fromS("4111"));
    }

    private static Map<String, AttributeValue> keys(String customer, String orderId) {
        return Map.of("customer", AttributeValue.fromS(customer), "orderId", AttributeValue.fromS(orderId));
    }

    /** A change of ada's order o1 from {@code from} to {@code to} (null: no item). */
    private static TableChange change(long sequence, Long from, Long to) {
        return new TableChange(SHARD, BigInteger.valueOf(sequence), from == null ? "insert" : to == null ? "remove" : "modify",
                keys("ada", "o1"), to == null ? null : item("ada", "o1", to), from == null ? null : item("ada", "o1", from));
    }

    private static Subscription itemSubscription(Condition filter) {
        return Subscription.of(ORDERS, keys("ada", "o1"), null, null, filter, Set.of("customer", "orderId", "total"));
    }

    private record Client(TableTopic topic, EmbeddedChannel channel, TableSink sink, TableTopic.Start start) {
        List<String> frames() {
            channel.runPendingTasks();
            List<String> frames = new ArrayList<>();
            for (Object out; (out = channel.readOutbound()) != null; ) {
                ByteBuf frame = (ByteBuf) out;
                frames.add(FramePayload.of(frame));
                frame.release();
            }
            return frames;
        }

        /** Catches up from a snapshot that read {@code read} (null: no item). */
        void snapshot(Long read) {
            Map<String, String> digests = new HashMap<>();
            if (read != null) {
                digests.put(Items.key(keys("ada", "o1"), "customer", "orderId"), Items.digest(item("ada", "o1", read)));
            }
            channel.eventLoop().execute(() -> sink.caughtUp(List.of(), start.floor(),
                    new Fence(digests, topic.chains(), System.nanoTime() + Duration.ofMinutes(1).toNanos())));
        }
    }

    private static Client join(TableTopic topic, Subscription subscription) {
        EmbeddedChannel channel = new EmbeddedChannel();
        SocketWire wire = new SocketWire(channel);
        TableTopic.Start start = topic.join(subscription, group -> new TableSink(group, wire, "socket", null));
        return new Client(topic, channel, start.sink(), start);
    }

    private static List<String> totals(List<String> frames) {
        return frames.stream().map(f -> f.replaceAll(".*\"new\":(\\{[^}]*\"total\":(\\d+)[^}]*}|null).*", "$2")).toList();
    }

    @Test
    void changesCommittedBeforeTheSnapshotButArrivingAfterItAreNotShownAsNew() {
        TableTopic topic = topic(100);
        Client client = join(topic, itemSubscription(null));
        // the snapshot read total 2; the stream is behind: 0->1 and 1->2 arrive after the subscribe began
        topic.apply(SHARD, null, List.of(change(1, null, 0L), change(2, 0L, 1L)));
        client.snapshot(2L);
        topic.apply(SHARD, BigInteger.valueOf(2), List.of(change(3, 1L, 2L), change(4, 2L, 3L), change(5, 3L, 4L)));
        assertEquals(List.of("3", "4"), totals(client.frames()), "only the changes after the snapshot's state");
    }

    @Test
    void aSnapshotThatCameAfterTheStreamLetsTheNextChangePass() {
        TableTopic topic = topic(100);
        topic.apply(SHARD, null, List.of(change(1, null, 0L), change(2, 0L, 1L)));
        Client client = join(topic, itemSubscription(null));
        client.snapshot(1L);
        topic.apply(SHARD, BigInteger.valueOf(2), List.of(change(3, 1L, 2L)));
        assertEquals(List.of("2"), totals(client.frames()));
    }

    @Test
    void aSecondCopyOrAReplayedBatchIsDroppedAndOrderKept() {
        TableTopic topic = topic(100);
        Client client = join(topic, itemSubscription(null));
        client.snapshot(null);
        List<TableChange> batch = List.of(change(1, null, 0L), change(2, 0L, 1L), change(3, 1L, 2L));
        topic.apply(SHARD, null, batch);
        topic.apply(SHARD, null, batch);
        topic.apply(SHARD, BigInteger.ONE, batch.subList(1, 3));
        assertEquals(List.of("0", "1", "2"), totals(client.frames()));
        assertTrue(gaps.isEmpty(), "a replay is no hole");
    }

    @Test
    void aStreamBatchReachesASocketInOrderWithOneFlush() {
        TableTopic topic = topic(100);
        Client client = join(topic, itemSubscription(null));
        client.snapshot(null);
        client.frames();
        AtomicInteger flushes = new AtomicInteger();
        client.channel().pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes.incrementAndGet();
                ctx.flush();
            }
        });
        topic.apply(SHARD, null, List.of(change(1, null, 0L), change(2, 0L, 1L), change(3, 1L, 2L)));
        assertEquals(List.of("0", "1", "2"), totals(client.frames()));
        assertEquals(1, flushes.get(), "the batch's three frames go to the kernel together, not one write each");
    }

    @Test
    void aBatchThatDoesNotFollowTheLastTellsEverySubscriberOfAGap() {
        TableTopic topic = topic(100);
        Client client = join(topic, itemSubscription(null));
        client.snapshot(null);
        topic.apply(SHARD, null, List.of(change(1, null, 0L)));
        topic.apply(SHARD, BigInteger.valueOf(5), List.of(change(6, 4L, 5L)));
        client.frames();
        assertEquals(List.of(client.sink()), gaps);
    }

    @Test
    void aHoleFoundWhileTheSnapshotIsReadMakesThatSnapshotStaleAndALiveOneStartOver() {
        TableTopic topic = topic(100);
        Client client = join(topic, itemSubscription(null));
        assertFalse(client.sink().gap(), "catching up: the snapshot under way is redone when it lands");
        Map<String, java.math.BigInteger> floor = client.start().floor();
        assertFalse(client.sink().caughtUp(List.of(), floor, null), "that snapshot is stale");
        topic.apply(SHARD, null, List.of(change(1, null, 0L)));
        assertEquals(List.of(), client.frames(), "changes are still held for the next snapshot");
        assertTrue(client.sink().caughtUp(List.of(), floor, null));
        assertEquals(List.of("0"), totals(client.frames()), "and written once it lands");
        assertTrue(client.sink().gap(), "live: it starts over now");
        topic.apply(SHARD, BigInteger.ONE, List.of(change(2, 0L, 1L)));
        assertEquals(List.of(), client.frames(), "held again");
    }

    @Test
    void aClientThatResumesGetsExactlyWhatItMissedWhileTheLogHoldsIt() {
        TableTopic topic = topic(3);
        topic.apply(SHARD, null, List.of(change(1, null, 0L), change(2, 0L, 1L), change(3, 1L, 2L)));
        String shard = Positions.shardKey(SHARD);
        EmbeddedChannel channel = new EmbeddedChannel();
        TableTopic.Start start = topic.resume(itemSubscription(null), Map.of(shard, BigInteger.ONE),
                group -> new TableSink(group, new SocketWire(channel), "socket", null));
        assertNotNull(start);
        assertEquals(List.of("1", "2"), totals(start.missed().stream().map(f -> {
            String text = FramePayload.of(f);
            f.release();
            return text;
        }).toList()));

        topic.apply(SHARD, BigInteger.valueOf(3), List.of(change(4, 2L, 3L), change(5, 3L, 4L)));
        // the log keeps 3 changes: from 2 on; a client at 1 missed one it no longer holds
        assertNull(topic.resume(itemSubscription(null), Map.of(shard, BigInteger.ONE),
                group -> new TableSink(group, new SocketWire(new EmbeddedChannel()), "socket", null)));
        assertNotNull(topic.resume(itemSubscription(null), Map.of(shard, BigInteger.TWO),
                group -> new TableSink(group, new SocketWire(new EmbeddedChannel()), "socket", null)));
        assertNull(topic.resume(itemSubscription(null), Map.of(),
                group -> new TableSink(group, new SocketWire(new EmbeddedChannel()), "socket", null)),
                "a client that never saw this shard needs all of it");
    }

    @Test
    void aFilteredSubscriptionIsToldWhenAnItemLeavesItsView() throws Exception {
        TableTopic topic = topic(100);
        Client client = join(topic, itemSubscription(
                Condition.parse("#t > :min", Map.of("#t", "total"), Map.of(":min", AttributeValue.fromN("100")))));
        client.snapshot(null);
        topic.apply(SHARD, null, List.of(change(1, null, 50L), change(2, 50L, 150L), change(3, 150L, 160L),
                change(4, 160L, 20L), change(5, 20L, 30L), change(6, 30L, null)));
        List<String> frames = client.frames();
        assertEquals(3, frames.size(), "in, still in, out; never the changes outside before and after: " + frames);
        assertTrue(frames.get(0).contains("\"in\":true") && frames.get(2).contains("\"in\":false"));
        assertTrue(frames.stream().noneMatch(f -> f.contains("card") || f.contains("status")), "projected");
    }

    @Test
    void identicalSubscriptionsShareOneGroupAndOneFrame() {
        TableTopic topic = topic(100);
        Client first = join(topic, itemSubscription(null));
        Client second = join(topic, itemSubscription(null));
        assertEquals(1, topic.groups());
        first.snapshot(null);
        second.snapshot(null);
        topic.apply(SHARD, null, List.of(change(1, null, 7L)));
        assertEquals(first.frames(), second.frames());
        topic.leave(first.sink());
        topic.leave(second.sink());
        assertEquals(0, topic.groups());
    }
}

package dev.livecounter.broadcaster.tables;

import io.micronaut.core.annotation.Nullable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One streamed table on this replica: its log of recent changes, where it stands in each shard, and its
 * subscription groups by what they select (an item, a partition, the whole table). Changes come from the stream
 * (this replica reads a shard) or from the peer that reads it, each batch with the position just before it, so a
 * missing batch shows: the log then knows it has a hole, and every subscriber is told (a gap, then a fresh
 * snapshot) instead of silently missing a change. Everything that touches the log or the groups holds this topic's
 * lock; frames are written on the subscribers' event loops.
 */
final class TableTopic {

    /** Where the log starts when it holds a shard from its first record. */
    static final BigInteger SHARD_START = BigInteger.valueOf(-1);

    final TableCatalog.Table table;
    private final SubscriptionSettings settings;
    private final ByteBufAllocator allocator;
    private final Consumer<TableSink> gap;
    private final TableMetrics.TableMeters metrics;

    /** Per shard: the newest change taken, and from where on the log holds every change. */
    private final Map<String, BigInteger> last = new HashMap<>();
    private final Map<String, BigInteger> coveredFrom = new HashMap<>();
    private final ArrayDeque<Delivered> log = new ArrayDeque<>();
    private final Map<String, SubscriptionGroup> groups = new HashMap<>();
    private final Map<String, List<SubscriptionGroup>> items = new HashMap<>();
    private final Map<String, List<SubscriptionGroup>> partitions = new HashMap<>();
    private final List<SubscriptionGroup> whole = new ArrayList<>();
    /** Subscribers catching up or fenced: while there are any, each item's recent changes are kept. */
    private final AtomicInteger watchers = new AtomicInteger();
    private final KeyChains chains;

    TableTopic(TableCatalog.Table table, SubscriptionSettings settings, ByteBufAllocator allocator,
            Consumer<TableSink> gap, TableMetrics metrics) {
        this.table = table;
        this.settings = settings;
        this.allocator = allocator;
        this.gap = gap;
        this.metrics = metrics.of(table.name());
        // a change is looked back on by fences that began at most a snapshot's read after it: twice the fence is ample
        this.chains = new KeyChains(settings.fence().multipliedBy(2).plusSeconds(30).toNanos());
    }

    /** Each item's recent changes, for the fences of this table's subscriptions. */
    KeyChains chains() {
        return chains;
    }

    /** What a subscription catches up from: the table's position when it was taken in, and what it missed. */
    record Start(TableSink sink, Map<String, BigInteger> floor, String position, @Nullable List<ByteBuf> missed) {}

    /**
     * A batch of one shard, in order; {@code previous} is the position just before its first change (null: the
     * shard's start).
     */
    void apply(String shardId, @Nullable BigInteger previous, List<TableChange> changes) {
        // the batch's frames per group, handed over together once the batch is in the log (one flush per socket)
        Map<SubscriptionGroup, List<SubscriptionGroup.Framed>> framed = new LinkedHashMap<>();
        List<SubscriptionGroup> broken;
        synchronized (this) {
            try {
                broken = take(shardId, previous, changes, framed);
            } finally {
                framed.forEach(SubscriptionGroup::send);
            }
        }
        if (broken != null) {
            broken.forEach(group -> group.forEach(gap));
        }
    }

    /** Under the lock: the batch into the log, its frames into {@code framed}; returns the groups a hole broke, if any. */
    @Nullable
    private List<SubscriptionGroup> take(String shardId, @Nullable BigInteger previous, List<TableChange> changes,
            Map<SubscriptionGroup, List<SubscriptionGroup.Framed>> framed) {
        List<SubscriptionGroup> broken = null;
        String shard = Positions.shardKey(shardId);
        BigInteger before = previous == null ? SHARD_START : previous;
        for (TableChange change : changes) {
            BigInteger seen = last.get(shard);
            if (seen != null && change.sequence().compareTo(seen) <= 0) {
                before = change.sequence();
                continue; // a change taken already: a replayed batch, or the second copy
            }
            if (seen == null) {
                coveredFrom.put(shard, before);
            } else if (before.compareTo(seen) > 0) {
                // changes between what this replica saw and this batch never came: a hole
                coveredFrom.put(shard, before);
                broken = List.copyOf(groups.values());
                metrics.gap();
            }
            last.put(shard, change.sequence());
            Delivered delivered = new Delivered(change, shard,
                    Items.key(change.keys(), table.partitionKey(), table.sortKey()), Positions.encode(last));
            log.addLast(delivered);
            trim();
            if (watchers.get() > 0) {
                chains.record(delivered);
            } else {
                chains.clear();
            }
            deliver(delivered, framed);
            before = change.sequence();
        }
        return broken;
    }

    private void deliver(Delivered change, Map<SubscriptionGroup, List<SubscriptionGroup.Framed>> framed) {
        int frames = 0;
        frames += frame(items.get(change.key), change, framed);
        if (table.sortKey() != null) {
            frames += frame(partitions.get(Items.keyPart(change.change.keys().get(table.partitionKey()))), change, framed);
        }
        frames += frame(whole, change, framed);
        metrics.change(frames, System.nanoTime() - change.arrivedNanos);
    }

    /** Encodes the change once for each selected group it is in view of; returns the frames encoded. */
    private int frame(@Nullable List<SubscriptionGroup> selected, Delivered change,
            Map<SubscriptionGroup, List<SubscriptionGroup.Framed>> framed) {
        if (selected == null) {
            return 0;
        }
        int frames = 0;
        for (SubscriptionGroup group : selected) {
            ByteBuf frame = group.frame(change, allocator, table.name());
            if (frame != null) {
                framed.computeIfAbsent(group, g -> new ArrayList<>()).add(new SubscriptionGroup.Framed(change, frame));
                frames++;
            }
        }
        return frames;
    }

    /** Drops the oldest changes past the log's bounds; the log then holds each shard from the last dropped on. */
    private void trim() {
        long oldest = System.nanoTime() - settings.bufferAge().toNanos();
        while (!log.isEmpty() && (log.size() > settings.bufferChanges() || log.peekFirst().arrivedNanos - oldest < 0)) {
            Delivered dropped = log.removeFirst();
            coveredFrom.put(dropped.shard, dropped.sequence());
        }
    }

    /** The group of {@code subscription} here, made if new; under the lock. */
    private SubscriptionGroup group(Subscription subscription) {
        return groups.computeIfAbsent(subscription.id(), id -> {
            SubscriptionGroup group = new SubscriptionGroup(subscription, watchers);
            switch (subscription.kind()) {
                case ITEM -> items.computeIfAbsent(subscription.index(), k -> new ArrayList<>()).add(group);
                case PARTITION -> (table.sortKey() == null ? items : partitions)
                        .computeIfAbsent(subscription.index(), k -> new ArrayList<>()).add(group);
                case TABLE -> whole.add(group);
            }
            return group;
        });
    }

    /** A new subscriber, catching up from a snapshot: it holds every change from now on until its snapshot is read. */
    synchronized Start join(Subscription subscription, java.util.function.Function<SubscriptionGroup, TableSink> sink) {
        SubscriptionGroup group = group(subscription);
        TableSink joined = sink.apply(group);
        group.add(joined);
        return new Start(joined, Map.copyOf(last), Positions.encode(last), null);
    }

    /** Where the table stands now, for a subscriber that starts again after a gap (it holds changes already). */
    synchronized Map<String, BigInteger> position() {
        return Map.copyOf(last);
    }

    /**
     * A subscriber that comes back with the position it had: the changes after it, or null when the log no longer
     * holds all of them (or never did), and the subscriber must have a gap and a snapshot instead.
     */
    @Nullable
    synchronized Start resume(Subscription subscription, Map<String, BigInteger> after,
            java.util.function.Function<SubscriptionGroup, TableSink> sink) {
        for (Map.Entry<String, BigInteger> shard : last.entrySet()) {
            BigInteger had = after.get(shard.getKey());
            BigInteger from = coveredFrom.get(shard.getKey());
            if (had == null ? !SHARD_START.equals(from) : from.compareTo(had) > 0) {
                return null;
            }
        }
        SubscriptionGroup group = group(subscription);
        List<ByteBuf> missed = new ArrayList<>();
        for (Delivered change : log) {
            BigInteger had = after.get(change.shard);
            if (had == null || change.sequence().compareTo(had) > 0) {
                ByteBuf frame = group.frame(change, allocator, table.name());
                if (frame != null) {
                    missed.add(frame);
                }
            }
        }
        TableSink joined = sink.apply(group);
        group.add(joined);
        Map<String, BigInteger> floor = new HashMap<>(after);
        last.forEach((shard, sequence) -> floor.merge(shard, sequence, BigInteger::max));
        return new Start(joined, floor, Positions.encode(floor), missed);
    }

    synchronized void leave(TableSink sink) {
        SubscriptionGroup group = sink.group;
        if (group.remove(sink)) {
            Subscription subscription = group.subscription;
            groups.remove(subscription.id());
            switch (subscription.kind()) {
                case ITEM -> removeFrom(items, subscription.index(), group);
                case PARTITION -> removeFrom(table.sortKey() == null ? items : partitions, subscription.index(), group);
                case TABLE -> whole.remove(group);
            }
        }
    }

    synchronized int groups() {
        return groups.size();
    }

    private static void removeFrom(Map<String, List<SubscriptionGroup>> index, String key, SubscriptionGroup group) {
        List<SubscriptionGroup> list = index.get(key);
        if (list != null) {
            list.remove(group);
            if (list.isEmpty()) {
                index.remove(key);
            }
        }
    }
}

package dev.livecounter.broadcaster.tables;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each item's recent changes on one table, kept while some subscription of the table is still matching its snapshot
 * against the stream ({@link Fence}): for every change its sequence and the digests of its old and new image. Kept
 * once per table, whatever the subscribers, so a fenced subscription is handed only the changes in its view, as
 * any other, and looks back here for the rest of the item's history. Written under the topic's lock, read on the
 * subscribers' event loops.
 */
final class KeyChains {

    private record Link(BigInteger sequence, String oldDigest, String newDigest) {}

    private final ConcurrentHashMap<String, List<Link>> chains = new ConcurrentHashMap<>();
    /** Every change recorded, oldest first (the topic's thread only): what to forget when. */
    private final ArrayDeque<Delivered> order = new ArrayDeque<>();
    private final long keepNanos;

    /** @param keepNanos how long a change is remembered: longer than a snapshot's read and its fence together */
    KeyChains(long keepNanos) {
        this.keepNanos = keepNanos;
    }

    /** Under the topic's lock, before the change is offered to anyone. */
    void record(Delivered change) {
        Link link = new Link(change.sequence(), change.oldDigest(), change.newDigest());
        chains.compute(change.key, (key, links) -> {
            List<Link> list = links == null ? new ArrayList<>(2) : links;
            synchronized (list) {
                list.add(link);
            }
            return list;
        });
        order.addLast(change);
        long oldest = System.nanoTime() - keepNanos;
        while (!order.isEmpty() && order.peekFirst().arrivedNanos - oldest < 0) {
            forget(order.removeFirst());
        }
    }

    /** Under the topic's lock, once no subscription is fenced any more. */
    void clear() {
        if (!order.isEmpty()) {
            order.clear();
            chains.clear();
        }
    }

    private void forget(Delivered change) {
        chains.computeIfPresent(change.key, (key, links) -> {
            synchronized (links) {
                links.remove(0);
                return links.isEmpty() ? null : links;
            }
        });
    }

    /**
     * Whether {@code change} comes after the item's state {@code state} (a digest; null: no item) in the item's
     * history: some change at or before it left that state (its old image is that state), or some change before it
     * made that state (its new image is). A change that made the state, or any before, is one a snapshot of that
     * state already holds.
     */
    boolean after(Delivered change, String state) {
        List<Link> links = chains.get(change.key);
        if (links == null) {
            return false;
        }
        synchronized (links) {
            for (Link link : links) {
                int order = link.sequence().compareTo(change.sequence());
                if (order > 0) {
                    break;
                }
                if (Objects.equals(link.oldDigest(), state) || (order < 0 && state != null && state.equals(link.newDigest()))) {
                    return true;
                }
            }
        }
        return false;
    }
}

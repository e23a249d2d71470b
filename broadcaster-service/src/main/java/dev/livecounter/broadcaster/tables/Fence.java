package dev.livecounter.broadcaster.tables;

import java.util.Map;

/**
 * Keeps a snapshot and the stream from showing the same change twice. The stream lags the table: a change made
 * before the snapshot was read may reach this replica after it, and must not then be shown as if new. Each item's
 * changes come in order and each carries the item's old image, so the changes after the snapshot are those from the
 * first one whose old image is the one the snapshot read (for an item the snapshot did not hold: one with no old
 * image) on, and every change of the item before it is dropped. The item's whole recent history, in view or not, is
 * the table's ({@link KeyChains}), so the fence costs nothing for the changes a subscription does not show. After
 * {@code deadline} (well past the stream's lag) everything passes.
 *
 * <p>An item that returns to an identical image while the subscribe reads may show that short history again, in
 * order; an item with a version or time attribute never does.
 */
final class Fence {

    /** The digest of every item the snapshot read (filtered out or not), by key. */
    private final Map<String, String> read;
    private final KeyChains chains;
    private final long deadlineNanos;

    Fence(Map<String, String> read, KeyChains chains, long deadlineNanos) {
        this.read = read;
        this.chains = chains;
        this.deadlineNanos = deadlineNanos;
    }

    boolean over() {
        return System.nanoTime() - deadlineNanos > 0;
    }

    /** Whether the change is news to a client that has the snapshot. */
    boolean passes(Delivered change) {
        return chains.after(change, read.get(change.key));
    }
}

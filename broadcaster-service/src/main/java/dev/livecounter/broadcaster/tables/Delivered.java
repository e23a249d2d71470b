package dev.livecounter.broadcaster.tables;

import java.math.BigInteger;

/**
 * A change as this replica took it into a table's log: with its shard (as {@link Positions} writes it), the item's
 * key as one string, and the table's position just after it. The images' digests are worked out once, when a
 * subscription still matching its snapshot against the stream first asks.
 */
final class Delivered {

    final TableChange change;
    final String shard;
    final String key;
    final String position;
    final long arrivedNanos = System.nanoTime();
    private volatile String oldDigest;
    private volatile String newDigest;

    Delivered(TableChange change, String shard, String key, String position) {
        this.change = change;
        this.shard = shard;
        this.key = key;
        this.position = position;
    }

    BigInteger sequence() {
        return change.sequence();
    }

    String oldDigest() {
        if (oldDigest == null && change.oldImage() != null) {
            oldDigest = Items.digest(change.oldImage());
        }
        return oldDigest;
    }

    String newDigest() {
        if (newDigest == null && change.newImage() != null) {
            newDigest = Items.digest(change.newImage());
        }
        return newDigest;
    }
}

package dev.livecounter.broadcaster.tables;

import java.math.BigInteger;
import java.util.Map;
import java.util.TreeMap;

/**
 * A position in a table's stream as a client holds it: for each shard, the sequence number of the last change this
 * client has had (or was not meant to have) from it. A stream keeps each item in one shard in order, but shards
 * interleave differently on each replica, so one number cannot say what a client has seen; a small vector can, the
 * same on every replica. Written {@code <shard>.<sequence>~...}, the shard as a 32-bit hash of its id and the
 * sequence in base 36, both short.
 */
final class Positions {

    /** Longest position a client may send back. */
    static final int MAX_LENGTH = 2048;

    private Positions() {}

    static String shardKey(String shardId) {
        return Integer.toUnsignedString(shardId.hashCode(), 36);
    }

    static String encode(Map<String, BigInteger> vector) {
        StringBuilder out = new StringBuilder(vector.size() * 24);
        new TreeMap<>(vector).forEach((shard, sequence) -> {
            if (!out.isEmpty()) {
                out.append('~');
            }
            out.append(shard).append('.').append(sequence.toString(36));
        });
        return out.toString();
    }

    /** @throws IllegalArgumentException not a position this server writes */
    static Map<String, BigInteger> decode(String text) {
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("longer than " + MAX_LENGTH + " characters");
        }
        Map<String, BigInteger> vector = new TreeMap<>();
        if (text.isEmpty()) {
            return vector;
        }
        for (String part : text.split("~", -1)) {
            int dot = part.indexOf('.');
            if (dot < 1 || dot == part.length() - 1 || !part.matches("[0-9a-z]{1,7}\\.[0-9a-z]{1,40}")) {
                throw new IllegalArgumentException("not a position this server gave");
            }
            if (vector.put(part.substring(0, dot), new BigInteger(part.substring(dot + 1), 36)) != null) {
                throw new IllegalArgumentException("a shard twice");
            }
        }
        return vector;
    }
}

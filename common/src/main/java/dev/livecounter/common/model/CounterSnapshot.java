package dev.livecounter.common.model;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The state of one counter at one version: what every page shows. Its JSON is what a write posts to the replicas,
 * and, after {@code "type":"count"}, the count frame and the read API's answer: a field added here is on the wire.
 *
 * @param counter the counter name
 * @param visits  page loads ever counted (a reconnect of the same page load is not a visit)
 * @param online  sockets open now
 * @param value   the shared +/- number
 * @param version +1 on every change; pages drop anything older than what they show
 * @param uniqueToday visitors (by their anonymous visitor id) counted on this UTC day, each once
 */
@Serdeable
public record CounterSnapshot(String counter, long visits, long online, long value, long version, long uniqueToday) {

    /** A counter nobody has touched yet. */
    public static CounterSnapshot empty(String counter) {
        return new CounterSnapshot(counter, 0, 0, 0, 0, 0);
    }

    /** Whether this snapshot is strictly newer than {@code other} (null counts as older than anything). */
    public boolean isNewerThan(CounterSnapshot other) {
        return other == null || version > other.version;
    }
}

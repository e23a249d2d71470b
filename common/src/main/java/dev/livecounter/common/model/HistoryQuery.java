package dev.livecounter.common.model;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A request for a counter's history, checked: a known resolution, instants in ISO-8601 between {@link #EARLIEST} and
 * {@link #LATEST}, {@code from} not after {@code to}, no further back than the resolution is kept, and at most
 * {@link #MAX_BUCKETS} buckets. Both ends are rounded down to their bucket's start; both buckets are included.
 *
 * @param resolution the bucket size
 * @param first      the start of the first bucket
 * @param last       the start of the last bucket
 */
public record HistoryQuery(Resolution resolution, Instant first, Instant last) {

    /** The most buckets one request returns: a day of minutes. */
    public static final int MAX_BUCKETS = 1440;

    /** The earliest instant a request may name: no visit is older than the Unix epoch. */
    public static final Instant EARLIEST = Instant.EPOCH;
    /**
     * The latest instant a request may name. Bucket keys are {@code Instant.toString()}, compared as strings by the
     * table's range query: past year 9999 they gain a {@code +} and sort before every other key, and far later the
     * bucket arithmetic leaves {@link Instant}'s range. Anything outside is a 400, never an exception.
     */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /** A request that cannot be answered, with a message saying why. */
    public static final class Invalid extends IllegalArgumentException {
        public Invalid(String message) {
            super(message);
        }
    }

    /**
     * @param resolution {@code minute}, {@code hour} or {@code day}; null means minute
     * @param from       ISO-8601 instant, or null: the last {@link Resolution#defaultBuckets()} buckets up to {@code to}
     * @param to         ISO-8601 instant, or null: now
     */
    public static HistoryQuery parse(String resolution, String from, String to, Instant now) {
        Resolution r = resolution == null ? Resolution.MINUTE : Resolution.of(resolution);
        if (r == null) {
            throw new Invalid("resolution: minute, hour or day");
        }
        Instant last = r.truncate(to == null ? now : instant("to", to));
        Instant first = from == null ? r.minus(last, r.defaultBuckets() - 1) : r.truncate(instant("from", from));
        if (first.isAfter(last)) {
            throw new Invalid("from must not be after to");
        }
        if (r.retention() != null && first.isBefore(r.truncate(now.minus(r.retention())))) {
            throw new Invalid(r.id() + " buckets are kept " + r.kept() + ": from must not be before " + r.truncate(now.minus(r.retention())));
        }
        long buckets = 0;
        for (Instant t = first; !t.isAfter(last) && buckets <= MAX_BUCKETS; t = r.next(t)) {
            buckets++;
        }
        if (buckets > MAX_BUCKETS) {
            throw new Invalid("at most " + MAX_BUCKETS + " buckets per request; narrow from/to or take a coarser resolution");
        }
        return new HistoryQuery(r, first, last);
    }

    /** Every bucket's start, in time order. */
    public List<Instant> starts() {
        List<Instant> starts = new ArrayList<>();
        for (Instant t = first; !t.isAfter(last); t = resolution.next(t)) {
            starts.add(t);
        }
        return starts;
    }

    private static Instant instant(String name, String value) {
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new Invalid(name + ": an ISO-8601 instant such as 2026-11-30T10:04:00Z");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new Invalid(name + ": between " + EARLIEST + " and " + LATEST);
        }
        return instant;
    }
}

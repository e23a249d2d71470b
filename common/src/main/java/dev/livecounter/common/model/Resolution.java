package dev.livecounter.common.model;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The sizes of history buckets, how long each is kept, and how many make a request's default range. */
public enum Resolution {
    MINUTE(ChronoUnit.MINUTES, Duration.ofHours(48), 60),
    HOUR(ChronoUnit.HOURS, Duration.ofDays(90), 48),
    DAY(ChronoUnit.DAYS, null, 30);

    private final ChronoUnit unit;
    private final Duration retention;
    private final int defaultBuckets;

    Resolution(ChronoUnit unit, Duration retention, int defaultBuckets) {
        this.unit = unit;
        this.retention = retention;
        this.defaultBuckets = defaultBuckets;
    }

    /** As written in URLs and keys: {@code minute}, {@code hour}, {@code day}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The start of the bucket holding {@code t} (UTC). */
    public Instant truncate(Instant t) {
        return t.truncatedTo(unit);
    }

    public Instant next(Instant start) {
        return start.plus(1, unit);
    }

    public Instant minus(Instant start, long buckets) {
        return start.minus(buckets, unit);
    }

    /** How long a bucket is kept after its start, or null when it is kept. */
    public Duration retention() {
        return retention;
    }

    /** How long a bucket is kept, in words: {@code 48 hours}, {@code 90 days}, {@code for good}. */
    public String kept() {
        if (retention == null) {
            return "for good";
        }
        long hours = retention.toHours();
        return hours > 48 && hours % 24 == 0 ? hours / 24 + " days" : hours + " hours";
    }

    /** Buckets in a request that names no {@code from}: the last hour, 48 hours, 30 days. */
    public int defaultBuckets() {
        return defaultBuckets;
    }

    /** The resolution named {@code id}, or null. */
    public static Resolution of(String id) {
        for (Resolution r : values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }
}

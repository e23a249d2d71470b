package dev.livecounter.common.model;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * A counter's visits over time: every bucket of the range in time order, empty ones as zeros.
 *
 * @param counter    the counter name
 * @param resolution {@code minute}, {@code hour} or {@code day}
 * @param visits     the counter's total visits at the moment the buckets were read: they hold every visit up to
 *                   this total and none after it (read atomically with them), so a page adds to its chart only the
 *                   visits of count frames beyond it
 * @param buckets    in time order
 */
@Serdeable
public record History(String counter, String resolution, long visits, List<Bucket> buckets) {

    /**
     * @param start          ISO-8601 instant of the bucket's first moment (UTC)
     * @param visits         visits counted in the bucket
     * @param uniqueVisitors visitors (by anonymous visitor id) counted in the bucket, each once
     */
    @Serdeable
    public record Bucket(String start, long visits, long uniqueVisitors) {}
}

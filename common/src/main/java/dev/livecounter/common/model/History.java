package dev.livecounter.common.model;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * A counter's visits over time: every bucket of the range in time order, empty ones as zeros.
 *
 * @param counter    the counter name
 * @param resolution {@code minute}, {@code hour} or {@code day}
 * @param buckets    in time order
 */
@Serdeable
public record History(String counter, String resolution, List<Bucket> buckets) {

    /**
     * @param start          ISO-8601 instant of the bucket's first moment (UTC)
     * @param visits         visits counted in the bucket
     * @param uniqueVisitors visitors (by anonymous visitor id) counted in the bucket, each once
     */
    @Serdeable
    public record Bucket(String start, long visits, long uniqueVisitors) {}
}

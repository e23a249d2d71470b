package dev.livecounter.common.metrics;

import java.time.Duration;

/**
 * Every meter this application publishes, by its Micrometer name, in one place (Prometheus shows dots as
 * underscores, a counter with {@code _total}, a timer with {@code _seconds_*}): the chart's alerts and dashboards
 * and docs/operations.md name the same series. Tags stay bounded: an outcome, an operation, a task; never a counter
 * name, a connection id or an address.
 */
public final class MetricNames {

    /** Timer: from the change's arrival at the page's replica to the flush of its frame to that replica's pages. */
    public static final String CHANGE_FRAME_LATENCY = "livecounter.change.frame.latency";
    /** Counter: changes that replaced a newer one not yet sent (coalesced into the next frame). */
    public static final String FANOUT_COALESCED = "livecounter.fanout.coalesced";
    /** Gauge: open sockets on this replica (broadcaster). */
    public static final String SOCKETS_OPEN = "livecounter.sockets.open";
    /** Counter: connects that counted a visit (a page load; a reconnect with the same visit id is not one). */
    public static final String VISITS = "livecounter.visits";
    /** Counter: socket connects by {@link #OUTCOME} (broadcaster). */
    public static final String CONNECTS = "livecounter.connects";
    /** Counter: socket deregistrations by {@link #OUTCOME} (broadcaster). */
    public static final String DISCONNECTS = "livecounter.disconnects";
    /** Counter: presses by {@link #OUTCOME} (broadcaster). */
    public static final String PRESSES = "livecounter.presses";
    /** Counter: stream records this replica processed. */
    public static final String STREAM_RECORDS = "livecounter.stream.records";
    /** Gauge: how far behind the newest record this replica's shard reader is (-1: none read yet). */
    public static final String STREAM_MILLIS_BEHIND = "livecounter.stream.millis.behind.latest";
    /** Gauge: stream shards this replica holds the lease of and reads. */
    public static final String STREAM_SHARDS_HELD = "livecounter.stream.shards.held";
    /** Timer: posts of a change to a peer replica. */
    public static final String PEER_LATENCY = "livecounter.broadcast.peer.latency";
    /** Counter: posts of a change to a peer replica that failed. */
    public static final String PEER_FAILURES = "livecounter.broadcast.peer.failures";
    /** Timer: DynamoDB calls (retries included) by {@link #OPERATION} and {@link #OUTCOME}. */
    public static final String DYNAMODB_CALLS = "livecounter.dynamodb.calls";
    /** Counter: connections of gone replicas removed by the reaper and the orphan sweep together (connection-service). */
    public static final String REAPER_CONNECTIONS = "livecounter.reaper.connections";
    /** Counter: scans of the reaper and the orphan sweep, by {@link #TASK} and {@link #OUTCOME}. */
    public static final String REAPER_RUNS = "livecounter.reaper.runs";
    /** Counter: transactions retried after a conflict (connection-service). */
    public static final String TRANSACTION_CONFLICTS_RETRIED = "livecounter.transaction.conflicts.retried";
    /** Changes of a streamed table taken in by a replica (tag {@code table}). */
    public static final String TABLE_CHANGES = "livecounter.tables.changes";
    /** Change frames encoded, one per subscription group a change concerns (tag {@code table}). */
    public static final String TABLE_FRAMES = "livecounter.tables.frames";
    /** From a table change's arrival at a replica to its frames queued to the event loops (tag {@code table}). */
    public static final String TABLE_EVALUATION = "livecounter.tables.evaluation";
    /** Holes in a table's changes a replica found: its subscribers got a gap and a fresh snapshot (tag {@code table}). */
    public static final String TABLE_GAPS = "livecounter.tables.gaps";
    /** Subscribe messages by outcome ({@code ok} or the error code). */
    public static final String TABLE_SUBSCRIBES = "livecounter.tables.subscribes";

    /** Tag: ok, refused, unavailable, limit (and for DynamoDB calls: throttled, conflict, condition, error). */
    public static final String OUTCOME = "outcome";
    /** Tag: a DynamoDB operation name (GetItem, TransactWriteItems, ...). */
    public static final String OPERATION = "operation";
    /** Tag: reaper or orphan-sweep. */
    public static final String TASK = "task";

    /** The answer was what the caller asked for. */
    public static final String OK = "ok";
    /** Refused for the caller's input (a bad name, origin, a deleted counter). */
    public static final String REFUSED = "refused";
    /** A dependency (a service, the database) could not answer. */
    public static final String UNAVAILABLE = "unavailable";
    /** Refused by a limit (rate, new-counter budget). */
    public static final String LIMIT = "limit";
    /** Failed: the metric says nothing finer. */
    public static final String FAILED = "failed";

    /** The change -> frame objective (1 s) and the buckets around it, the same in the chart's SLO rules. */
    public static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)
    };
    /** DynamoDB call latency buckets: a call's timeout is 3 s. */
    public static final Duration[] DYNAMODB_BUCKETS = {
        Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofSeconds(1), Duration.ofSeconds(3)
    };

    private MetricNames() {}
}

package dev.livecounter.common.dynamodb;

/** Attribute and index names of the tables: the one place both writers and readers take them from. */
public final class Schema {

    private Schema() {}

    /** counters: partition key. */
    public static final String NAME = "name";

    public static final String VISITS = "visits";
    public static final String ONLINE = "online";
    public static final String VALUE = "value";
    public static final String VERSION = "version";
    public static final String UPDATED_AT = "updatedAt";

    /** connections: partition key; also holds visit markers under {@link #visitKey}. */
    public static final String CONNECTION_ID = "connectionId";

    public static final String COUNTER = "counter";
    public static final String REPLICA_ID = "replicaId";
    public static final String VISIT_ID = "visitId";
    public static final String CONNECTED_AT = "connectedAt";
    /** connections: set on the tombstone a closed connection leaves behind. */
    public static final String CLOSED_AT = "closedAt";
    /** TTL attribute (epoch seconds) of connections, visit markers and replicas: a backstop, not the mechanism. */
    public static final String EXPIRES_AT = "expiresAt";

    /** connections: sparse index of real connections (visit markers carry no replicaId). */
    public static final String BY_REPLICA_INDEX = "byReplica";

    /** replicas: internal address other replicas post broadcasts to. */
    public static final String ADDRESS = "address";

    public static final String HEARTBEAT_AT = "heartbeatAt";

    /** counters: the UTC day ({@code 2026-11-30}) {@link #UNIQUE_TODAY} counts; a count of another day reads as 0. */
    public static final String UNIQUE_DAY = "uniqueDay";
    /** counters: visitors counted on {@link #UNIQUE_DAY}, each once. */
    public static final String UNIQUE_TODAY = "uniqueToday";

    /**
     * replicas: set by the reaper (only while the heartbeat is the stale one it judged) before it removes the
     * replica's connections; a replica that finds it on its next heartbeat was presumed dead and closes its sockets.
     */
    public static final String REAPED_AT = "reapedAt";

    /**
     * Key of the item that remembers a visit id for a window. It lives in the connections table (owned by
     * connection-service) under a prefix no connection id can have, as connection ids are UUIDs.
     */
    public static String visitKey(String counter, String visitId) {
        return "visit#" + counter + "#" + visitId;
    }

    /**
     * Key of the item that remembers a press id the page sent, so that a press retried by the page (after a
     * timeout whose outcome was unknown) is applied once. In the connections table for its TTL, like visit markers.
     */
    public static String pressKey(String counter, String pressId) {
        return "press#" + counter + "#" + pressId;
    }
}

package dev.livecounter.common.contract;

import dev.livecounter.common.model.CounterSnapshot;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Post;

/**
 * A broadcaster replica's internal endpoints, which its peers and connection-service post to. The posters address
 * every live replica by its own base URL, so they post with a plain HTTP client to {@link #BROADCAST} and
 * {@link #PEERS}; the replica's two controllers each implement one of the interfaces here.
 */
public final class ReplicaOperations {

    /** Where a replica takes changes for its pages. */
    public static final String BROADCAST = "/internal/broadcast";

    /** Where a replica takes a batch of a streamed table's changes from the peer that read it from the stream. */
    public static final String TABLE_CHANGES = "/internal/table-changes";

    /** Where a replica takes a peer's introduction. */
    public static final String PEERS = "/internal/peers";

    private ReplicaOperations() {}

    /** Changes for a replica's pages. */
    public interface Broadcast {

        /** A counter as a write left it, for this replica's pages: 202; 400 for a bad counter name. */
        @Post(BROADCAST)
        HttpResponse<Void> broadcast(@Body CounterSnapshot snapshot);
    }

    /** Introductions between replicas. */
    public interface Peers {

        /** A peer has started: this replica re-reads its peers at once. 202. */
        @Post(PEERS)
        HttpResponse<Void> introduced();
    }
}

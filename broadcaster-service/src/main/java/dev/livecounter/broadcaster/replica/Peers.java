package dev.livecounter.broadcaster.replica;

import java.util.List;

/** The other live broadcaster replicas, which a change is posted to: what {@link PeerPosts} needs of the registry. */
public interface Peers {

    /** The other live replicas, as last known. */
    List<ReplicaRegistry.Replica> peers();
}

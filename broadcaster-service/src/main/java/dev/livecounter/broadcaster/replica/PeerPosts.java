package dev.livecounter.broadcaster.replica;

import dev.livecounter.common.broadcast.BroadcastPosts;
import dev.livecounter.common.contract.ReplicaOperations;
import dev.livecounter.common.model.CounterSnapshot;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A replica's posts to its peers, the other live replicas as last known: a counter it changed or read from the
 * stream ({@link ReplicaOperations#BROADCAST}), a batch of streamed tables' changes
 * ({@link ReplicaOperations#TABLE_CHANGES}). One signed post per peer; what a failure costs is the caller's to say.
 */
@Singleton
public final class PeerPosts {

    private final Peers peers;
    private final BroadcastPosts posts;

    /** Public for the tests of the packages that post (fan-out, the table feed). */
    public PeerPosts(Peers peers, BroadcastPosts posts) {
        this.peers = peers;
        this.posts = posts;
    }

    /** Posts a counter to every peer; each peer's post completes when that peer took it. */
    public Map<ReplicaRegistry.Replica, CompletableFuture<Void>> counter(CounterSnapshot snapshot) {
        return toEveryPeer(peer -> posts.post(peer.address(), snapshot));
    }

    /** Posts a batch of table changes (its JSON body) to every peer; each peer's post completes when it took it. */
    public Map<ReplicaRegistry.Replica, CompletableFuture<Void>> tableChanges(byte[] body) {
        return toEveryPeer(peer -> posts.post(peer.address(), ReplicaOperations.TABLE_CHANGES, body));
    }

    private Map<ReplicaRegistry.Replica, CompletableFuture<Void>> toEveryPeer(
            Function<ReplicaRegistry.Replica, CompletableFuture<Void>> post) {
        Map<ReplicaRegistry.Replica, CompletableFuture<Void>> sent = new LinkedHashMap<>();
        for (ReplicaRegistry.Replica peer : peers.peers()) {
            sent.put(peer, post.apply(peer));
        }
        return sent;
    }
}

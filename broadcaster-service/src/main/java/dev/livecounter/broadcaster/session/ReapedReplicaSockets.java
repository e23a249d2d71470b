package dev.livecounter.broadcaster.session;

import dev.livecounter.broadcaster.replica.ReplicaRegistry.ReplicaReaped;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence is a lease: when this replica finds on a heartbeat that the reaper presumed it dead (a long GC pause, a
 * starved pod, a partition) and tombstoned its connections, its open sockets are counted nowhere. It closes them
 * rather than registering them again: the close is the one path already exact under every race (a socket whose
 * connection the reaper removed counts nothing on its close; one registered after the reap is taken off), while
 * re-registering would need new connection ids and would race with those very closes. The pages reconnect at once
 * (1013) with their visit ids, so online comes back exactly and visits do not move.
 */
@Singleton
final class ReapedReplicaSockets {

    private static final Logger LOG = LoggerFactory.getLogger(ReapedReplicaSockets.class);

    private final SocketDrain sockets;

    ReapedReplicaSockets(SocketDrain sockets) {
        this.sockets = sockets;
    }

    @EventListener
    void onReaped(ReplicaReaped reaped) {
        int closed = sockets.closeAllToReconnect();
        LOG.warn("Replica {} was reaped: closed {} socket(s) with 1013 so their pages reconnect", reaped.replicaId(), closed);
    }
}

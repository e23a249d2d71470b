package dev.livecounter.broadcaster.limits;

import dev.livecounter.broadcaster.replica.ReplicaRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.function.IntSupplier;

/**
 * A per-address limit is the fleet's, not each replica's: with N live replicas (this one and its peers as of the
 * last heartbeat) each allows 1/N of it. An address whose sockets and requests are spread over the replicas (the
 * round-robin of a Kubernetes Service or an ingress) gets the documented limit in all, within rounding; one whose
 * every request lands on one replica (session affinity) gets 1/N of it. Keeping the count on each replica costs
 * nothing per request; agreeing on one shared count would cost a database write or a peer message per request.
 */
@Singleton
public final class FleetShare {

    private final IntSupplier replicas;

    @Inject
    FleetShare(ReplicaRegistry registry) {
        this(() -> registry.peers().size() + 1);
    }

    FleetShare(IntSupplier replicas) {
        this.replicas = replicas;
    }

    /** The live replicas sharing the limits, this one included. */
    public int replicas() {
        return Math.max(1, replicas.getAsInt());
    }

    /** This replica's share of a rate or a burst. */
    public double of(double limit) {
        return limit / replicas();
    }

    /** This replica's share of a count (sockets, ids), rounded up and never below one. */
    public int ofCount(int limit) {
        return Math.max(1, (limit + replicas() - 1) / replicas());
    }
}

package dev.livecounter.broadcaster.replica;

import dev.livecounter.common.contract.ReplicaOperations;
import dev.livecounter.common.security.InternalSettings;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import jakarta.inject.Singleton;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Tells a replica seen for the first time to look at the replicas table now rather than at its next heartbeat.
 * Replicas learn of each other from that table; without this, a replica that has just started would miss its
 * peers' direct posts for up to a heartbeat interval, and with the stream not yet read (its first start) or
 * switched off, a change posted meanwhile would not reach its pages at all.
 */
@Singleton
public final class PeerIntroductions {

    private static final Logger LOG = LoggerFactory.getLogger(PeerIntroductions.class);

    private final HttpClient http;
    private final InternalSettings internal;

    PeerIntroductions(@Client HttpClient http, InternalSettings internal) {
        this.http = http;
        this.internal = internal;
    }

    /** Introduces this replica to each of {@code peers} (in the background; a failure costs only latency). */
    void introduceTo(List<ReplicaRegistry.Replica> peers) {
        for (ReplicaRegistry.Replica peer : peers) {
            HttpRequest<byte[]> hello = internal.sign(
                    HttpRequest.POST(peer.address().resolve(ReplicaOperations.PEERS), new byte[0]), new byte[0]);
            Mono.from(http.exchange(hello)).subscribe(
                    response -> {},
                    error -> LOG.debug("Introduction to replica {} failed: {}", peer.replicaId(), error.toString()));
        }
    }
}

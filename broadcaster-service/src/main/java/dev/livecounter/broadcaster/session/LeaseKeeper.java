package dev.livecounter.broadcaster.session;

import dev.livecounter.broadcaster.client.ConnectionServiceClient;
import dev.livecounter.broadcaster.config.LeaseSettings;
import dev.livecounter.broadcaster.replica.ReplicaRegistry;
import dev.livecounter.common.model.LeaseRenewal;
import dev.livecounter.common.model.LeaseRenewal.OpenSocket;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews this replica's open sockets at connection-service on a schedule ({@link LeaseSettings}): one call per
 * thousand sockets per interval, not a write per socket per heartbeat. A socket open for days keeps its connection
 * item (so its close is still counted) and its page's visit (so a reconnect after a restart is not a new visit).
 * A renewal that fails is tried again at the next interval, far within the TTLs.
 */
@Singleton
final class LeaseKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final OpenPages pages;
    private final ConnectionServiceClient connections;
    private final ReplicaRegistry registry;

    LeaseKeeper(OpenPages pages, ConnectionServiceClient connections, ReplicaRegistry registry) {
        this.pages = pages;
        this.connections = connections;
        this.registry = registry;
    }

    @Scheduled(fixedDelay = "#{ ctx[dev.livecounter.broadcaster.config.LeaseSettings].renewalInterval }",
            initialDelay = "#{ ctx[dev.livecounter.broadcaster.config.LeaseSettings].renewalInterval }")
    void renew() {
        List<OpenSocket> open = pages.registered().stream()
                .map(page -> new OpenSocket(page.connectionId(), page.counter(), page.visitId()))
                .toList();
        int renewed = 0;
        for (int from = 0; from < open.size(); from += LeaseRenewal.MAX_SOCKETS) {
            List<OpenSocket> chunk = open.subList(from, Math.min(open.size(), from + LeaseRenewal.MAX_SOCKETS));
            try {
                renewed += connections.renew(registry.replicaId(), new LeaseRenewal(chunk)).join().renewed();
            } catch (RuntimeException e) {
                LOG.warn("Could not renew {} open sockets: {}", chunk.size(), e.toString());
            }
        }
        LOG.debug("Renewed {} of {} open sockets", renewed, open.size());
    }
}

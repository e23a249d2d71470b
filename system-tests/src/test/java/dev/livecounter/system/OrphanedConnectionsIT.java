package dev.livecounter.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.local.InternalCalls;
import dev.livecounter.local.ServiceProcess;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Connections whose replica has no replica item do not stay counted: the reaper starts from the replicas table, so
 * (1) a connect that lands after its replica was reaped (the replica never comes back to close it) and (2) the
 * connections of a replica whose item DynamoDB's TTL deleted before it was reaped were counted for good. Its own
 * system, sweeping for them every 2 s (every minute in production).
 */
class OrphanedConnectionsIT {

    @RegisterExtension
    static final OwnStack stack = new OwnStack(b -> b.broadcasters(2)
            .env("LIVECOUNTER_REAPER_ORPHAN_SWEEP_INTERVAL", "2s"));

    @Test
    void aConnectFromAReplicaAlreadyReapedDoesNotStayCounted() throws Exception {
        String counter = LiveSystem.uniqueCounter("late-connect");
        try (PageClient watcher = PageClient.open(stack.get().broadcaster(0).port(), counter, null)) {
            watcher.awaitCount(c -> c.online() == 1);
            // what a reaped replica's connect call that was still under way does: its replica item is gone
            URI connects = stack.get().connectionService().baseUri().resolve("/connections");
            HttpResponse<String> late = internal("POST", connects,
                    LiveSystem.connectBody(UUID.randomUUID().toString(), counter, "reaped-replica-1", "late"));
            assertEquals(200, late.statusCode(), late.body());
            watcher.awaitCount("the late connect counted", c -> c.online() == 2);
            PageClient.Count settled = watcher.awaitCount("the orphan taken off", Duration.ofSeconds(20),
                    c -> c.online() == 1);
            assertEquals(2, settled.visits(), "visits stay");
        }
    }

    @Test
    void aReplicaWhoseItemExpiredBeforeItWasReapedLeavesTheCount() {
        String counter = LiveSystem.uniqueCounter("expired-replica");
        ServiceProcess doomed = stack.get().broadcaster(1);
        try (PageClient watcher = PageClient.open(stack.get().broadcaster(0).port(), counter, null);
                RawDynamoDb db = new RawDynamoDb(stack.get())) {
            List<PageClient> onDoomed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                onDoomed.add(PageClient.open(doomed.port(), counter, null));
            }
            watcher.awaitCount(c -> c.online() == 4);
            doomed.kill();
            // its replica item gone at once, as DynamoDB's TTL deletes one that expired before the reaper saw it
            String address = ":" + doomed.port();
            for (Map<String, AttributeValue> item : db.client().scanPaginator(r -> r.tableName(db.table("replicas")))
                    .items()) {
                if (item.containsKey("address") && item.get("address").s().endsWith(address)) {
                    db.client().deleteItem(r -> r.tableName(db.table("replicas"))
                            .key(Map.of("replicaId", item.get("replicaId"))));
                }
            }
            PageClient.Count settled = watcher.awaitCount("the dead replica's pages off the count",
                    Duration.ofSeconds(30), c -> c.online() == 1);
            assertEquals(4, settled.visits(), "visits stay");
        }
    }

    private static HttpResponse<String> internal(String method, URI uri, String body) {
        return LiveSystem.send(InternalCalls.request(stack.get().internalSecret(), method, uri, body).build());
    }
}

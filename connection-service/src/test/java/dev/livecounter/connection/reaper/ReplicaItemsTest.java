package dev.livecounter.connection.reaper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.common.replicas.ReplicaItems.Replica;
import dev.livecounter.common.replicas.ReplicaItems;
import dev.livecounter.common.testing.LocalDynamoDb;
import dev.livecounter.connection.Fixture;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replicas table as the broadcasters' heartbeats and connection-service's reaper use it. */
class ReplicaItemsTest {

    private static final URI ADDRESS = URI.create("http://10.0.0.7:8080");
    private static final Duration TTL = Duration.ofMinutes(1);

    private final LocalDynamoDb local = new Fixture().local;
    private final ReplicaItems replicas = new ReplicaItems(local.dynamoDb, local.tables);

    @Test
    void aHeartbeatMakesAReplicaLiveAndSaysWhatItsItemWasBefore() {
        Instant first = Instant.parse("2026-11-30T10:00:00Z");
        assertNull(replicas.beat("r1", ADDRESS, first, TTL), "no item before the first beat");
        Replica before = replicas.beat("r1", ADDRESS, first.plusSeconds(2), TTL);

        assertEquals(new Replica("r1", ADDRESS, first.toEpochMilli(), false), before);
        Replica now = replicas.all().get(0);
        assertTrue(now.liveSince(first.plusSeconds(1)));
        assertFalse(now.liveSince(first.plusSeconds(3)));
    }

    @Test
    void theReaperMarksAndDeletesOnlyWhileTheHeartbeatIsTheOneItJudgedDead() {
        Instant stale = Instant.parse("2026-11-30T10:00:00Z");
        replicas.beat("dead", ADDRESS, stale, TTL);
        replicas.beat("back", ADDRESS, stale, TTL);
        replicas.beat("back", ADDRESS, stale.plusSeconds(30), TTL);

        assertTrue(replicas.markReaped("dead", stale.toEpochMilli()));
        assertFalse(replicas.markReaped("back", stale.toEpochMilli()), "it beat since");
        assertFalse(replicas.markReaped("never-there", 0), "no item, nothing to mark");
        assertTrue(replicas.beat("dead", ADDRESS, stale.plusSeconds(60), TTL).reaped(),
                "a reaped replica learns it on its next beat");

        assertFalse(replicas.deleteIfStill("back", stale.toEpochMilli()));
        assertTrue(replicas.deleteIfStill("back", stale.plusSeconds(30).toEpochMilli()));
        assertEquals(List.of("dead"), replicas.all().stream().map(Replica::replicaId).toList());
    }

    @Test
    void aReplicaThatLeavesHasNoHeartbeatAndNobodyPostsToIt() {
        Instant now = Instant.now();
        replicas.beat("r1", ADDRESS, now, TTL);
        replicas.leave("r1");

        Replica left = replicas.all().get(0);
        assertEquals(0, left.heartbeatAt());
        assertFalse(left.liveSince(now.minus(TTL)));
        assertTrue(replicas.markReaped("r1", 0), "the reaper takes what it left at once");
    }
}

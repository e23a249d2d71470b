package dev.livecounter.connection.reaper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.common.metrics.MetricNames;
import dev.livecounter.common.replicas.ReplicaItems;
import dev.livecounter.common.testing.LocalDynamoDb;
import dev.livecounter.connection.config.ReaperSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reaper of dead replicas, scan by scan, over DynamoDB Local. */
class ReplicaReaperTest {

    private final Reaping world = new Reaping();

    private ReplicaReaper reaper(Duration replicaTimeout) {
        return new ReplicaReaper(world.replicas, new ReaperSettings(true, Duration.ofSeconds(1), replicaTimeout,
                Duration.ofMinutes(1)), world.connections, world.meters);
    }

    @Test
    void aDeadReplicasSocketsLeaveOnlineOnceAndItsItemGoesWhileALiveReplicaKeepsItsOwn() {
        Instant now = Instant.now();
        world.beat("dead", now.minus(Duration.ofMinutes(1)));
        world.beat("live", now.plus(Duration.ofHours(1))); // never stale during this test
        world.open("dead", "k", 3);
        world.open("live", "k", 1);
        // a timeout of a millisecond: from its second scan on, the reaper has reached the database for a whole one
        ReplicaReaper reaper = reaper(Duration.ofMillis(1));

        reaper.reapDeadReplicas();
        reaper.reapDeadReplicas();
        reaper.reapDeadReplicas(); // a third scan finds nothing more to take

        assertEquals(1, world.f.counters.read("k").online(), "the live replica's socket stays counted");
        assertEquals(List.of("live"), world.replicas.all().stream().map(ReplicaItems.Replica::replicaId).toList());
        assertEquals(1, world.posted.size(), "the counter it changed is posted to the pages once: " + world.posted);
        assertEquals(1, world.posted.get(0).online());
        assertEquals(3, world.runs("reaper", MetricNames.OK));
    }

    @Test
    void aStaleHeartbeatIsNotTrustedAtFirstSightRightAfterStart() {
        Instant now = Instant.now();
        world.beat("quiet", now.minus(Duration.ofHours(2)));
        world.open("quiet", "q", 2);
        // a timeout of an hour: this reaper has not reached the database for one yet, so every heartbeat may be
        // stale only because nobody could write it: a replica is reaped only on a second look 6 s later
        ReplicaReaper reaper = reaper(Duration.ofHours(1));

        reaper.reapDeadReplicas();

        assertEquals(2, world.f.counters.read("q").online());
        assertEquals(1, world.replicas.all().size());
        assertTrue(world.posted.isEmpty());
    }

    @Test
    void aScanThatCannotReachTheDatabaseReapsNothingAndCountsAFailedRun() {
        // a table of another prefix that was never created: every read of it fails
        LocalDynamoDb empty = new LocalDynamoDb(tables -> List.of());
        ReplicaReaper reaper = new ReplicaReaper(new ReplicaItems(empty.dynamoDb, empty.tables),
                new ReaperSettings(true, Duration.ofSeconds(1), Duration.ofMillis(1), Duration.ofMinutes(1)),
                world.connections, world.meters);

        reaper.reapDeadReplicas();

        assertEquals(1, world.runs("reaper", MetricNames.FAILED));
        assertTrue(world.posted.isEmpty());
    }
}

package dev.livecounter.connection.reaper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.common.metrics.MetricNames;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The sweep of connections whose replica has no replica item at all, sweep by sweep, over DynamoDB Local. */
class OrphanSweeperTest {

    private final Reaping world = new Reaping();
    private final OrphanSweeper sweeper = new OrphanSweeper(world.replicas, world.connections, world.meters);

    @Test
    void orphansLeaveOnTheSecondSweepThatSeesThemNotTheFirst() {
        world.beat("live", Instant.now());
        world.open("live", "o", 1);
        world.open("ghost", "o", 2); // a replica id without an item: its connects landed after it was reaped

        sweeper.sweep();
        assertEquals(3, world.f.counters.read("o").online(), "one sighting proves nothing: its item may be coming");

        sweeper.sweep();
        assertEquals(1, world.f.counters.read("o").online());
        assertEquals(1, world.posted.get(world.posted.size() - 1).online(), "and the pages are told");
        assertEquals(2, world.runs("orphan-sweep", MetricNames.OK));
    }

    @Test
    void aConnectionFirstSeenOnTheSecondSweepWaitsForItsOwnSecondSighting() {
        world.open("ghost", "p", 1);
        sweeper.sweep();
        world.open("ghost", "p", 1);

        sweeper.sweep();
        assertEquals(1, world.f.counters.read("p").online(), "only the one seen twice is gone");

        sweeper.sweep();
        assertEquals(0, world.f.counters.read("p").online());
    }

    @Test
    void aReplicaWhoseItemAppearedBetweenSweepsKeepsItsConnections() {
        world.open("late", "r", 2);
        sweeper.sweep();
        world.beat("late", Instant.now()); // its first heartbeat came after its first connects

        sweeper.sweep();
        sweeper.sweep();

        assertEquals(2, world.f.counters.read("r").online());
    }
}

package dev.livecounter.system;

import static dev.livecounter.system.PageClient.PLUS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.local.ServiceProcess;
import dev.livecounter.system.PageClient.Count;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The short fault suite: a replica killed or stopped while it holds sockets. Online must drop by exactly its
 * sockets, once, visits must not move, and the pages elsewhere must keep getting updates (the stream lease
 * moves if the replica held it). Each test brings the replica back for the tests after it.
 */
@ExtendWith(LiveSystem.Running.class)
class FaultIT {

    private static final Duration FAILOVER = Duration.ofSeconds(90);
    @RegisterExtension
    final OpenPages pages = new OpenPages();

    @AfterEach
    void bringReplicaBack() {
        ServiceProcess replica = LiveSystem.get().broadcaster(1);
        if (!replica.isAlive()) {
            replica.start().awaitHealthy(Duration.ofSeconds(120));
        }
    }

    private PageClient open(int replica, String counter) {
        return pages.open(LiveSystem.replica(replica), counter, null);
    }

    @Test
    void killedReplicasSocketsAreReapedExactlyOnce() {
        String counter = LiveSystem.uniqueCounter("kill");
        PageClient watcher = open(0, counter);
        for (int i = 0; i < 5; i++) {
            open(1, counter);
        }
        watcher.awaitCount(c -> c.online() == 6);

        LiveSystem.get().broadcaster(1).kill();

        Count reaped = watcher.awaitCount("the killed replica's 5 sockets reaped", FAILOVER, c -> c.online() == 1);
        assertEquals(6, reaped.visits(), "reaping takes sockets off, never visits");
        watcher.send(PLUS);
        Count after = watcher.awaitCount("updates flow after the failover", FAILOVER, c -> c.value() == 1);
        assertEquals(1, after.online(), "nothing reaped twice");
    }

    @Test
    void stoppedReplicaClosesItsSocketsWith1001AndDeregistersThem() {
        String counter = LiveSystem.uniqueCounter("drain");
        PageClient watcher = open(0, counter);
        List<PageClient> leaving = List.of(open(1, counter), open(1, counter), open(1, counter));
        watcher.awaitCount(c -> c.online() == 4);

        LiveSystem.get().broadcaster(1).stop();

        for (PageClient page : leaving) {
            assertEquals(1001, page.closed().join(), "going away: the page reconnects elsewhere");
        }
        Count drained = watcher.awaitCount("the drained sockets deregistered", FAILOVER, c -> c.online() == 1);
        assertEquals(4, drained.visits());
    }
}

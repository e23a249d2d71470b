package dev.livecounter.broadcaster.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FleetShareTest {

    @Test
    void eachReplicaAllowsItsPartAndTheSharesAddUpToTheLimit() {
        AtomicInteger replicas = new AtomicInteger(1);
        FleetShare share = new FleetShare(replicas::get);
        assertEquals(50, share.ofCount(50));
        assertEquals(5.0, share.of(5));
        replicas.set(2);
        assertEquals(25, share.ofCount(50));
        assertEquals(2.5, share.of(5));
        replicas.set(3);
        assertEquals(17, share.ofCount(50), "rounded up: three replicas allow 51 in all");
        assertEquals(1, share.ofCount(1), "never below one");
    }

    @Test
    void aBucketFollowsTheShareAsReplicasComeAndGo() {
        AtomicInteger replicas = new AtomicInteger(2);
        FleetShare share = new FleetShare(replicas::get);
        TokenBucket bucket = new TokenBucket(share.of(0.001), share.of(20));
        int taken = 0;
        while (bucket.tryTake(share.of(0.001), share.of(20))) {
            taken++;
        }
        assertEquals(10, taken, "half the burst on each of two replicas");
    }
}

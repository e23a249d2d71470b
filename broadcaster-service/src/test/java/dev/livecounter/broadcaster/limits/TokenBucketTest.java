package dev.livecounter.broadcaster.limits;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A client's budget: a burst at once, then the sustained rate. */
class TokenBucketTest {

    @Test
    void aBurstIsAllowedThenRefused() {
        TokenBucket bucket = new TokenBucket(1, 3);
        assertTrue(bucket.tryTake());
        assertTrue(bucket.tryTake());
        assertTrue(bucket.tryTake());
        assertFalse(bucket.tryTake());
        assertFalse(bucket.isFull());
    }

    @Test
    void tokensComeBackAtTheRate() {
        TokenBucket bucket = new TokenBucket(20, 1);
        assertTrue(bucket.tryTake());
        await().atMost(Duration.ofSeconds(5)).until(bucket::tryTake);
        await().atMost(Duration.ofSeconds(5)).until(bucket::isFull);
    }

    @Test
    void aWholeBucketIsFull() {
        assertTrue(new TokenBucket(5, 20).isFull());
    }
}

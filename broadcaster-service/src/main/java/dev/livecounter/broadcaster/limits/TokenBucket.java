package dev.livecounter.broadcaster.limits;

/** A token bucket: {@code burst} tokens at most, refilled at {@code perSecond}. Thread-safe. */
public final class TokenBucket {

    private final double capacity;
    private final double perNano;
    private double tokens;
    private long refilledAt;

    public TokenBucket(int perSecond, int burst) {
        this.capacity = burst;
        this.perNano = perSecond / 1e9;
        this.tokens = burst;
        this.refilledAt = System.nanoTime();
    }

    public synchronized boolean tryTake() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - refilledAt) * perNano);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether the bucket has refilled completely, i.e. forgetting it loses nothing. */
    public synchronized boolean isFull() {
        return tokens + (System.nanoTime() - refilledAt) * perNano >= capacity;
    }
}

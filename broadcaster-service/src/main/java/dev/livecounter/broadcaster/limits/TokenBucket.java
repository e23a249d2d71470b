package dev.livecounter.broadcaster.limits;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code perSecond}. Thread-safe. The rate and burst are
 * fixed at creation, or given with each take for a bucket whose share of a fleet-wide limit changes with the
 * number of replicas ({@link FleetShare}).
 */
public final class TokenBucket {

    private final double perSecond;
    private final double burst;
    private double tokens;
    private long refilledAt;

    public TokenBucket(double perSecond, double burst) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = System.nanoTime();
    }

    public boolean tryTake() {
        return tryTake(perSecond, burst);
    }

    /** Takes a token from a bucket of {@code burst} tokens refilled at {@code perSecond} as of now. */
    public synchronized boolean tryTake(double perSecond, double burst) {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - refilledAt) * perSecond / 1e9);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether the bucket has refilled completely, i.e. forgetting it loses nothing. */
    public synchronized boolean isFull() {
        return tokens + (System.nanoTime() - refilledAt) * perSecond / 1e9 >= burst;
    }
}

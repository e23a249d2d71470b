package dev.livecounter.counter.presses;

import dev.livecounter.common.counters.CounterStore;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The life stamp of each counter presses reach ({@code CounterTable.LIFE}), read once and then kept: the press
 * transaction carries it in its markers' keys and its condition on the counter, so a counter deleted and made again
 * fails that condition, and {@link #forget} makes the next look read the new life.
 */
@Singleton
public final class CounterLives {

    private final CounterStore counters;
    private final Map<String, String> lives = new ConcurrentHashMap<>();

    public CounterLives(CounterStore counters) {
        this.counters = counters;
    }

    /** The counter's life as last read. @throws NoSuchCounter when there is no such counter */
    String of(String counter) {
        String life = lives.get(counter);
        if (life == null) {
            life = counters.life(counter);
            if (life == null) {
                throw new NoSuchCounter(counter);
            }
            lives.put(counter, life);
        }
        return life;
    }

    /** The counter is not {@code life} any more (deleted, perhaps made again): read it again next time. */
    void forget(String counter, String life) {
        lives.remove(counter, life);
    }
}

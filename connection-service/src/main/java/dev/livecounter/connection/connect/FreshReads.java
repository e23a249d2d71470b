package dev.livecounter.connection.connect;

import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.connection.config.ConnectionSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Reads of a counter that see a write just committed, off the write's lane and shared. A connect (or disconnect)
 * batch answers its calls with the counter as it is after its transaction: read inside the lane, that read held the
 * counter's next transaction back by a whole round trip (half of a connect storm's time in the lane). Now the lane
 * goes on to its next transaction at once, and the read runs beside it; every commit that comes while a read waits
 * to start joins that read, since it will see them all. A read may so see later writes too: a newer version, which
 * pages take anyway.
 */
@Singleton
public class FreshReads {

    private final CounterStore counters;
    private final ExecutorService readers;
    /** Per counter, the read queued but not started: it sees every commit made before it starts. */
    private final Map<String, CompletableFuture<CounterSnapshot>> queued = new HashMap<>();

    /** As many reads under way at once, over all counters, as transactions they follow. */
    @Inject
    FreshReads(CounterStore counters, ConnectionSettings settings) {
        this(counters, settings.committers());
    }

    FreshReads(CounterStore counters, int threads) {
        this.counters = counters;
        AtomicInteger count = new AtomicInteger();
        this.readers = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "fresh-read-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The counter as a strongly consistent read started after this call sees it.
     *
     * @param whenRead told the snapshot once per read (not once per caller that joined it): to publish it
     */
    public CompletableFuture<CounterSnapshot> after(String counter, Consumer<CounterSnapshot> whenRead) {
        CompletableFuture<CounterSnapshot> read;
        synchronized (queued) {
            read = queued.get(counter);
            if (read != null) {
                return read;
            }
            read = new CompletableFuture<>();
            queued.put(counter, read);
        }
        CompletableFuture<CounterSnapshot> started = read;
        started.thenAccept(whenRead);
        Runnable readNow = () -> {
            synchronized (queued) {
                queued.remove(counter, started); // commits from now on need a read of their own
            }
            try {
                started.complete(counters.read(counter));
            } catch (RuntimeException e) {
                started.completeExceptionally(e);
            }
        };
        try {
            readers.execute(readNow);
        } catch (RejectedExecutionException stopping) {
            readNow.run(); // shutting down: the batch is written, its callers still get their answer
        }
        return started;
    }

    @PreDestroy
    void stop() {
        readers.shutdown();
    }
}

package dev.livecounter.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The fan-out scenario's drive and measure steps for one server with its sockets open: for each rate, a warm-up at
 * that rate, then a measured window in which update {@code k} is posted at a steady pace and every frame of it that
 * a socket reads counts, with its latency from the post; the server's CPU and its threads' wait for a CPU over the
 * window come from {@code /proc}.
 */
final class FanoutDrive {

    /**
     * Synthetic versions above any real one, so the stack's own changes never overtake them: a counter's versions
     * start from its creation time ({@code millis x 1000}) and grow by one per change, so a day ahead of now.
     */
    static final long BASE_VERSION = (System.currentTimeMillis() + 86_400_000L) * 1000;

    /** Posts update {@code k} (version {@code BASE_VERSION + k}) to the server; completes with the HTTP status. */
    interface Poster {
        CompletableFuture<Integer> post(long k);
    }

    /** One server at one rate. CPU and run-queue wait are shares of one core over the window. */
    record Result(String server, double rate, double offered, double delivered, Histogram latency, double serverCpu,
            double serverKernel, double serverWaiting, double generatorCpu, int failedPosts) {

        /** CPU microseconds the server spent per frame delivered, all of it or only in the kernel. */
        double microsPerFrame(boolean kernelOnly) {
            return 1e6 * (kernelOnly ? serverKernel : serverCpu) / Math.max(delivered, 1e-9);
        }
    }

    private final AtomicLongArray postedAt;
    private final LongAdder counted = new LongAdder();
    private final LongAdder failedPosts = new LongAdder();
    private final ConcurrentHistogram latency = new ConcurrentHistogram(60_000_000_000L, 3);
    private final AtomicBoolean measuring = new AtomicBoolean();
    private long k;

    FanoutDrive(WsFleet fleet, List<Double> rates, int seconds, int warmup) {
        int capacity = (int) (rates.stream().mapToDouble(Double::doubleValue).sum() * (seconds + warmup)) + 16;
        this.postedAt = new AtomicLongArray(capacity);
        fleet.listener((socket, value, version, online, nanos) -> {
            long update = version - BASE_VERSION;
            if (update > 0 && update < capacity && measuring.get()) {
                long posted = postedAt.get((int) update);
                if (posted != 0 && posted <= nanos) {
                    counted.increment();
                    latency.recordValue(Math.min(nanos - posted, 59_000_000_000L));
                }
            }
        });
    }

    /** Every rate in turn on this server (process {@code pid}), each after a warm-up at the same rate. */
    List<Result> run(String server, long pid, List<Double> rates, int seconds, int warmup, int sockets, Poster poster) {
        List<Result> results = new ArrayList<>();
        for (double rate : rates) {
            post(poster, rate, warmup);
            Bench.sleep(500);
            latency.reset();
            counted.reset();
            long cpu0 = Machine.cpuNanos(pid);
            long kernel0 = Machine.kernelNanos(pid);
            long wait0 = Machine.runQueueNanos(pid);
            long gen0 = Machine.ownCpuNanos();
            long t0 = System.nanoTime();
            measuring.set(true);
            post(poster, rate, seconds);
            measuring.set(false);
            double elapsed = System.nanoTime() - t0;
            double cpu = (Machine.cpuNanos(pid) - cpu0) / elapsed;
            double kernel = (Machine.kernelNanos(pid) - kernel0) / elapsed;
            double waiting = (Machine.runQueueNanos(pid) - wait0) / elapsed;
            double delivered = counted.sum() / (elapsed / 1e9);
            results.add(new Result(server, rate, rate * sockets, delivered, latency.copy(), cpu, kernel, waiting,
                    (Machine.ownCpuNanos() - gen0) / elapsed, (int) failedPosts.sum()));
            System.out.printf(Locale.ROOT, "fanout: %s at %s updates/s: %,.0f frames/s delivered of %,.0f offered, p99 %.1f ms, server CPU %.0f%% (kernel %.0f%%) + waiting for a CPU %.0f%%%n",
                    server, Report.fmt(rate), delivered, rate * sockets, latency.getValueAtPercentile(99) / 1e6, 100 * cpu,
                    100 * kernel, 100 * waiting);
            // let queues drain before the next rate
            Bench.sleep(3000);
        }
        return results;
    }

    /** Posts the next updates at {@code rate} for {@code seconds}. */
    private void post(Poster poster, double rate, int seconds) {
        Pace.paced((int) Math.round(rate * seconds), rate, i -> {
            long next = ++k;
            postedAt.set((int) next, System.nanoTime());
            poster.post(next).whenComplete((status, error) -> {
                if (error != null || status >= 300) {
                    failedPosts.increment();
                }
            });
        });
    }
}

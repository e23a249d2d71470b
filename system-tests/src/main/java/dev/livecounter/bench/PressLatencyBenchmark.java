package dev.livecounter.bench;

import dev.livecounter.local.LocalStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Time from a press on replica 2 to the pages on replica 1, over the real path: counter-service, DynamoDB
 * Local, its stream read by KCL through the adapter, the post between replicas, the coalescer, the socket.
 * Presses go one at a time so each one's latency is its own. Also prints the local stack's cold start.
 *
 * <pre>bench.sh latency [presses] [stream poll interval] [pages on replica 1]</pre>
 */
public final class PressLatencyBenchmark {

    private PressLatencyBenchmark() {}

    public static void main(String[] args) {
        int presses = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        String poll = args.length > 1 ? args[1] : "200ms";
        int watchers = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        if (presses < 1 || presses > 100_000 || watchers < 1 || watchers > 1000) {
            System.err.println("usage: bench.sh latency [presses 1..100000] [poll interval e.g. 200ms] [pages 1..1000]");
            System.exit(2);
        }
        long coldStart = System.nanoTime();
        try (LocalStack stack = LocalStack.builder()
                .broadcasters(2)
                .jvmOptions(List.of("-Xmx512m", "-XX:+UseSerialGC"))
                .broadcasterEnv("LIVECOUNTER_STREAM_POLL_INTERVAL", poll)
                .start()) {
            long healthy = System.nanoTime();
            String counter = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            int replica1 = stack.broadcaster(0).port();
            int replica2 = stack.broadcaster(1).port();
            List<BenchPage> pages = new ArrayList<>();
            for (int i = 0; i < watchers; i++) {
                pages.add(new BenchPage(replica1, counter, presses + 1));
            }
            BenchPage presser = new BenchPage(replica2, counter, presses + 1);

            // warm-up press: also waits out KCL's first lease assignment
            presser.plus();
            awaitAll(pages, 1, Duration.ofMinutes(3));
            long live = System.nanoTime();
            System.out.printf(Locale.ROOT, "cold start: services healthy %.1f s, stream live %.1f s after that (KCL first start)%n",
                    (healthy - coldStart) / 1e9, (live - healthy) / 1e9);

            Histogram lastPage = new Histogram(60_000_000_000L, 3);
            Histogram anyPage = new Histogram(60_000_000_000L, 3);
            for (int press = 2; press <= presses + 1; press++) {
                long sent = System.nanoTime();
                presser.plus();
                awaitAll(pages, press, Duration.ofSeconds(30));
                long last = 0;
                for (BenchPage page : pages) {
                    long latency = page.arrival(press) - sent;
                    anyPage.recordValue(latency);
                    last = Math.max(last, latency);
                }
                lastPage.recordValue(last);
            }
            System.out.printf(Locale.ROOT, "%d presses on replica 2, %d pages on replica 1, stream poll interval %s%n",
                    presses, watchers, poll);
            print("press -> last page on replica 1", lastPage);
            print("press -> each page on replica 1", anyPage);
            pages.forEach(BenchPage::close);
            presser.close();
        }
    }

    private static void awaitAll(List<BenchPage> pages, long value, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (BenchPage page : pages) {
            while (page.arrival(value) == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("value " + value + " did not reach every page within " + timeout
                            + " (a page shows " + page.latestValue() + ")");
                }
                LockSupport.parkNanos(200_000);
            }
        }
    }

    static void print(String what, Histogram h) {
        System.out.printf(Locale.ROOT, "%-34s p50 %6.1f ms  p90 %6.1f ms  p99 %6.1f ms  max %6.1f ms  (n=%d)%n",
                what,
                h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(90) / 1e6,
                h.getValueAtPercentile(99) / 1e6,
                h.getMaxValue() / 1e6,
                h.getTotalCount());
    }
}

package dev.livecounter.bench;

import dev.livecounter.local.LocalStack;
import dev.livecounter.local.OutsideWriter;
import dev.livecounter.local.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold start, as a new user meets it: from launching a fresh stack (DynamoDB Local with no tables, two broadcasters;
 * the Maven build excluded) to, in order, the page served, the first count frame on a socket, the first
 * cross-replica update (a page on replica 1 sees a change made on replica 2), and the first change made by an outside
 * writer (a plain {@code UpdateItem}, which only the stream brings) seen on a page. Also when the services were all
 * healthy and when a replica first held the stream lease (from its log). Median of {@code --runs} cold starts.
 *
 * <pre>bench.sh coldstart [--runs=3] [--limit=300]</pre>
 */
final class ColdStartScenario {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final Pattern LEASE_LOG = Pattern.compile("(?m)^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*Reading shard");
    /** An outside writer's step. */
    private static final long OUTSIDE_STEP = 1_000;
    /** The stack being started by the run under way: waiting stops at once if it fails. */
    private static volatile CompletableFuture<LocalStack> current = CompletableFuture.completedFuture(null);
    static final String[] MILESTONES = {
        "page served", "first count frame", "services healthy", "first cross-replica update", "stream lease held",
        "outside change on a page"};

    Report run(Options o, Path out) {
        int runs = o.integer("runs", 3, 1, 10);
        Duration limit = Duration.ofSeconds(o.integer("limit", 300, 10, 900));
        Report report = new Report("coldstart", "Cold start: launch of a fresh stack (2 broadcasters) to ...",
                "run", "page served s", "first count s", "services healthy s", "cross-replica s", "lease held s",
                "outside change s", "load average");
        double[][] all = new double[runs][];
        for (int run = 0; run < runs; run++) {
            System.out.printf("### coldstart: run %d of %d (load average %s)%n", run + 1, runs, Machine.loadAverage());
            String load = Machine.loadAverage();
            all[run] = once(limit);
            if (all[run] == null) {
                throw new IllegalStateException("the stack did not start; see " + LocalStack.logDirectory());
            }
            Object[] row = new Object[MILESTONES.length + 2];
            row[0] = run + 1;
            for (int m = 0; m < MILESTONES.length; m++) {
                row[m + 1] = all[run][m];
            }
            row[MILESTONES.length + 1] = load;
            report.row(row);
        }
        Object[] median = new Object[MILESTONES.length + 2];
        median[0] = "median";
        Chart chart = new Chart("Cold start, median of " + runs, "", "seconds after launch");
        for (int m = 0; m < MILESTONES.length; m++) {
            int milestone = m;
            double value = median(Arrays.stream(all).mapToDouble(r -> r[milestone]).toArray());
            median[m + 1] = value;
            // the goal's milestone in its own colour
            chart.bar(m == 3 ? "the goal's milestone" : "milestone", MILESTONES[m], Double.isNaN(value) ? 0 : value);
        }
        median[MILESTONES.length + 1] = "";
        report.row(median);
        report.note("goal: first cross-replica update <= 20 s after launch; stream consumer holding a lease <= 10 s "
                + "after the services are ready");
        report.note("services: -Xmx384m -XX:+UseSerialGC, as run-local.sh starts them; \"-\" = not reached within %s", limit);
        chart.horizontalLine(20, "goal: cross-replica <= 20 s").write(out.resolve("coldstart.png"));
        return report;
    }

    /**
     * One cold start: seconds from launch to each milestone (NaN if not reached within {@code limit}), or null when
     * the stack failed to start.
     */
    static double[] once(Duration limit) {
        double[] at = new double[MILESTONES.length];
        Arrays.fill(at, Double.NaN);
        int page1 = Ports.free();
        int page2 = Ports.free();
        LocalTime launchedAt = LocalTime.now();
        long launched = System.nanoTime();
        long deadline = launched + limit.toNanos();
        CompletableFuture<LocalStack> starting = CompletableFuture.supplyAsync(() -> LocalStack.builder()
                .broadcasterPorts(List.of(page1, page2))
                .tablePrefix("cold-")
                .jvmOptions(List.of("-Xmx384m", "-XX:+UseSerialGC"))
                .start());
        current = starting;
        String counter = Bench.uniqueCounter("cold");
        List<CountingPage> pages = new ArrayList<>();
        try {
            milestones(starting, page1, page2, counter, launched, deadline, at, pages);
            at[4] = leaseHeld(launchedAt);
        } catch (IllegalStateException timedOut) {
            if (starting.isCompletedExceptionally()) {
                return null;
            }
            System.out.println("### coldstart: " + timedOut.getMessage());
        } catch (java.util.concurrent.CompletionException failedToStart) {
            return null;
        } finally {
            pages.forEach(CountingPage::close);
            starting.handle((stack, failed) -> {
                if (stack != null) {
                    stack.close();
                }
                return null;
            }).join();
        }
        return at;
    }

    /** Page served, first count, cross-replica update, services healthy, outside change: into {@code at}, in order. */
    private static void milestones(CompletableFuture<LocalStack> starting, int page1, int page2, String counter, long launched,
            long deadline, double[] at, List<CountingPage> pages) {
        until(deadline, () -> pageServed(page1));
        at[0] = seconds(launched);
        CountingPage watcher = until(deadline, () -> CountingPage.counted(page1, counter));
        pages.add(watcher);
        at[1] = seconds(launched);
        CountingPage presser = until(deadline, () -> CountingPage.counted(page2, counter));
        pages.add(presser);
        // a change made on replica 2 (its connect, then presses until one is seen) reaching replica 1's page
        until(deadline, () -> {
            if (watcher.online() >= 2 || watcher.value() >= 1) {
                return true;
            }
            presser.send("{\"action\":\"plus\"}");
            Bench.sleep(200);
            return watcher.online() >= 2 || watcher.value() >= 1 ? true : null;
        });
        at[3] = seconds(launched);
        LocalStack stack = starting.join();
        at[2] = stack.startupTime().toNanos() / 1e9;
        // a counter of its own, which no service changes after this page's connect: only the stream can
        // bring the outside writer's change (a press still under way on the other counter would carry it too)
        String untouched = counter + "-outside";
        CountingPage reader = until(deadline, () -> CountingPage.counted(page1, untouched));
        pages.add(reader);
        try (OutsideWriter outsider = new OutsideWriter(stack)) {
            until(deadline, () -> {
                if (reader.value() >= OUTSIDE_STEP) {
                    return true;
                }
                outsider.addToValue(untouched, OUTSIDE_STEP);
                Bench.sleep(500);
                return reader.value() >= OUTSIDE_STEP ? true : null;
            });
            at[5] = seconds(launched);
        }
    }

    /** The first "Reading shard" in the broadcasters' logs, in seconds after launch (same clock, same day). */
    private static double leaseHeld(LocalTime launchedAt) {
        double first = Double.NaN;
        for (String log : List.of("broadcaster-1.log", "broadcaster-2.log")) {
            try {
                // the logs are appended to: the first lease taken after this launch
                Matcher m = LEASE_LOG.matcher(Files.readString(LocalStack.logDirectory().resolve(log)));
                while (m.find()) {
                    double s = Duration.between(launchedAt, LocalTime.parse(m.group(1))).toMillis() / 1000.0;
                    if (s >= 0) {
                        first = Double.isNaN(first) ? s : Math.min(first, s);
                        break;
                    }
                }
            } catch (java.io.IOException unreadable) {
                // left "-"
            }
        }
        return first;
    }

    private static boolean pageServedOnce(int port) throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        return page.statusCode() == 200 && page.body().toLowerCase(java.util.Locale.ROOT).contains("<html");
    }

    private static Boolean pageServed(int port) {
        try {
            return pageServedOnce(port) ? true : null;
        } catch (Exception notYet) {
            return null;
        }
    }

    /** Retries {@code attempt} every 50 ms until it returns non-null; past the deadline, an IllegalStateException. */
    private static <T> T until(long deadline, java.util.function.Supplier<T> attempt) {
        while (System.nanoTime() < deadline && !current.isCompletedExceptionally()) {
            T result = attempt.get();
            if (result != null) {
                return result;
            }
            Bench.sleep(50);
        }
        throw new IllegalStateException("a milestone was not reached in time");
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static double median(double[] values) {
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }
}

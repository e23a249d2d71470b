package dev.livecounter.faults;

import dev.livecounter.faults.FaultSuite.Row;
import dev.livecounter.faults.FaultSuite.Scale;
import dev.livecounter.hostile.HostileSocket;
import dev.livecounter.local.LocalStack;
import dev.livecounter.local.ServiceProcess;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The faults, each on a counter of its own: setup (visitors arrive, the system settles), the fault, then the
 * measure ({@link Agreement}: pages and database agree, or not), then everyone leaves. The two shapes most faults
 * share are {@link #onSettledPages} and {@link #storm}.
 */
record FaultScenarios(LocalStack stack, Scale scale, Crowd crowd, Agreement agreement) {

    /** Sockets sending a deflate bomb each, within every per-address limit (each from an address of its own). */
    private static final int BOMBERS = 12;

    /** How long a replica is frozen: past the reaper's 10 s timeout and a few of its looks. */
    private static final Duration STALL = Duration.ofSeconds(15);

    /** A fault made on settled pages; returns the visits it added (new visitors arriving during it). */
    @FunctionalInterface
    private interface Fault {
        int make(String counter, List<Visitor> visitors);
    }

    /**
     * Visitors arrive and settle, the fault is made, then every page and the database must agree again (timed from
     * the fault's end); {@code repair} (bringing back what the fault took down) runs after that, before they leave.
     */
    private Row onSettledPages(String name, String scenario, Fault fault, Runnable repair) {
        String counter = counter(name);
        List<Visitor> visitors = crowd.arrive(counter, scale.visitors(), Duration.ZERO);
        agreement.awaitSettled(counter, visitors, scale.visitors());
        int added = fault.make(counter, visitors);
        Row row = agreement.agree(scenario, counter, visitors, scale.visitors() + added, scale.visitors(), System.nanoTime());
        repair.run();
        agreement.leave(counter, visitors);
        return row;
    }

    /**
     * A storm of {@code scale.storm()} visitors over {@code scale.stormTime()}: {@code midway} is made halfway,
     * {@code repair} once all have arrived; then pages and database must agree (timed from then).
     */
    private Row storm(String name, String scenario, Runnable midway, Runnable repair) {
        String counter = counter(name);
        Duration half = scale.stormTime().dividedBy(2);
        List<Visitor> visitors = new ArrayList<>(crowd.arrive(counter, scale.storm() / 2, half));
        midway.run();
        visitors.addAll(crowd.arrive(counter, scale.storm() - scale.storm() / 2, half));
        repair.run();
        Row row = agreement.agree(scenario, counter, visitors, scale.storm(), scale.storm(), System.nanoTime());
        agreement.leave(counter, visitors);
        return row;
    }

    Row retriedCalls() {
        String counter = counter("retries");
        List<Visitor> watchers = crowd.arrive(counter, 1, Duration.ZERO);
        int calls = scale.visitors();
        // the routes the broadcasters call (a connect or disconnect is a batch of one here)
        URI connects = stack.connectionService().baseUri().resolve("/connections");
        URI closes = stack.connectionService().baseUri().resolve("/connections/closed");
        List<String> open = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            String id = UUID.randomUUID().toString();
            String connect = "{\"connects\":[{\"connectionId\":\"" + id + "\",\"request\":{\"counter\":\"" + counter
                    + "\",\"replicaId\":\"retry-test\",\"visitId\":\"v" + i + "\"}}]}";
            String close = "{\"connectionIds\":[\"" + id + "\"]}";
            repeat(3, () -> agreement.internal("POST", connects, connect));
            if (i % 2 == 0) {
                repeat(3, () -> agreement.internal("POST", closes, close));
                // a connect retried after its disconnect (it was stuck somewhere) must not count again
                agreement.internal("POST", connects, connect);
            } else {
                open.add(close);
            }
        }
        Row row = agreement.agree("retried connect x3 and disconnect x3", counter, watchers,
                calls + 1, calls - calls / 2 + 1, System.nanoTime());
        open.forEach(close -> agreement.internal("POST", closes, close));
        agreement.leave(counter, watchers);
        return row;
    }

    Row killReplicaHoldingHalfTheSockets() {
        ServiceProcess victim = stack.broadcaster(stack.broadcasters().size() - 1);
        return onSettledPages("kill", "kill -9 of a replica holding half the sockets", (counter, visitors) -> {
            crowd.unroute(victim.port());
            victim.kill();
            return 0;
        }, () -> {
            victim.start().awaitHealthy(Duration.ofSeconds(120));
            crowd.route(victim.port());
        });
    }

    Row rollingRestartOfEveryBroadcaster() {
        return onSettledPages("rolling", "rolling restart of every broadcaster", (counter, visitors) -> {
            for (ServiceProcess broadcaster : stack.broadcasters()) {
                crowd.unroute(broadcaster.port());
                broadcaster.stop();
                broadcaster.start().awaitHealthy(Duration.ofSeconds(120));
                crowd.route(broadcaster.port());
            }
            return 0;
        }, () -> {});
    }

    Row databaseUnreachable() {
        String title = "database unreachable for " + scale.outage().toSeconds() + " s";
        return onSettledPages("outage", title, (counter, visitors) -> {
            int churn = Math.max(1, scale.visitors() / 10);
            stack.dynamoDbProxy().cut();
            long cutAt = System.nanoTime();
            // during the outage: some leave, some arrive (their connects fail and retry), people press
            List<Visitor> leaving = new ArrayList<>(visitors.subList(0, churn));
            Crowd.leave(leaving);
            visitors.removeAll(leaving);
            visitors.addAll(crowd.arrive(counter, churn, Duration.ZERO));
            visitors.forEach(Visitor::press);
            LockSupport.parkNanos(cutAt + scale.outage().toNanos() - System.nanoTime());
            stack.dynamoDbProxy().restore();
            return churn;
        }, () -> {});
    }

    Row connectStorm() {
        return storm("storm", scale.storm() + " connects in " + scale.stormTime().toSeconds() + " s", () -> {}, () -> {});
    }

    /**
     * kill -9 of one of the two connection-services halfway through the storm: the broadcasters' calls go to the
     * other (a refused call at once, one cut off mid-answer sent again: idempotent per connection id), so pages
     * agree timed from the kill, not from its restart, which comes only after they agreed.
     */
    Row killOneConnectionServiceDuringStorm() {
        ServiceProcess victim = stack.connectionServices().get(stack.connectionServices().size() - 1);
        if (stack.connectionServices().size() < 2) {
            throw new IllegalStateException("the stack runs one connection-service: nothing to fail over to");
        }
        String counter = counter("storm-kill");
        Duration half = scale.stormTime().dividedBy(2);
        List<Visitor> visitors = new ArrayList<>(crowd.arrive(counter, scale.storm() / 2, half));
        victim.kill();
        long killedAt = System.nanoTime();
        visitors.addAll(crowd.arrive(counter, scale.storm() - scale.storm() / 2, half));
        Row row = agreement.agree("kill -9 of 1 of 2 connection-services, storm", counter, visitors,
                scale.storm(), scale.storm(), killedAt);
        victim.start().awaitHealthy(Duration.ofSeconds(120));
        agreement.leave(counter, visitors);
        return row;
    }

    /**
     * Deflate bombs (and their fragments) from {@link #BOMBERS} sockets of their own on the replica that holds half the
     * storm's sockets, sent halfway through the storm: each must end its own socket (1009, or 1002 for a compressed
     * frame never negotiated) while the storm's pages on that replica stay live and every count stays exact.
     */
    Row deflateBombDuringStorm() {
        ServiceProcess target = stack.broadcaster(0);
        byte[] bomb = HostileSocket.deflateBomb(256L << 20);
        List<CompletableFuture<Integer>> bombs = new ArrayList<>();
        ExecutorService senders = Executors.newFixedThreadPool(BOMBERS);
        try {
            Row row = storm("bomb", "deflate bombs on a replica during the storm", () -> {
                for (int i = 0; i < BOMBERS; i++) {
                    bombs.add(CompletableFuture.supplyAsync(() -> {
                        try (HostileSocket bomber = HostileSocket.open(target.port(), counter("bomber"), "X-Forwarded-For",
                                "192.0.2." + (1 + ThreadLocalRandom.current().nextInt(250)))) {
                            bomber.sendDeflateBomb(bomb, 4000);
                            return bomber.awaitClose(Duration.ofSeconds(60));
                        } catch (java.io.IOException refused) {
                            return -1;
                        }
                    }, senders));
                }
            }, () -> bombs.forEach(CompletableFuture::join));
            List<Integer> closes = bombs.stream().map(CompletableFuture::join).toList();
            if (closes.stream().anyMatch(code -> code != 1009 && code != 1002)) {
                throw new IllegalStateException("a deflate bomb did not end its socket; close codes: " + closes);
            }
            return row;
        } finally {
            senders.shutdownNow();
        }
    }

    /**
     * SIGSTOP of a broadcaster holding half the sockets (a long GC pause, a starved pod, a partition) past the reaper's
     * timeout: its sockets are reaped; after SIGCONT it finds itself reaped and closes them, and the pages reconnect
     * with their visit ids. Agreed from the SIGCONT.
     */
    Row replicaStalledPastTheReaperTimeout() {
        return onSettledPages("stall", "replica stalled " + STALL.toSeconds() + " s (past the reaper's timeout)", (counter, visitors) -> {
            ServiceProcess victim = stack.broadcaster(stack.broadcasters().size() - 1);
            signal(victim, "-STOP");
            try {
                LockSupport.parkNanos(STALL.toNanos());
            } finally {
                signal(victim, "-CONT");
            }
            return 0;
        }, () -> {});
    }

    /** counter-service's reset (visits too) while the pages are open: every page follows the newer version. */
    Row operatorReset() {
        String counter = counter("reset");
        List<Visitor> visitors = crowd.arrive(counter, scale.visitors(), Duration.ZERO);
        visitors.forEach(Visitor::press);
        agreement.awaitSettled(counter, visitors, scale.visitors());
        agreement.internal("POST", stack.counterService().baseUri().resolve("/counters/" + counter + "/reset?visits=true"), null);
        // the reset says: visits 0, value 0 (checked against the database), online as it is
        Row row = agreement.agree("operator reset (visits too) under open pages", counter, visitors, 0, scale.visitors(), System.nanoTime());
        // the history keeps the visits that happened: a reset zeroes the total, not the past
        boolean valueReset = agreement.read(counter).path("value").asLong(-1) == 0;
        row = new Row(row.scenario(), row.visitsExpected(), row.visitsCounted(), row.onlineExpected(),
                row.onlineShownMin(), row.onlineShownMax(), row.valueAgrees() && valueReset, row.agreedAfter(),
                row.historyVisits(), scale.visitors());
        agreement.leave(counter, visitors);
        return row;
    }

    private static void repeat(int times, Runnable call) {
        for (int i = 0; i < times; i++) {
            call.run();
        }
    }

    private static void signal(ServiceProcess service, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(service.process().pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + signal + " " + service.name() + " failed");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String counter(String scenario) {
        return "faults-" + scenario + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}

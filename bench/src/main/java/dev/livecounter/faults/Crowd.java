package dev.livecounter.faults;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * The people of the fault suite: visitors arriving at the broadcasters the "ingress" routes to (round robin over
 * the replicas in service, each visitor from an address of its own), and leaving. A scenario takes a replica out of
 * the routing while it is down, as a Service does with a Pod that is not ready.
 */
final class Crowd {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "visitor-timer");
        t.setDaemon(true);
        return t;
    });
    /** Broadcaster ports the "ingress" currently routes to. */
    private final List<Integer> routed = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final IntSupplier ingress = () -> routed.get(Math.floorMod(next.getAndIncrement(), routed.size()));

    Crowd(List<Integer> ports) {
        routed.addAll(ports);
    }

    void route(int port) {
        routed.add(port);
    }

    void unroute(int port) {
        routed.remove((Integer) port);
    }

    /** One visitor on the replica at {@code port}, whatever the routing says. */
    Visitor visitorOn(String counter, IntSupplier port) {
        return new Visitor(http, timer, counter, address(), port);
    }

    /** {@code count} visitors arriving evenly over {@code over}, each from an address of its own. */
    List<Visitor> arrive(String counter, int count, Duration over) {
        List<Visitor> visitors = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            LockSupport.parkNanos(start + over.toNanos() * i / Math.max(1, count) - System.nanoTime());
            Visitor visitor = new Visitor(http, timer, counter, address(), ingress);
            visitors.add(visitor);
            visitor.arrive();
        }
        return visitors;
    }

    /** A client of one partition of the orders table, arriving through the "ingress". */
    TableWatcher tableWatcher(String customer) {
        return new TableWatcher(customer, ingress, address());
    }

    static void leave(List<Visitor> visitors) {
        visitors.forEach(Visitor::leave);
    }

    private static String address() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }
}

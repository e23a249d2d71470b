package dev.livecounter.connection.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.connection.Fixture;
import dev.livecounter.connection.connect.ConnectCall;
import dev.livecounter.connection.history.VisitTotals;
import dev.livecounter.connection.reconcile.CountReconciler;
import dev.livecounter.connection.store.ConnectionTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The reconciler of counts against DynamoDB Local: it corrects drift, and only drift. */
class CountReconcilerTest {

    private final Fixture f = new Fixture();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<CounterSnapshot> posted = new CopyOnWriteArrayList<>();
    /** What the index shows: the table itself, unless a test makes it lag (or changes things while it is read). */
    private Supplier<Map<String, Long>> index = f.reads::liveByCounter;
    private final CountReconciler reconciler = new CountReconciler(f.local.dynamoDb, f.counters,
            () -> index.get(), new VisitTotals(f.local.dynamoDb, f.local.tables), posted::add, meters);

    @Test
    void aConnectionItemDeletedByHandLeavesOnlineOnceTheCounterWasQuietForARound() {
        List<ConnectCall> calls = connectAndLoseOne("h", 3);

        reconciler.reconcile();
        assertEquals(3, f.counters.read("h").online(), "first sighting: not yet known to be quiet");
        reconciler.reconcile();

        CounterSnapshot healed = f.counters.read("h");
        assertEquals(2, healed.online(), "online is the live connections");
        assertEquals(3, healed.visits(), "visits stay");
        assertEquals(List.of(healed), posted, "the correction is posted to the pages");
        assertEquals(1, corrections());
        reconciler.reconcile();
        reconciler.reconcile();
        assertEquals(1, corrections(), "corrected once");
        f.disconnects.disconnect(List.of(calls.get(1).connectionId(), calls.get(2).connectionId()));
        assertEquals(0, f.counters.read("h").online(), "the remaining closes take it to zero exactly");
    }

    @Test
    void aChangeBetweenTwoRoundsPostponesTheCorrectionToTheNextQuietRound() {
        connectAndLoseOne("q", 2);

        reconciler.reconcile();
        f.connects.connect("q", List.of(Fixture.call("q", null)));
        reconciler.reconcile();
        assertEquals(3, f.counters.read("q").online(), "changed since the last round: left alone");
        assertEquals(0, corrections());
        reconciler.reconcile();
        assertEquals(2, f.counters.read("q").online(), "quiet for a round: corrected");
    }

    @Test
    void anIndexLaggingBehindItsTableIsNotTakenForDrift() {
        f.connects.connect("lag", List.of(Fixture.call("lag", null)));
        Map<String, Long> before = f.reads.liveByCounter();
        f.connects.connect("lag", List.of(Fixture.call("lag", null)));
        // the index has not caught up with the second connect for one round (DynamoDB's GSIs are eventually consistent)
        index = () -> before;
        reconciler.reconcile();
        index = f.reads::liveByCounter;
        reconciler.reconcile();
        reconciler.reconcile();

        assertEquals(2, f.counters.read("lag").online());
        assertEquals(0, corrections(), "what one round saw differ was the index's lag, not drift");
    }

    @Test
    void aChangeLandingAfterTheRoundsReadFailsTheCorrectionsConditionAndIsKept() {
        connectAndLoseOne("late", 2);
        reconciler.reconcile();
        // the second round reads the counter, then a connect lands before the correction is written (the index
        // has not got it yet): the round saw the drift quiet for a period, but the counter is not where it saw it
        index = () -> {
            Map<String, Long> lagging = f.reads.liveByCounter();
            f.connects.connect("late", List.of(Fixture.call("late", null)));
            return lagging;
        };
        reconciler.reconcile();
        index = f.reads::liveByCounter;

        assertEquals(3, f.counters.read("late").online(), "the connect in flight is not overwritten");
        assertEquals(0, corrections());
        reconciler.reconcile();
        reconciler.reconcile();
        assertEquals(2, f.counters.read("late").online(), "the drift is corrected at the next quiet round");
        assertEquals(1, corrections());
    }

    @Test
    void connectsAndDisconnectsInFlightAreNeverOverwritten() throws Exception {
        AtomicBoolean flowing = new AtomicBoolean(true);
        List<String> open = new ArrayList<>();
        Thread churn = new Thread(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (flowing.get()) {
                if (open.isEmpty() || (open.size() < 20 && random.nextBoolean())) {
                    ConnectCall call = Fixture.call("busy", null);
                    f.connects.connect("busy", List.of(call));
                    open.add(call.connectionId());
                } else {
                    f.disconnects.disconnect(List.of(open.remove(random.nextInt(open.size()))));
                }
            }
        }, "churn");
        churn.start();
        int rounds = 0;
        try {
            for (; rounds < 40 && churn.isAlive(); rounds++) {
                reconciler.reconcile();
            }
        } finally {
            flowing.set(false);
            churn.join();
        }
        assertEquals(40, rounds, "the churn ran through every round");
        assertEquals(0, corrections(), "nothing to correct while every change is a write of the counter");
        assertEquals(open.size(), f.counters.read("busy").online(), "online is the open sockets exactly");
        assertEquals(40, meters.get("livecounter.reconcile.rounds").counter().count());
    }

    @Test
    void visitsThatDifferFromTheHistoryAreReportedNotCorrected() {
        f.connects.connect("v", List.of(Fixture.call("v", null), Fixture.call("v", null)));
        // a writer outside the connect transaction (an operator's edit) adds visits the history never saw
        f.local.dynamoDb.updateItem(f.counters.update("v", java.time.Instant.now())
                .add(CounterTable.VISITS, 5).request().build());

        reconciler.reconcile();
        reconciler.reconcile();
        reconciler.reconcile();

        assertEquals(7, f.counters.read("v").visits(), "not corrected: no telling which side is wrong");
        assertEquals(1, meters.get("livecounter.reconcile.drifts").counter().count(), "reported once");
        assertEquals(1, meters.get("livecounter.reconcile.drifting").gauge().value());
    }

    @Test
    void visitsAResetTookOffStillAddUpWithTheHistory() {
        f.connects.connect("r", List.of(Fixture.call("r", null), Fixture.call("r", null)));
        // what counter-service's reset with ?visits=true writes
        f.local.dynamoDb.updateItem(f.counters.update("r", java.time.Instant.now())
                .zeroInto(CounterTable.VISITS, CounterTable.VISITS_BEFORE_RESET)
                .set(CounterTable.UNIQUE_TODAY, 0)
                .request().build());

        reconciler.reconcile();
        reconciler.reconcile();

        assertEquals(0, meters.get("livecounter.reconcile.drifts").counter().count());
        assertTrue(posted.isEmpty(), "nothing to correct");
        assertEquals(AttributeValue.fromN("2"), f.local.dynamoDb.getItem(r -> r.tableName(f.local.tables.counters())
                .key(CounterTable.key("r")).consistentRead(true)).item().get(CounterTable.VISITS_BEFORE_RESET));
    }

    /** Connects {@code sockets} sockets to {@code counter}, then deletes the first one's item by hand: online drifts. */
    private List<ConnectCall> connectAndLoseOne(String counter, int sockets) {
        List<ConnectCall> calls = new ArrayList<>();
        for (int i = 0; i < sockets; i++) {
            calls.add(Fixture.call(counter, null));
        }
        f.connects.connect(counter, calls);
        f.local.dynamoDb.deleteItem(r -> r.tableName(f.local.tables.connections())
                .key(ConnectionTable.key(calls.get(0).connectionId())));
        return calls;
    }

    private double corrections() {
        return meters.get("livecounter.reconcile.corrections").counter().count();
    }
}

package dev.livecounter.connection.reconcile;

import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.connection.broadcast.ChangePublisher;
import dev.livecounter.connection.history.VisitTotals;
import dev.livecounter.connection.store.ConnectionReads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Counts that heal. Every write keeps a counter's {@code online} equal to its live connection items (the same
 * transaction changes both), but something outside the writes can part them: a connection item deleted by hand, or
 * by DynamoDB's TTL under a socket whose renewals failed, leaves {@code online} one too high for good. Each round
 * compares every counter's {@code online} with its live connections and corrects what nothing explains.
 *
 * <p>A round scans the counters (strongly consistent: version, online, visits), then the {@code byReplica} index,
 * which holds exactly the live connections (tombstones and markers have no replica id) with their counter. The index
 * is eventually consistent, and the two reads are not one snapshot, so a difference alone proves nothing: a connect
 * may land between them, or not be in the index yet. A counter is corrected only when the previous round saw it at
 * the same version with the same count: no write touched it for a whole period, long past the index's lag (under a
 * second), so the difference is a drift. The correction is one {@code SET online = :count} (a write like any other,
 * bumping the version) conditioned on {@code version = :seen}: a change that lands after the round's read fails the
 * condition and nothing is overwritten; so does a second connection-service instance's correction of the same
 * drift. The corrected counter is posted to the replicas' pages as every change of this service is.
 *
 * <p>It also checks each quiet counter's {@code visits} (plus what resets took off) against the sum of its history's
 * day buckets, which the connect transaction writes with it. A difference is reported (a log line, a metric), never
 * corrected: there is no telling which side is wrong, and a counter deleted and made again starts its visits at 0
 * while its history keeps the earlier lives' days.
 */
@Singleton
@Requires(property = "livecounter.reconcile.enabled", notEquals = "false")
public class CountReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(CountReconciler.class);

    private final DynamoDbClient dynamoDb;
    private final CounterStore counters;
    private final Supplier<Map<String, Long>> liveConnections;
    private final VisitTotals history;
    private final Consumer<CounterSnapshot> changes;
    private final Counter rounds;
    private final Counter corrections;
    private final Counter visitDrifts;
    /** What the previous round saw of each counter. */
    private Map<String, Seen> previous = Map.of();
    /** The version at which each counter's visits were last checked against its history: once per version. */
    private Map<String, Long> visitsChecked = new HashMap<>();
    /** Counters whose visits differ from their history, by how much, as last reported. */
    private final Map<String, Long> visitDrift = new ConcurrentHashMap<>();

    @Inject
    CountReconciler(DynamoDbClient dynamoDb, CounterStore counters, ConnectionReads connections, VisitTotals history,
            ChangePublisher changes, MeterRegistry meters) {
        this(dynamoDb, counters, connections::liveByCounter, history, changes::publish, meters);
    }

    /**
     * A reconciler reading the live connections per counter from {@code liveConnections} (the index,
     * {@link ConnectionReads#liveByCounter}) and posting what it corrects to {@code changes}.
     */
    public CountReconciler(DynamoDbClient dynamoDb, CounterStore counters, Supplier<Map<String, Long>> liveConnections,
            VisitTotals history, Consumer<CounterSnapshot> changes, MeterRegistry meters) {
        this.dynamoDb = dynamoDb;
        this.counters = counters;
        this.liveConnections = liveConnections;
        this.history = history;
        this.changes = changes;
        this.rounds = Counter.builder("livecounter.reconcile.rounds")
                .description("rounds of the reconciler of counts that completed")
                .register(meters);
        this.corrections = Counter.builder("livecounter.reconcile.corrections")
                .description("counts corrected to what the table holds (online to the live connections)")
                .tag("attribute", CounterTable.ONLINE)
                .register(meters);
        this.visitDrifts = Counter.builder("livecounter.reconcile.drifts")
                .description("differences found and reported, not corrected (visits against the history's days)")
                .tag("attribute", CounterTable.VISITS)
                .register(meters);
        Gauge.builder("livecounter.reconcile.drifting", visitDrift, Map::size)
                .description("counters whose visits differ from their history's days now")
                .tag("attribute", CounterTable.VISITS)
                .register(meters);
    }

    /** What a round saw of one counter. */
    private record Seen(long version, long online, long live) {}

    /** One round: every counter compared with its live connections and its history. */
    @Scheduled(fixedDelay = "#{ ctx[dev.livecounter.connection.reconcile.ReconcileSettings].period }",
            initialDelay = "#{ ctx[dev.livecounter.connection.reconcile.ReconcileSettings].period }")
    public void reconcile() {
        Map<String, Seen> seen = new HashMap<>();
        Map<String, CounterStore.Tally> tallies = new HashMap<>();
        try {
            // the counters first, the index after: a connect between them is in the index, not in the counter
            counters.tallies().forEach(t -> tallies.put(t.counter(), t));
            Map<String, Long> live = liveConnections.get();
            tallies.values().forEach(t ->
                    seen.put(t.counter(), new Seen(t.version(), t.online(), live.getOrDefault(t.counter(), 0L))));
        } catch (RuntimeException e) {
            LOG.warn("Reconciling counts failed, will retry: {}", e.toString());
            return;
        }
        Map<String, Seen> before = previous;
        previous = seen;
        Map<String, Long> checked = new HashMap<>();
        seen.forEach((counter, now) -> {
            if (!now.equals(before.get(counter))) {
                return; // changed since the last round, or first seen: not quiet for a whole period
            }
            try {
                if (now.online() != now.live()) {
                    correctOnline(counter, now);
                }
                Long checkedAt = visitsChecked.get(counter);
                if (checkedAt != null && checkedAt == now.version()) {
                    checked.put(counter, checkedAt);
                } else if (checkVisits(tallies.get(counter))) {
                    checked.put(counter, now.version());
                }
            } catch (RuntimeException e) {
                LOG.warn("Reconciling counter {} failed, will retry: {}", counter, e.toString());
            }
        });
        visitsChecked = checked;
        visitDrift.keySet().retainAll(seen.keySet());
        rounds.increment();
    }

    private void correctOnline(String counter, Seen quiet) {
        try {
            Map<String, AttributeValue> after = dynamoDb.updateItem(counters.update(counter, Instant.now())
                            .set(CounterTable.ONLINE, quiet.live())
                            .when("#version = :seen", Map.of(":seen", AttributeValue.fromN(Long.toString(quiet.version()))))
                            .request()
                            .returnValues(ReturnValue.ALL_NEW)
                            .build())
                    .attributes();
            corrections.increment();
            CounterSnapshot corrected = CounterTable.snapshot(counter, after);
            LOG.info("Corrected online of {} from {} to {} (its live connections; unchanged at version {} for a round)",
                    counter, quiet.online(), quiet.live(), quiet.version());
            changes.accept(corrected);
        } catch (ConditionalCheckFailedException changed) {
            // a change landed after this round's read (or another instance corrected it): not ours to overwrite
            LOG.debug("Counter {} changed while being reconciled; left to the next round", counter);
        }
    }

    /**
     * Compares the counter's visits with its history's days, while the counter stays at the version the round saw.
     *
     * @return whether the comparison was made at that version (else it changed meanwhile: again when quiet)
     */
    private boolean checkVisits(CounterStore.Tally tally) {
        long days = history.ofAllDays(tally.counter());
        long counted = tally.visits() + tally.visitsBeforeReset();
        if (days == counted) {
            visitDrift.remove(tally.counter());
            return true;
        }
        // a connect between the round's read and the history's adds to the days first: believe the difference only
        // if the counter is still where the round saw it
        if (counters.read(tally.counter()).version() != tally.version()) {
            return false;
        }
        long drift = counted - days;
        Long reported = visitDrift.put(tally.counter(), drift);
        if (reported == null || reported != drift) {
            visitDrifts.increment();
            LOG.warn("Visits of {} differ from its history: {} counted (visits {} + {} before resets), {} in its days;"
                            + " reported, not corrected", tally.counter(), counted, tally.visits(),
                    tally.visitsBeforeReset(), days);
        }
        return true;
    }
}

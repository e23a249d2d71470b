package dev.livecounter.connection.dynamodb;

import static dev.livecounter.common.dynamodb.Schema.CONNECTED_AT;
import static dev.livecounter.common.dynamodb.Schema.CONNECTION_ID;
import static dev.livecounter.common.dynamodb.Schema.COUNTER;
import static dev.livecounter.common.dynamodb.Schema.EXPIRES_AT;
import static dev.livecounter.common.dynamodb.Schema.NAME;
import static dev.livecounter.common.dynamodb.Schema.REPLICA_ID;
import static dev.livecounter.common.dynamodb.Schema.VISIT_ID;

import dev.livecounter.common.dynamodb.CounterItems;
import dev.livecounter.common.dynamodb.CounterLifecycleSettings;
import dev.livecounter.common.dynamodb.Schema;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.model.ConnectRequest;
import dev.livecounter.common.model.ConnectResult;
import dev.livecounter.common.model.CounterSnapshot;
import dev.livecounter.common.model.DisconnectResult;
import dev.livecounter.common.model.Resolution;
import dev.livecounter.connection.config.ConnectionSettings;
import dev.livecounter.connection.history.HistoryItems;
import dev.livecounter.connection.history.UniqueVisitors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Registers and removes connections. Each change of a count is one transaction that also writes or deletes the
 * connection item under a condition, so a retried or duplicated call fails its condition and counts nothing.
 */
@Singleton
public class ConnectionRepository {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionRepository.class);
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final String CONFLICT = "TransactionConflict";
    /** DynamoDB's limit of items in one transaction. */
    static final int MAX_ITEMS = 100;
    /** Rounds of one transaction whose conditions failed; each failure settles a call, so a batch needs few. */
    private static final int MAX_ROUNDS = 200;

    private final DynamoDbClient dynamoDb;
    private final TableSettings tables;
    private final ConnectionSettings settings;
    private final Counter conflicts;
    private final HistoryItems history;
    private final UniqueVisitors uniqueVisitors;
    private final CounterLifecycleSettings lifecycle;

    public ConnectionRepository(DynamoDbClient dynamoDb, TableSettings tables, ConnectionSettings settings,
            CounterLifecycleSettings lifecycle, MeterRegistry meters, HistoryItems history,
            UniqueVisitors uniqueVisitors) {
        this.history = history;
        this.uniqueVisitors = uniqueVisitors;
        this.lifecycle = lifecycle;
        this.conflicts = meters.counter("livecounter.transaction.conflicts.retried");
        this.dynamoDb = dynamoDb;
        this.tables = tables;
        this.settings = settings;
    }

    /** One socket's {@code $connect} call. */
    public record ConnectCall(String connectionId, ConnectRequest request) {}

    /**
     * {@code $connect} of sockets of one counter, in one transaction: puts each connection (only if absent) and
     * its page load's visit marker, and adds to the counter once: online + the connections put, visits + the
     * visit ids not seen within the window. A call whose connection id is already known (a retried call, or a
     * socket whose disconnect came first) counts nothing; a call whose visit id was seen is a reconnect: it
     * counts online and refreshes the window. Every failed condition is an answer for that one call, and the
     * transaction is written again without it, so one call never changes another's outcome. The same transaction
     * adds the new visits to the counter's minute, hour and day buckets ({@link HistoryItems}) and writes the
     * markers of visitors new to a bucket ({@link UniqueVisitors}), so the history is exact by construction.
     *
     * @param calls at most 49, no two with the same connection id, visit id or visitor id (a transaction cannot
     *              write one item twice); more than fit in one transaction are written in two
     * @return one result per call, in order, each with the counter as it is after the transaction
     */
    public List<ConnectResult> connect(String counter, List<ConnectCall> calls) {
        int n = calls.size();
        boolean[] registered = new boolean[n];
        boolean[] newVisit = new boolean[n];
        Arrays.fill(registered, true);
        Arrays.fill(newVisit, true);
        Instant now = Instant.now();
        // a visitor's marker is a third item: a batch that would pass DynamoDB's 100 items (ConnectionBatcher makes
        // none, but a caller might) goes in two transactions, each whole on its own (its connections, markers,
        // counter and buckets)
        for (int from = 0, to; from < n; from = to) {
            int items = 1 + HistoryItems.BUCKET_ITEMS;
            for (to = from; to < n && items + itemsOf(calls.get(to)) <= MAX_ITEMS; to++) {
                items += itemsOf(calls.get(to));
            }
            connectTogether(counter, calls.subList(from, to), registered, newVisit, from, now);
        }
        CounterSnapshot snapshot = read(counter);
        List<ConnectResult> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            results.add(new ConnectResult(registered[i], registered[i] && newVisit[i], snapshot));
        }
        return results;
    }

    /** The items a connect may add to a transaction: its connection and visit marker, and its visitor's marker. */
    static int itemsOf(ConnectCall call) {
        return call.request().visitorId() == null ? 2 : 3;
    }

    /** What an item of a connect transaction is, so that its failed condition is answered the right way. */
    private enum Part { CONNECTION, VISIT, VISITOR, COUNTER, BUCKET }

    /** One transaction (and its retries) of {@code calls}, whose answers go to {@code registered}/{@code newVisit} from {@code at}. */
    private void connectTogether(String counter, List<ConnectCall> calls, boolean[] registered, boolean[] newVisit,
            int at, Instant now) {
        int n = calls.size();
        UniqueVisitors.Batch visitors =
                uniqueVisitors.begin(counter, calls.stream().map(c -> c.request().visitorId()).toList(), now);
        for (int round = 1; ; round++) {
            List<TransactWriteItem> items = new ArrayList<>(MAX_ITEMS);
            List<Integer> callOfItem = new ArrayList<>(MAX_ITEMS);
            List<Part> partOfItem = new ArrayList<>(MAX_ITEMS);
            int online = 0;
            int visits = 0;
            for (int i = 0; i < n; i++) {
                if (!registered[at + i]) {
                    continue;
                }
                ConnectRequest request = calls.get(i).request();
                boolean visit = newVisit[at + i];
                items.add(putConnection(calls.get(i).connectionId(), request, now));
                items.add(visit ? firstVisit(request, now) : refreshVisit(request, now));
                callOfItem.addAll(List.of(i, i));
                partOfItem.addAll(List.of(Part.CONNECTION, Part.VISIT));
                TransactWriteItem mark = visit ? visitors.mark(i) : null;
                if (mark != null) {
                    items.add(mark);
                    callOfItem.add(i);
                    partOfItem.add(Part.VISITOR);
                }
                online++;
                visits += visit ? 1 : 0;
            }
            if (online == 0) {
                break;
            }
            long[] uniques = visitors.uniques(i -> registered[at + i] && newVisit[at + i]);
            long uniqueToday = uniques[Resolution.DAY.ordinal()];
            items.add(addToCounter(counter, visits, online, now, uniqueToday, visitors));
            callOfItem.add(-1);
            partOfItem.add(Part.COUNTER);
            if (visits > 0) {
                for (TransactWriteItem bucket : history.buckets(counter, visits, uniques, now)) {
                    items.add(bucket);
                    callOfItem.add(-1);
                    partOfItem.add(Part.BUCKET);
                }
            }
            Set<Integer> failed = transact(items);
            if (failed.isEmpty()) {
                visitors.committed(uniqueToday > 0);
                break;
            }
            if (round >= MAX_ROUNDS) {
                throw new IllegalStateException("connects to " + counter + " kept failing their conditions");
            }
            for (int item : failed) {
                int call = callOfItem.get(item);
                switch (partOfItem.get(item)) {
                    case CONNECTION -> registered[at + call] = false; // the connection id is known: count nothing
                    case VISIT -> newVisit[at + call] = false; // the page load was seen within the window: a reconnect
                    case VISITOR -> visitors.markFailed(call); // another visit of the visitor came first
                    case COUNTER -> visitors.counterDayWrong(); // the counter's uniqueToday is of another day
                    case BUCKET -> throw new IllegalStateException("a bucket update has no condition");
                }
            }
        }
    }

    /**
     * {@code $disconnect}: replaces the connection with a tombstone (only if it is a live connection) and takes 1
     * off online. The tombstone, kept for a while, is what makes the order of calls not matter: a connect that
     * was still under way when its socket's disconnect came (a slow or restarting connection-service) finds it
     * and counts nothing, where a plain delete would have let it register a socket that is long gone.
     */
    public DisconnectResult disconnect(String connectionId) {
        Map<String, AttributeValue> key = Map.of(CONNECTION_ID, string(connectionId));
        for (int attempt = 0; attempt < 3; attempt++) {
            Map<String, AttributeValue> item = dynamoDb.getItem(
                            r -> r.tableName(tables.connections()).key(key).consistentRead(true))
                    .item();
            if (item != null && !item.isEmpty() && !item.containsKey(REPLICA_ID)) {
                return new DisconnectResult(false, null); // already a tombstone
            }
            Instant now = Instant.now();
            if (item == null || item.isEmpty()) {
                try {
                    dynamoDb.putItem(r -> r.tableName(tables.connections())
                            .item(tombstone(connectionId, null, now))
                            .conditionExpression("attribute_not_exists(#id)")
                            .expressionAttributeNames(Map.of("#id", CONNECTION_ID)));
                    return new DisconnectResult(false, null);
                } catch (ConditionalCheckFailedException registeredMeanwhile) {
                    continue; // its connect just landed: take that off the count
                }
            }
            String counter = item.get(COUNTER).s();
            TransactWriteItem closeConnection = closeConnection(connectionId, counter, now);
            TransactWriteItem update = takeOffline(counter, 1, now);
            Set<Integer> failed = transact(List.of(closeConnection, update));
            if (failed.contains(1) && !failed.contains(0)) {
                // its counter was deleted or reset under it (an operator): close it without going below zero
                return new DisconnectResult(transact(List.of(closeConnection)).isEmpty(), counter);
            }
            return new DisconnectResult(!failed.contains(0), counter);
        }
        throw new IllegalStateException("connection " + connectionId + " kept changing while it was being closed");
    }

    /**
     * {@code $disconnect} of several sockets in one transaction: reads them all (strongly consistent), replaces
     * each live one with a tombstone (only if it is still live) and takes them off their counters' online, one
     * {@code ADD} per counter. A socket that is already a tombstone counts nothing; one that is not there (its
     * connect still under way, or never made) or that changed meanwhile goes the way of {@link #disconnect(String)}
     * on its own, so one call never changes another's outcome.
     *
     * @param connectionIds at most 49, all different
     * @return one result per connection id, in order
     */
    public List<DisconnectResult> disconnect(List<String> connectionIds) {
        Map<String, Map<String, AttributeValue>> items = readConnections(connectionIds);
        Map<String, DisconnectResult> results = new HashMap<>();
        List<String> live = new ArrayList<>();
        List<String> alone = new ArrayList<>();
        for (String id : connectionIds) {
            Map<String, AttributeValue> item = items.get(id);
            if (item == null) {
                alone.add(id);
            } else if (!item.containsKey(REPLICA_ID)) {
                results.put(id, new DisconnectResult(false, null)); // already a tombstone
            } else {
                live.add(id);
            }
        }
        Instant now = Instant.now();
        while (!live.isEmpty()) {
            List<TransactWriteItem> transaction = new ArrayList<>(2 * live.size());
            Map<String, Integer> closing = new LinkedHashMap<>();
            for (String id : live) {
                String counter = items.get(id).get(COUNTER).s();
                transaction.add(closeConnection(id, counter, now));
                closing.merge(counter, 1, Integer::sum);
            }
            closing.forEach((counter, sockets) -> transaction.add(takeOffline(counter, sockets, now)));
            Set<Integer> failed = transact(transaction);
            if (failed.isEmpty()) {
                live.forEach(id -> results.put(id, new DisconnectResult(true, items.get(id).get(COUNTER).s())));
                break;
            }
            // closed meanwhile (the reaper, a retried call), or a counter that would go below zero: each the single way
            List<String> counters = new ArrayList<>(closing.keySet());
            List<String> changed = new ArrayList<>();
            for (int item : failed) {
                if (item < live.size()) {
                    changed.add(live.get(item));
                } else {
                    String counter = counters.get(item - live.size());
                    live.stream().filter(id -> items.get(id).get(COUNTER).s().equals(counter)).forEach(changed::add);
                }
            }
            live.removeAll(changed);
            alone.addAll(changed);
        }
        for (String id : alone) {
            results.put(id, disconnect(id));
        }
        return connectionIds.stream().map(results::get).toList();
    }

    /** The connection items that exist, by id (strongly consistent). */
    private Map<String, Map<String, AttributeValue>> readConnections(List<String> connectionIds) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        connectionIds.forEach(id -> keys.add(Map.of(CONNECTION_ID, string(id))));
        Map<String, KeysAndAttributes> request =
                Map.of(tables.connections(), KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
        for (int attempt = 1; !request.isEmpty(); attempt++) {
            Map<String, KeysAndAttributes> asked = request;
            BatchGetItemResponse response = dynamoDb.batchGetItem(r -> r.requestItems(asked));
            response.responses().getOrDefault(tables.connections(), List.of())
                    .forEach(item -> found.put(item.get(CONNECTION_ID).s(), item));
            request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            if (!request.isEmpty()) {
                if (attempt >= settings.transactionAttempts()) {
                    throw SdkClientException.create("connections still unread after " + attempt + " throttled reads");
                }
                backoff(attempt); // throttled: the rest again, a little later
            }
        }
        return found;
    }

    private TransactWriteItem closeConnection(String connectionId, String counter, Instant now) {
        return TransactWriteItem.builder()
                .put(p -> p.tableName(tables.connections())
                        .item(tombstone(connectionId, counter, now))
                        .conditionExpression("attribute_exists(#replica)")
                        .expressionAttributeNames(Map.of("#replica", REPLICA_ID)))
                .build();
    }

    private TransactWriteItem takeOffline(String counter, int sockets, Instant now) {
        return TransactWriteItem.builder()
                .update(u -> u.tableName(tables.counters())
                        .key(Map.of(NAME, string(counter)))
                        .updateExpression("ADD #online :minus SET #updatedAt = :now, " + CounterItems.BUMP_VERSION)
                        // never below zero, never re-creating a counter an operator deleted under open sockets
                        .conditionExpression("#online >= :sockets")
                        .expressionAttributeNames(Map.of(
                                "#online", Schema.ONLINE, "#version", Schema.VERSION, "#updatedAt", Schema.UPDATED_AT))
                        .expressionAttributeValues(withVersion(Map.of(":minus", number(-sockets),
                                ":sockets", number(sockets), ":now", string(now.toString())))))
                .build();
    }

    /** A closed connection: no replicaId (so the reaper's index never lists it), gone by TTL after a while. */
    private Map<String, AttributeValue> tombstone(String connectionId, String counter, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(CONNECTION_ID, string(connectionId));
        if (counter != null) {
            item.put(COUNTER, string(counter));
        }
        item.put(Schema.CLOSED_AT, string(now.toString()));
        item.put(EXPIRES_AT, number(now.plus(settings.tombstoneTtl()).getEpochSecond()));
        return item;
    }

    /** The counter as it is now (strongly consistent). */
    public CounterSnapshot read(String counter) {
        return CounterItems.toSnapshot(
                counter,
                dynamoDb.getItem(r -> r.tableName(tables.counters())
                                .key(Map.of(NAME, string(counter)))
                                .consistentRead(true))
                        .item());
    }

    private TransactWriteItem putConnection(String connectionId, ConnectRequest request, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(CONNECTION_ID, string(connectionId));
        item.put(COUNTER, string(request.counter()));
        item.put(REPLICA_ID, string(request.replicaId()));
        item.put(VISIT_ID, string(request.visitId()));
        item.put(CONNECTED_AT, string(now.toString()));
        item.put(EXPIRES_AT, number(now.plus(settings.connectionTtl()).getEpochSecond()));
        return TransactWriteItem.builder()
                .put(p -> p.tableName(tables.connections())
                        .item(item)
                        .conditionExpression("attribute_not_exists(#id)")
                        .expressionAttributeNames(Map.of("#id", CONNECTION_ID)))
                .build();
    }

    private Map<String, AttributeValue> visitItem(ConnectRequest request, Instant now) {
        return Map.of(
                CONNECTION_ID, string(Schema.visitKey(request.counter(), request.visitId())),
                COUNTER, string(request.counter()),
                EXPIRES_AT, number(now.plus(settings.visitWindow()).getEpochSecond()));
    }

    private TransactWriteItem firstVisit(ConnectRequest request, Instant now) {
        return TransactWriteItem.builder()
                .put(p -> p.tableName(tables.connections())
                        .item(visitItem(request, now))
                        .conditionExpression("attribute_not_exists(#id) OR #exp < :now")
                        .expressionAttributeNames(Map.of("#id", CONNECTION_ID, "#exp", EXPIRES_AT))
                        .expressionAttributeValues(Map.of(":now", number(now.getEpochSecond()))))
                .build();
    }

    private TransactWriteItem refreshVisit(ConnectRequest request, Instant now) {
        return TransactWriteItem.builder()
                .put(p -> p.tableName(tables.connections()).item(visitItem(request, now)))
                .build();
    }

    /**
     * The counter's {@code ADD} of a connect transaction. Visitors new today go into {@code uniqueToday}, which
     * counts one UTC day ({@code uniqueDay}): added to when it is today's, started again when it is an older day's,
     * under a condition saying which, so a batch that guessed wrong fails it and is written the other way. A
     * counter in use is renewed by its connects: only one nobody opens expires.
     */
    private TransactWriteItem addToCounter(
            String counter, int visits, int online, Instant now, long uniqueToday, UniqueVisitors.Batch day) {
        Map<String, String> names = new HashMap<>(Map.of("#online", Schema.ONLINE, "#version", Schema.VERSION,
                "#updatedAt", Schema.UPDATED_AT, "#expiresAt", EXPIRES_AT));
        Map<String, AttributeValue> values = withVersion(Map.of(":online", number(online),
                ":now", string(now.toString()), ":counterExpiresAt", number(lifecycle.expiresAt(now))));
        String adds = "#online :online";
        String sets = "#updatedAt = :now, #expiresAt = :counterExpiresAt, " + CounterItems.BUMP_VERSION;
        String condition = null;
        if (visits > 0) {
            adds = "#visits :visits, " + adds;
            names.put("#visits", Schema.VISITS);
            values.put(":visits", number(visits));
        }
        if (uniqueToday > 0) {
            names.put("#uniqueDay", Schema.UNIQUE_DAY);
            names.put("#uniqueToday", Schema.UNIQUE_TODAY);
            values.put(":today", string(day.day()));
            values.put(":uniques", number(uniqueToday));
            if (day.counterSameDay()) {
                adds += ", #uniqueToday :uniques";
                condition = "#uniqueDay = :today";
            } else {
                sets += ", #uniqueDay = :today, #uniqueToday = :uniques";
                condition = "attribute_not_exists(#uniqueDay) OR #uniqueDay < :today";
            }
        }
        String expression = "ADD " + adds + " SET " + sets;
        String check = condition;
        return TransactWriteItem.builder()
                .update(u -> u.tableName(tables.counters())
                        .key(Map.of(NAME, string(counter)))
                        .updateExpression(expression)
                        .conditionExpression(check)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values))
                .build();
    }

    /**
     * Runs a transaction. A condition failure is an answer: the indexes of the items whose condition failed (none
     * when it committed). A conflict with a concurrent transaction on the same counter is retried with jittered
     * backoff.
     */
    private Set<Integer> transact(List<TransactWriteItem> items) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamoDb.transactWriteItems(r -> r.transactItems(items));
                return Set.of();
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                if (reasons.stream().noneMatch(r -> CONFLICT.equals(r.code()))) {
                    Set<Integer> failed = new HashSet<>();
                    for (int i = 0; i < reasons.size(); i++) {
                        if (CONDITION_FAILED.equals(reasons.get(i).code())) {
                            failed.add(i);
                        }
                    }
                    if (failed.isEmpty()) {
                        throw e;
                    }
                    return failed;
                }
                if (attempt >= settings.transactionAttempts()) {
                    throw e;
                }
                LOG.debug("Transaction conflict, attempt {}", attempt);
                conflicts.increment();
                backoff(attempt);
            }
        }
    }

    private static void backoff(int attempt) {
        long cap = Math.min(200, 10L << Math.min(attempt, 5));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, cap + 1));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a transaction", interrupted);
        }
    }

    private static Map<String, AttributeValue> withVersion(Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.putAll(CounterItems.versionValues());
        return all;
    }

    private static AttributeValue string(String s) {
        return AttributeValue.fromS(s);
    }

    private static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }

}

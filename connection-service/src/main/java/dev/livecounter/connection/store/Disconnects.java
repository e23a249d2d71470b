package dev.livecounter.connection.store;

import static dev.livecounter.connection.store.ConnectionTable.CONNECTION_ID;
import static dev.livecounter.connection.store.ConnectionTable.COUNTER;
import static dev.livecounter.connection.store.ConnectionTable.REPLICA_ID;

import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.common.dynamodb.Transactions;
import dev.livecounter.common.model.DisconnectResult;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * {@code $disconnect}: replaces a connection with a tombstone (only if it is a live connection) and takes it off its
 * counter's online, in one transaction. The tombstone, kept for a while, is what makes the order of calls not
 * matter: a connect that was still under way when its socket's disconnect came (a slow or restarting
 * connection-service) finds it and counts nothing, where a plain delete would have let it register a socket that is
 * long gone. The broadcasters' closes, the reaper and the sweep of orphans all go this way.
 */
@Singleton
public final class Disconnects {

    private final DynamoDbClient dynamoDb;
    private final ConnectionItems connections;
    private final ConnectionReads reads;
    private final CounterStore counters;
    private final Transactions transactions;

    public Disconnects(DynamoDbClient dynamoDb, ConnectionItems connections, ConnectionReads reads, CounterStore counters,
            Transactions transactions) {
        this.dynamoDb = dynamoDb;
        this.connections = connections;
        this.reads = reads;
        this.counters = counters;
        this.transactions = transactions;
    }

    /** One socket's disconnect, on its own. */
    public DisconnectResult disconnect(String connectionId) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(connections.table())
                            .key(ConnectionTable.key(connectionId))
                            .consistentRead(true))
                    .item();
            if (item != null && !item.isEmpty() && !item.containsKey(REPLICA_ID)) {
                return new DisconnectResult(false, null); // already a tombstone
            }
            Instant now = Instant.now();
            if (item == null || item.isEmpty()) {
                try {
                    dynamoDb.putItem(r -> r.tableName(connections.table())
                            .item(connections.tombstone(connectionId, null, now))
                            .conditionExpression("attribute_not_exists(#id)")
                            .expressionAttributeNames(Map.of("#id", CONNECTION_ID)));
                    return new DisconnectResult(false, null);
                } catch (ConditionalCheckFailedException registeredMeanwhile) {
                    continue; // its connect just landed: take that off the count
                }
            }
            String counter = item.get(COUNTER).s();
            TransactWriteItem close = connections.closeConnection(connectionId, counter, now);
            Set<Integer> failed = transactions.write(List.of(close, takeOffline(counter, 1, now)));
            if (failed.contains(1) && !failed.contains(0)) {
                // its counter was deleted or reset under it (an operator): close it without going below zero
                return new DisconnectResult(transactions.write(List.of(close)).isEmpty(), counter);
            }
            return new DisconnectResult(!failed.contains(0), counter);
        }
        throw new IllegalStateException("connection " + connectionId + " kept changing while it was being closed");
    }

    /**
     * Several sockets' disconnects in one transaction: reads them all (strongly consistent), replaces each live one
     * with a tombstone (only if it is still live) and takes them off their counters' online, one {@code ADD} per
     * counter. A socket that is already a tombstone counts nothing; one that is not there (its connect still under
     * way, or never made) or that changed meanwhile goes the way of {@link #disconnect(String)} on its own, so one
     * call never changes another's outcome.
     *
     * @param connectionIds at most 49, all different
     * @return one result per connection id, in order
     */
    public List<DisconnectResult> disconnect(List<String> connectionIds) {
        Map<String, Map<String, AttributeValue>> items = reads.byIds(connectionIds);
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
                transaction.add(connections.closeConnection(id, counter, now));
                closing.merge(counter, 1, Integer::sum);
            }
            closing.forEach((counter, sockets) -> transaction.add(takeOffline(counter, sockets, now)));
            Set<Integer> failed = transactions.write(transaction);
            if (failed.isEmpty()) {
                live.forEach(id -> results.put(id, new DisconnectResult(true, items.get(id).get(COUNTER).s())));
                break;
            }
            // closed meanwhile (the reaper, a retried call), or a counter that would go below zero: each the single way
            List<String> counterOfItem = new ArrayList<>(closing.keySet());
            List<String> changed = new ArrayList<>();
            for (int item : failed) {
                if (item < live.size()) {
                    changed.add(live.get(item));
                } else {
                    String counter = counterOfItem.get(item - live.size());
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

    /** Takes sockets off a counter: never below zero, never re-creating a counter an operator deleted. */
    private TransactWriteItem takeOffline(String counter, int sockets, Instant now) {
        return counters.update(counter, now)
                .add(CounterTable.ONLINE, -sockets)
                .when("#online >= :sockets", Map.of(":sockets", AttributeValue.fromN(Integer.toString(sockets))))
                .transactItem();
    }
}

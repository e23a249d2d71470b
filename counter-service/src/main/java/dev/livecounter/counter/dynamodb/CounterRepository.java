package dev.livecounter.counter.dynamodb;

import dev.livecounter.common.counters.CounterItems;
import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.common.dynamodb.Transactions;
import dev.livecounter.common.model.CounterSnapshot;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** Reads counters and applies +/- atomically to counters that exist (a page's connect creates one). */
@Singleton
public record CounterRepository(
        DynamoDbClient dynamoDb, CounterStore counters, PressMarkers markers, CounterLives lives,
        Transactions transactions) {

    private static final int MARKERS_PER_TRANSACTION = 99;

    @Inject
    CounterRepository(DynamoDbClient dynamoDb, CounterStore counters, PressMarkers markers, CounterLives lives) {
        this(dynamoDb, counters, markers, lives,
                new Transactions(dynamoDb, Transactions.DEFAULT_ATTEMPTS, () -> { }));
    }

    /** The counter now (strongly consistent); zeros at version 0 for a counter nobody has touched. */
    public CounterSnapshot read(String counter) {
        return counters.read(counter);
    }
    /**
     * Applies presses to a counter: their sum in one transaction, then reads the counter after it (strongly
     * consistent). The transaction carries a client request token, so when the SDK retries a call whose first
     * attempt did land (a timeout while the database was slow), DynamoDB recognises it and does not add again:
     * a plain {@code UpdateItem ADD} would count such a press twice. A transaction that lost a race on the
     * counter item with another (a connect) was not applied and is tried again, with a new token.
     *
     * <p>A press with an id from the page also puts a marker item for that id in the same transaction, on condition
     * that none exists: a press the page sends again (its first answer timed out, but it was applied) fails that
     * condition, drops out as already applied, and the rest is written again. The token covers the SDK's retries
     * of one call; the marker covers the page's retries across calls, replicas and minutes.
     *
     * <p>A marker is of one life of the counter ({@link CounterLives}): the transaction holds the counter to the
     * life its markers name, so when the counter was deleted and made again meanwhile its condition fails, nothing
     * is written, and the presses are written once more in the new life, where an id used before counts again.
     *
     * @return the counter after the presses, once per press
     */
    public List<CounterSnapshot> add(String counter, List<Press> presses) {
        // one transaction holds at most 100 items: the counter and 99 markers
        for (int from = 0; from < presses.size(); ) {
            int to = from;
            int marked = 0;
            while (to < presses.size() && (presses.get(to).id() == null || marked < MARKERS_PER_TRANSACTION)) {
                marked += presses.get(to).id() == null ? 0 : 1;
                to++;
            }
            addOnce(counter, new ArrayList<>(presses.subList(from, to)));
            from = to;
        }
        return Collections.nCopies(presses.size(), read(counter));
    }

    private void addOnce(String counter, List<Press> presses) {
        String life = lives.of(counter);
        boolean lifeReread = false;
        while (!presses.isEmpty()) {
            Instant now = Instant.now();
            List<TransactWriteItem> items = new ArrayList<>(presses.size() + 1);
            // a press renews the counter's expiry: one in use is never deleted by the TTL; a counter is made by its
            // first page's connect (within the budget of new ones), never by a press: a press on any name would
            // otherwise create counters without end
            items.add(counters.update(counter, now)
                    .add(CounterTable.VALUE, presses.stream().mapToLong(Press::delta).sum())
                    .set(CounterTable.EXPIRES_AT, counters.expiresAt(now))
                    .name(CounterTable.NAME)
                    .when("attribute_exists(#name) AND #life = :life", Map.of(":life", AttributeValue.fromN(life)))
                    .transactItem());
            List<Press> marked = new ArrayList<>();
            for (Press press : presses) {
                if (press.id() != null) {
                    items.add(markers.marker(counter, life, press.id(), now));
                    marked.add(press);
                }
            }
            Set<Integer> failed = transactions.write(items, true);
            if (failed.isEmpty()) {
                return;
            }
            if (failed.contains(0)) {
                // gone, or made again since its life was read: nothing was written; once more in the life it has now
                lives.forget(counter, life);
                if (lifeReread) {
                    throw new NoSuchCounter(counter);
                }
                life = lives.of(counter);
                lifeReread = true;
                continue;
            }
            // applied before: answered with the counter, not added again; the rest is written again
            failed.forEach(item -> presses.remove(marked.get(item - 1)));
        }
    }

    /**
     * One page of counters. {@code after} is the last name of the previous page (null for the first).
     *
     * @return the page and the name to continue after, null when there is no more
     */
    public Page list(String after, int limit) {
        ScanResponse response = dynamoDb.scan(r -> {
            r.tableName(counters.table()).limit(limit);
            if (after != null) {
                r.exclusiveStartKey(CounterTable.key(after));
            }
        });
        List<CounterSnapshot> counters = new ArrayList<>(response.count());
        for (Map<String, AttributeValue> item : response.items()) {
            counters.add(CounterItems.toSnapshot(item));
        }
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey().get(CounterTable.NAME).s()
                : null;
        return new Page(counters, next);
    }

    /** A page of {@link #list}. */
    public record Page(List<CounterSnapshot> counters, String next) {}
}

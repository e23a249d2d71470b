package dev.livecounter.counter.presses;

import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.common.dynamodb.TableSettings;
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
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Applies presses to a counter that exists, exactly once each (a page's connect creates a counter, never a press):
 * the counter's {@code ADD} and the press markers ({@link PressTable}) in one transaction.
 */
@Singleton
public final class PressTransaction {

    private static final int MARKERS_PER_TRANSACTION = 99;

    private final CounterStore counters;
    /** The presses table's name. */
    private final String pressTable;
    private final CounterLives lives;
    private final Transactions transactions;

    @Inject
    PressTransaction(DynamoDbClient dynamoDb, CounterStore counters, TableSettings tables, CounterLives lives) {
        this(counters, tables, lives, new Transactions(dynamoDb, Transactions.DEFAULT_ATTEMPTS, () -> { }));
    }

    /** Presses written through {@code transactions} (a test's, with its own conflicts). */
    public PressTransaction(CounterStore counters, TableSettings tables, CounterLives lives, Transactions transactions) {
        this.counters = counters;
        this.pressTable = tables.presses();
        this.lives = lives;
        this.transactions = transactions;
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
        return Collections.nCopies(presses.size(), counters.read(counter));
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
                    items.add(PressTable.marker(pressTable, counter, life, press.id(), now));
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
}

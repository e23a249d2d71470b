package dev.livecounter.connection.connect;

import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.counters.CounterTable;
import dev.livecounter.common.counters.CounterUpdate;
import dev.livecounter.common.dynamodb.Transactions;
import dev.livecounter.common.model.ConnectRequest;
import dev.livecounter.common.model.Resolution;
import dev.livecounter.connection.history.HistoryItems;
import dev.livecounter.connection.history.UniqueVisitors;
import dev.livecounter.connection.store.ConnectionItems;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * {@code $connect} of sockets of one counter, in one transaction: puts each connection (only if absent) and its
 * page load's visit marker, and adds to the counter once: online + the connections put, visits + the visit ids not
 * seen within the window. A call whose connection id is already known (a retried call, or a socket whose disconnect
 * came first) counts nothing; a call whose visit id was seen is a reconnect: it counts online and refreshes the
 * window. Every failed condition is an answer for that one call, and the transaction is written again without it,
 * so one call never changes another's outcome. The same transaction adds the new visits to the counter's minute,
 * hour and day buckets ({@link HistoryItems}) and writes the markers of visitors new to a bucket
 * ({@link UniqueVisitors}), so the history is exact by construction.
 */
@Singleton
public final class ConnectTransaction {

    /** DynamoDB's limit of items in one transaction. */
    public static final int MAX_ITEMS = 100;
    /** The most a batch's connects may weigh ({@link ConnectCall#items()}): the rest is the counter and the buckets. */
    public static final int MAX_CALL_ITEMS = MAX_ITEMS - 1 - HistoryItems.BUCKET_ITEMS;
    /** Rounds of one transaction whose conditions failed; each failure settles a call, so a batch needs few. */
    private static final int MAX_ROUNDS = 200;

    private final ConnectionItems connections;
    private final CounterStore counters;
    private final Transactions transactions;
    private final HistoryItems history;
    private final UniqueVisitors uniqueVisitors;

    public ConnectTransaction(ConnectionItems connections, CounterStore counters, Transactions transactions,
            HistoryItems history, UniqueVisitors uniqueVisitors) {
        this.connections = connections;
        this.counters = counters;
        this.transactions = transactions;
        this.history = history;
        this.uniqueVisitors = uniqueVisitors;
    }

    /**
     * What a connect came to.
     *
     * @param registered false when the connection id was already known: nothing was counted
     * @param newVisit   whether it counted a visit
     */
    public record Outcome(boolean registered, boolean newVisit) {}

    /**
     * Writes the connects; the counter after them is the caller's to read ({@link FreshReads}), so that the next
     * transaction of the counter need not wait for that read.
     *
     * @param calls no two with the same connection id, visit id or visitor id (a transaction cannot write one item
     *              twice), weighing at most {@link #MAX_CALL_ITEMS} together: one transaction ({@link ConnectionBatcher}
     *              makes its batches so)
     * @return one outcome per call, in order
     */
    public List<Outcome> connect(String counter, List<ConnectCall> calls) {
        int n = calls.size();
        if (calls.stream().mapToInt(ConnectCall::items).sum() > MAX_CALL_ITEMS) {
            throw new IllegalArgumentException(n + " connects do not fit one transaction");
        }
        boolean[] registered = new boolean[n];
        boolean[] newVisit = new boolean[n];
        Arrays.fill(registered, true);
        Arrays.fill(newVisit, true);
        connectTogether(counter, calls, registered, newVisit, Instant.now());
        List<Outcome> outcomes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            outcomes.add(new Outcome(registered[i], registered[i] && newVisit[i]));
        }
        return outcomes;
    }

    /** What an item of a connect transaction is, so that its failed condition is answered the right way. */
    private enum Part { CONNECTION, VISIT, VISITOR, COUNTER, BUCKET }

    /** One transaction (and its retries) of {@code calls}, answered into {@code registered}/{@code newVisit}. */
    private void connectTogether(String counter, List<ConnectCall> calls, boolean[] registered, boolean[] newVisit,
            Instant now) {
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
                if (!registered[i]) {
                    continue;
                }
                ConnectRequest request = calls.get(i).request();
                boolean visit = newVisit[i];
                items.add(connections.putConnection(calls.get(i).connectionId(), request, now));
                items.add(visit ? connections.firstVisit(request, now) : connections.refreshVisit(request, now));
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
            long[] uniques = visitors.uniques(i -> registered[i] && newVisit[i]);
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
            if (Instant.now().isAfter(now.plus(HistoryItems.WRITTEN_WITHIN))) {
                // its buckets are of `now`: written later, they would change a bucket the history reads as final
                throw new IllegalStateException("connects to " + counter + " still unwritten "
                        + HistoryItems.WRITTEN_WITHIN + " after they began: given up");
            }
            Set<Integer> failed = transactions.write(items);
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
                    case CONNECTION -> registered[call] = false; // the connection id is known: count nothing
                    case VISIT -> newVisit[call] = false; // the page load was seen within the window: a reconnect
                    case VISITOR -> visitors.markFailed(call); // another visit of the visitor came first
                    case COUNTER -> visitors.counterDayWrong(); // the counter's uniqueToday is of another day
                    case BUCKET -> throw new IllegalStateException("a bucket update has no condition");
                }
            }
        }
    }

    /**
     * The counter's {@code ADD} of a connect transaction. Visitors new today go into {@code uniqueToday}, which
     * counts one UTC day ({@code uniqueDay}): added to when it is today's, started again when it is an older day's,
     * under a condition saying which, so a batch that guessed wrong fails it and is written the other way. A
     * counter in use is renewed by its connects: only one nobody opens expires.
     */
    private TransactWriteItem addToCounter(
            String counter, int visits, int online, Instant now, long uniqueToday, UniqueVisitors.Batch day) {
        CounterUpdate update = counters.update(counter, now)
                .add(CounterTable.ONLINE, online)
                .set(CounterTable.EXPIRES_AT, counters.expiresAt(now));
        if (visits > 0) {
            update.add(CounterTable.VISITS, visits);
        }
        if (uniqueToday > 0) {
            AttributeValue today = AttributeValue.fromS(day.day());
            if (day.counterSameDay()) {
                update.add(CounterTable.UNIQUE_TODAY, uniqueToday)
                        .name(CounterTable.UNIQUE_DAY)
                        .when("#uniqueDay = :today", Map.of(":today", today));
            } else {
                update.set(CounterTable.UNIQUE_DAY, today)
                        .set(CounterTable.UNIQUE_TODAY, uniqueToday)
                        .when("attribute_not_exists(#uniqueDay) OR #uniqueDay < :uniqueDay", Map.of());
            }
        }
        return update.transactItem();
    }
}

package dev.livecounter.connection.lifecycle;

import dev.livecounter.common.counters.CounterLifecycleSettings;
import dev.livecounter.common.counters.CounterPolicy;
import dev.livecounter.common.counters.CounterStore;
import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.dynamodb.Transactions;
import dev.livecounter.connection.store.ConnectionTable;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Decides, before the first connect of a counter is written, whether that connect may create it
 * ({@link CounterLifecycleSettings#newPerMinute()}). A counter this instance has seen exist costs nothing; for any
 * other name the counters item is read once, and a name that is not a counter takes one from the minute's budget:
 * an item {@code names#<minute>} in the connections table whose {@code created} is added to only while below the
 * budget, so every connection-service instance draws on the same one. One client address may take only its share
 * ({@link CounterLifecycleSettings#newPerMinutePerAddress()}): an item {@code names#<minute>#<address key>} is added
 * to in the same transaction, so a stranger past its share takes nothing from anyone else's. Called from the connect
 * lane of the counter, so one counter's first connects do not race each other for it.
 */
@Singleton
public class NewCounterBudget {

    private static final int KNOWN_MAX = 10_000;

    private final Transactions transactions;
    private final TableSettings tables;
    private final CounterPolicy policy;
    private final CounterStore counters;
    private final int perMinute;
    private final int perAddress;
    /** Counters seen to exist, most recently used last; bounded, a name forgotten is only read again. */
    private final Set<String> known = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<String, Boolean>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > KNOWN_MAX;
                }
            }));

    NewCounterBudget(Transactions transactions, TableSettings tables, CounterPolicy policy, CounterStore counters,
            CounterLifecycleSettings settings) {
        this.counters = counters;
        this.transactions = transactions;
        this.tables = tables;
        this.policy = policy;
        this.perMinute = settings.newPerMinute();
        this.perAddress = settings.newPerMinutePerAddress();
    }

    /**
     * Lets the connects of a counter through, or refuses them before anything is written. The counter is created
     * on the share of the first of {@code sources} (the connects' address keys, in arrival order) that has one left.
     *
     * @throws NewCounterRefused when the counter does not exist and this minute's new counters are used up, for the
     *                           install or for every address that asks
     */
    public void admit(String counter, Collection<String> sources) {
        if (perMinute == 0 || policy.hasAllowList() || known.contains(counter)) {
            return;
        }
        if (counters.exists(counter)) {
            known.add(counter);
            return;
        }
        long minute = Instant.now().getEpochSecond() / 60;
        Taken last = Taken.INSTALL_USED_UP;
        // a null key (an older broadcaster's connect) draws on the install's budget alone
        for (String source : new LinkedHashSet<>(sources)) {
            last = take(minute, perAddress == 0 ? null : source);
            if (last == Taken.YES) {
                known.add(counter);
                return;
            }
            if (last == Taken.INSTALL_USED_UP) {
                break;
            }
        }
        throw new NewCounterRefused(last == Taken.ADDRESS_USED_UP
                ? "too many new counters from your address: at most " + perAddress + " a minute; counters that exist"
                        + " are served"
                : "too many new counters: at most " + perMinute + " may be created a minute; counters that exist are"
                        + " served");
    }

    private enum Taken { YES, INSTALL_USED_UP, ADDRESS_USED_UP }

    /** One from this minute's budget, over all instances, and from the address's share when it has a key. */
    private Taken take(long minute, @Nullable String source) {
        List<TransactWriteItem> draws = new ArrayList<>(2);
        draws.add(draw(ConnectionTable.budgetKey(minute, null), perMinute, minute));
        if (source != null) {
            draws.add(draw(ConnectionTable.budgetKey(minute, source), perAddress, minute));
        }
        Set<Integer> failed = transactions.write(draws);
        if (failed.contains(0)) {
            return Taken.INSTALL_USED_UP;
        }
        return failed.isEmpty() ? Taken.YES : Taken.ADDRESS_USED_UP;
    }

    /** An {@code ADD created 1} on a budget item, only while it is below {@code cap}. */
    private TransactWriteItem draw(String key, int cap, long minute) {
        return TransactWriteItem.builder().update(u -> u.tableName(tables.connections())
                .key(ConnectionTable.key(key))
                .updateExpression("ADD #created :one SET #expiresAt = :expiresAt")
                .conditionExpression("attribute_not_exists(#created) OR #created < :cap")
                .expressionAttributeNames(Map.of("#created", ConnectionTable.CREATED, "#expiresAt", ConnectionTable.EXPIRES_AT))
                .expressionAttributeValues(Map.of(
                        ":one", AttributeValue.fromN("1"),
                        ":cap", AttributeValue.fromN(Integer.toString(cap)),
                        // kept a little past its minute, then left to the TTL
                        ":expiresAt", AttributeValue.fromN(Long.toString((minute + 10) * 60)))))
                .build();
    }
}

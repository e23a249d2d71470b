package dev.livecounter.common.dynamodb;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Runs DynamoDB transactions the one way this application does: a failed condition is an answer (which items
 * failed it), a conflict with a concurrent transaction on the same item (every write of a counter touches its
 * item) is tried again after a jittered, growing pause, up to a number of attempts.
 */
public final class Transactions {

    /** Attempts of a transaction that keeps losing races, where no setting says otherwise. */
    public static final int DEFAULT_ATTEMPTS = 8;

    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final String CONFLICT = "TransactionConflict";

    private final DynamoDbClient dynamoDb;
    private final int attempts;
    private final Runnable onConflict;

    /**
     * @param attempts   attempts including the first, of a transaction that conflicts
     * @param onConflict told of every conflict that is retried (a metric)
     */
    public Transactions(DynamoDbClient dynamoDb, int attempts, Runnable onConflict) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.dynamoDb = dynamoDb;
        this.attempts = attempts;
        this.onConflict = onConflict;
    }

    /** A put of {@code item} that fails its condition (and so the transaction) when an item with its key exists. */
    public static TransactWriteItem putNew(String table, Map<String, AttributeValue> item, String partitionKey) {
        return TransactWriteItem.builder()
                .put(p -> p.tableName(table)
                        .item(item)
                        .conditionExpression("attribute_not_exists(#key)")
                        .expressionAttributeNames(Map.of("#key", partitionKey)))
                .build();
    }

    /**
     * Writes the items in one transaction.
     *
     * @param idempotent give each attempt a client request token, so that the SDK's own retry of an attempt that
     *                   did land (a timeout while the database was slow) is recognised and not applied twice: for
     *                   writes no condition guards against a repeat (an {@code ADD} of presses)
     * @return the indexes of the items whose condition failed, none when it committed
     * @throws TransactionCanceledException cancelled for another reason, or still conflicting after the last attempt
     */
    public Set<Integer> write(List<TransactWriteItem> items,
            boolean idempotent) {
        for (int attempt = 1; ; attempt++) {
            try {
                String token = idempotent ? UUID.randomUUID().toString() : null;
                dynamoDb.transactWriteItems(r -> r.transactItems(items).clientRequestToken(token));
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
                if (attempt >= attempts) {
                    throw e;
                }
                onConflict.run();
                backoff(attempt);
            }
        }
    }

    /** Writes the items in one transaction (no request token): see {@link #write(List, boolean)}. */
    public Set<Integer> write(List<TransactWriteItem> items) {
        return write(items, false);
    }

    /** The pause before attempt {@code attempt + 1} of a call that lost a race or was throttled: jittered, growing. */
    public static void backoff(int attempt) {
        long cap = Math.min(200, 10L << Math.min(attempt, 5));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, cap + 1));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a DynamoDB call", interrupted);
        }
    }
}

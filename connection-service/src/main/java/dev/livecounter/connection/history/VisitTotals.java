package dev.livecounter.connection.history;

import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.model.Resolution;
import jakarta.inject.Singleton;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The visits a counter's history holds: the sum of its day buckets (kept for good), for the reconciler's check. */
@Singleton
public final class VisitTotals {

    private final DynamoDbClient dynamoDb;
    private final TableSettings tables;

    public VisitTotals(DynamoDbClient dynamoDb, TableSettings tables) {
        this.dynamoDb = dynamoDb;
        this.tables = tables;
    }

    /** The visits of every day bucket of the counter (strongly consistent; one query of one partition). */
    public long ofAllDays(String counter) {
        long total = 0;
        for (Map<String, AttributeValue> bucket : dynamoDb.queryPaginator(r -> r.tableName(tables.history())
                        .keyConditionExpression("#series = :series")
                        .projectionExpression("#visits")
                        .expressionAttributeNames(Map.of("#series", HistoryTable.SERIES, "#visits", HistoryTable.VISITS))
                        .expressionAttributeValues(Map.of(
                                ":series", AttributeValue.fromS(HistoryTable.series(counter, Resolution.DAY))))
                        .consistentRead(true))
                .items()) {
            AttributeValue visits = bucket.get(HistoryTable.VISITS);
            total += visits == null ? 0 : Long.parseLong(visits.n());
        }
        return total;
    }
}

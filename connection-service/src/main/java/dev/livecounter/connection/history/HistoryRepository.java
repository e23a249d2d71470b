package dev.livecounter.connection.history;

import dev.livecounter.common.dynamodb.TableSettings;
import dev.livecounter.common.model.History;
import dev.livecounter.common.model.HistoryQuery;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Reads a counter's buckets of one resolution over a range: one query of one partition, in time order. */
@Singleton
public record HistoryRepository(DynamoDbClient dynamoDb, TableSettings tables) {

    /** Every bucket of the range, those nobody visited in as zeros (strongly consistent). */
    public History read(String counter, HistoryQuery query) {
        Map<String, Map<String, AttributeValue>> found = new HashMap<>();
        Map<String, AttributeValue> startKey = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder()
                    .tableName(tables.history())
                    .keyConditionExpression("#series = :series AND #start BETWEEN :first AND :last")
                    .expressionAttributeNames(Map.of("#series", HistoryTable.SERIES, "#start", HistoryTable.START))
                    .expressionAttributeValues(Map.of(
                            ":series", AttributeValue.fromS(HistoryTable.series(counter, query.resolution())),
                            ":first", AttributeValue.fromS(HistoryTable.start(query.first())),
                            ":last", AttributeValue.fromS(HistoryTable.start(query.last()))))
                    .consistentRead(true);
            if (startKey != null) {
                request.exclusiveStartKey(startKey);
            }
            QueryResponse response = dynamoDb.query(request.build());
            response.items().forEach(item -> found.put(item.get(HistoryTable.START).s(), item));
            startKey = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                    ? response.lastEvaluatedKey()
                    : null;
        } while (startKey != null);
        List<History.Bucket> buckets = new ArrayList<>();
        for (Instant start : query.starts()) {
            String key = HistoryTable.start(start);
            Map<String, AttributeValue> item = found.get(key);
            buckets.add(new History.Bucket(key, number(item, HistoryTable.VISITS), number(item, HistoryTable.UNIQUE_VISITORS)));
        }
        return new History(counter, query.resolution().id(), buckets);
    }

    private static long number(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item == null ? null : item.get(attribute);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
}

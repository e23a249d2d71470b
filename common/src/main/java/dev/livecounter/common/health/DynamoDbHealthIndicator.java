package dev.livecounter.common.health;

import dev.livecounter.common.dynamodb.TableSettings;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Whether this service can reach its tables: a DescribeTable of the counters table with a short timeout.
 * Part of readiness, not liveness: a database outage should take no pod out of service by restarting it.
 */
@Singleton
@Readiness
public class DynamoDbHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final DynamoDbClient dynamoDb;
    private final TableSettings tables;

    DynamoDbHealthIndicator(DynamoDbClient dynamoDb, TableSettings tables) {
        this.dynamoDb = dynamoDb;
        this.tables = tables;
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("table", tables.counters());
        try {
            String status = dynamoDb.describeTable(r -> r.tableName(tables.counters())
                            .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(2))))
                    .table()
                    .tableStatusAsString();
            details.put("tableStatus", status);
            healthStatus = HealthStatus.UP;
        } catch (RuntimeException e) {
            details.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            healthStatus = HealthStatus.DOWN;
        }
        return details;
    }

    @Override
    protected String getName() {
        return "dynamodb";
    }
}

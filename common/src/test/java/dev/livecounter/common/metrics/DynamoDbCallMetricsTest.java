package dev.livecounter.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** A DynamoDB call is timed by operation and outcome, on the client every service gets. */
class DynamoDbCallMetricsTest {

    @Test
    void aCallToNoDatabaseIsTimedAsUnavailableByItsOperation() {
        MeterRegistry meters = new SimpleMeterRegistry();
        try (ApplicationContext context = ApplicationContext.builder()
                .properties(Map.of(
                        "aws.region", "us-east-1",
                        "aws.services.dynamodb.endpoint-override", "http://127.0.0.1:1",
                        "livecounter.dynamodb.max-attempts", "1"))
                .singletons(meters)
                .start()) {
            DynamoDbClient dynamoDb = context.getBean(DynamoDbClient.class);
            assertThrows(SdkException.class, () -> dynamoDb.listTables(r -> r.limit(1)));
        }
        assertEquals(1, meters.get(MetricNames.DYNAMODB_CALLS)
                .tag(MetricNames.OPERATION, "ListTables")
                .tag(MetricNames.OUTCOME, MetricNames.UNAVAILABLE)
                .timer()
                .count());
    }

    @Test
    void failuresAreToldApartByWhatTheyMeanToAnOperator() {
        assertEquals("throttled", DynamoDbCallMetrics.outcome(ProvisionedThroughputExceededException.builder()
                .statusCode(400)
                .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                        .errorCode("ProvisionedThroughputExceededException")
                        .build())
                .build()));
        assertEquals("condition", DynamoDbCallMetrics.outcome(ConditionalCheckFailedException.builder().build()));
        assertEquals("conflict", DynamoDbCallMetrics.outcome(TransactionCanceledException.builder()
                .cancellationReasons(CancellationReason.builder().code("None").build(),
                        CancellationReason.builder().code("TransactionConflict").build())
                .build()));
        assertEquals("condition", DynamoDbCallMetrics.outcome(TransactionCanceledException.builder()
                .cancellationReasons(CancellationReason.builder().code("ConditionalCheckFailed").build())
                .build()));
        assertEquals(MetricNames.UNAVAILABLE, DynamoDbCallMetrics.outcome(SdkException.create("timeout", null)));
    }
}

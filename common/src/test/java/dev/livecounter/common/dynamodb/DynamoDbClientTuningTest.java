package dev.livecounter.common.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Both DynamoDB clients a service gets carry the timeouts and retries of its settings. */
class DynamoDbClientTuningTest {

    @Test
    void theSyncAndTheAsyncClientAreTunedFromTheSettings() {
        try (ApplicationContext context = ApplicationContext.builder()
                .properties(Map.of(
                        "aws.region", "us-east-1",
                        "livecounter.dynamodb.api-call-timeout", "7s",
                        "livecounter.dynamodb.api-call-attempt-timeout", "2s",
                        "livecounter.dynamodb.max-attempts", "5"))
                .start()) {
            ClientOverrideConfiguration sync = context.getBean(DynamoDbClient.class)
                    .serviceClientConfiguration().overrideConfiguration();
            ClientOverrideConfiguration async = context.getBean(DynamoDbAsyncClient.class)
                    .serviceClientConfiguration().overrideConfiguration();
            for (ClientOverrideConfiguration tuned : new ClientOverrideConfiguration[] {sync, async}) {
                assertEquals(Optional.of(Duration.ofSeconds(7)), tuned.apiCallTimeout());
                assertEquals(Optional.of(Duration.ofSeconds(2)), tuned.apiCallAttemptTimeout());
                assertEquals(5, tuned.retryStrategy().orElseThrow().maxAttempts());
            }
        }
    }
}

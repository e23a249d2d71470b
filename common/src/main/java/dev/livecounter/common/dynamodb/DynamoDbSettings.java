package dev.livecounter.common.dynamodb;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * How long a DynamoDB call may take and how often it is retried. The endpoint and region are the
 * micronaut-aws settings {@code aws.services.dynamodb.endpoint-override} and {@code aws.region}.
 *
 * @param apiCallTimeout        whole call including retries (default 3s)
 * @param apiCallAttemptTimeout one attempt (default 1s)
 * @param maxAttempts           attempts including the first, with backoff and jitter in between (default 4)
 */
@ConfigurationProperties("livecounter.dynamodb")
public record DynamoDbSettings(
        @Bindable(defaultValue = "3s") @NotNull Duration apiCallTimeout,
        @Bindable(defaultValue = "1s") @NotNull Duration apiCallAttemptTimeout,
        @Bindable(defaultValue = "4") @Min(1) @Max(20) int maxAttempts) {}

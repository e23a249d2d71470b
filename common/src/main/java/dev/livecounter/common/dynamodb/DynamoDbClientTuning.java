package dev.livecounter.common.dynamodb;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbBaseClientBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Puts bounded timeouts and retries with backoff on the DynamoDB clients micronaut-aws builds, so a slow
 * or absent database gives a prompt error instead of a hung socket or request.
 */
public final class DynamoDbClientTuning {

    private DynamoDbClientTuning() {}

    /** The override every DynamoDB client of ours gets. */
    public static ClientOverrideConfiguration overrides(DynamoDbSettings settings) {
        return ClientOverrideConfiguration.builder()
                .apiCallTimeout(settings.apiCallTimeout())
                .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(settings.maxAttempts())
                        .build())
                .build();
    }

    private static <B extends DynamoDbBaseClientBuilder<B, ?>> B tune(B builder, DynamoDbSettings settings) {
        return builder.overrideConfiguration(overrides(settings));
    }

    @Singleton
    static final class Sync implements BeanCreatedEventListener<DynamoDbClientBuilder> {
        private final DynamoDbSettings settings;

        Sync(DynamoDbSettings settings) {
            this.settings = settings;
        }

        @Override
        public DynamoDbClientBuilder onCreated(BeanCreatedEvent<DynamoDbClientBuilder> event) {
            return tune(event.getBean(), settings);
        }
    }

    @Singleton
    static final class Async implements BeanCreatedEventListener<DynamoDbAsyncClientBuilder> {
        private final DynamoDbSettings settings;

        Async(DynamoDbSettings settings) {
            this.settings = settings;
        }

        @Override
        public DynamoDbAsyncClientBuilder onCreated(BeanCreatedEvent<DynamoDbAsyncClientBuilder> event) {
            return tune(event.getBean(), settings);
        }
    }
}

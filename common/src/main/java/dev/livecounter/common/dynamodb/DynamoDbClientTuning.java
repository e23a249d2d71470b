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

    /** Tunes each client builder of type {@code B} as micronaut-aws creates it. */
    private abstract static class Tuner<B extends DynamoDbBaseClientBuilder<B, ?>> implements BeanCreatedEventListener<B> {
        private final DynamoDbSettings settings;

        Tuner(DynamoDbSettings settings) {
            this.settings = settings;
        }

        @Override
        public B onCreated(BeanCreatedEvent<B> event) {
            return event.getBean().overrideConfiguration(overrides(settings));
        }
    }

    @Singleton
    static final class Sync extends Tuner<DynamoDbClientBuilder> {
        Sync(DynamoDbSettings settings) {
            super(settings);
        }
    }

    @Singleton
    static final class Async extends Tuner<DynamoDbAsyncClientBuilder> {
        Async(DynamoDbSettings settings) {
            super(settings);
        }
    }
}

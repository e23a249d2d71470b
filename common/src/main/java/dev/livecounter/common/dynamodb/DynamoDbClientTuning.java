package dev.livecounter.common.dynamodb;

import dev.livecounter.common.metrics.DynamoDbCallMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanProvider;
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
 * or absent database gives a prompt error instead of a hung socket or request; and, where the service has a
 * meter registry, times every call ({@link DynamoDbCallMetrics}).
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
        private final BeanProvider<MeterRegistry> meters;

        Tuner(DynamoDbSettings settings, BeanProvider<MeterRegistry> meters) {
            this.settings = settings;
            this.meters = meters;
        }

        @Override
        public B onCreated(BeanCreatedEvent<B> event) {
            ClientOverrideConfiguration tuned = overrides(settings);
            if (meters.isPresent()) {
                tuned = tuned.toBuilder()
                        .addExecutionInterceptor(new DynamoDbCallMetrics(meters.get()))
                        .build();
            }
            return event.getBean().overrideConfiguration(tuned);
        }
    }

    @Singleton
    static final class Sync extends Tuner<DynamoDbClientBuilder> {
        Sync(DynamoDbSettings settings, BeanProvider<MeterRegistry> meters) {
            super(settings, meters);
        }
    }

    @Singleton
    static final class Async extends Tuner<DynamoDbAsyncClientBuilder> {
        Async(DynamoDbSettings settings, BeanProvider<MeterRegistry> meters) {
            super(settings, meters);
        }
    }
}

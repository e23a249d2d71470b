package dev.livecounter.connection.store;

import dev.livecounter.common.dynamodb.Transactions;
import dev.livecounter.connection.config.ConnectionSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The transactions of connects and disconnects, retried on conflicts as the settings say, conflicts counted. */
@Factory
class TransactionsFactory {

    @Singleton
    Transactions transactions(DynamoDbClient dynamoDb, ConnectionSettings settings, MeterRegistry meters) {
        Counter conflicts = meters.counter("livecounter.transaction.conflicts.retried");
        return new Transactions(dynamoDb, settings.transactionAttempts(), conflicts::increment);
    }
}

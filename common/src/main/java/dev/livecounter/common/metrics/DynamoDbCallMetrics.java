package dev.livecounter.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Times every DynamoDB call of a client (retries included) as {@link MetricNames#DYNAMODB_CALLS}, tagged by the
 * operation and how it ended: ok, condition (a failed condition: an answer, not a fault), conflict (a transaction
 * lost a race), throttled, unavailable (no answer: a timeout, a refused connection, a 5xx) or error.
 */
public final class DynamoDbCallMetrics implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("livecounter.startedNanos");

    private final MeterRegistry meters;
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

    public DynamoDbCallMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(attributes, MetricNames.OK);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(attributes, outcome(context.exception()));
    }

    /** How a failed call ended, as the {@code outcome} tag says it. */
    static String outcome(Throwable failure) {
        if (failure instanceof TransactionCanceledException canceled && canceled.hasCancellationReasons()) {
            boolean conflict = false;
            for (CancellationReason reason : canceled.cancellationReasons()) {
                conflict |= "TransactionConflict".equals(reason.code());
                if ("ConditionalCheckFailed".equals(reason.code())) {
                    return "condition";
                }
            }
            return conflict ? "conflict" : "error";
        }
        if (failure instanceof ConditionalCheckFailedException) {
            return "condition";
        }
        if (failure instanceof AwsServiceException service) {
            if (service.isThrottlingException()) {
                return "throttled";
            }
            return service.statusCode() >= 500 ? MetricNames.UNAVAILABLE : "error";
        }
        // no answer from the service: a timeout, a refused or reset connection
        return MetricNames.UNAVAILABLE;
    }

    private void record(ExecutionAttributes attributes, String outcome) {
        Long started = attributes.getAttribute(STARTED);
        if (started == null) {
            return;
        }
        String operation = String.valueOf(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        timers.computeIfAbsent(operation + ' ' + outcome, key -> Timer.builder(MetricNames.DYNAMODB_CALLS)
                        .description("DynamoDB calls, retries included, by operation and outcome")
                        .tag(MetricNames.OPERATION, operation)
                        .tag(MetricNames.OUTCOME, outcome)
                        .serviceLevelObjectives(MetricNames.DYNAMODB_BUCKETS)
                        .register(meters))
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
}

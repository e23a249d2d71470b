package dev.livecounter.broadcaster.metrics;

import dev.livecounter.common.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;

/**
 * Connects, disconnects and presses by outcome ({@link MetricNames#OUTCOME}: ok, refused, unavailable, limit), every
 * outcome registered at start, so a rate of one that never happened is 0, not a missing series.
 */
@Singleton
public final class Outcomes {

    private static final String[] ALL = {MetricNames.OK, MetricNames.REFUSED, MetricNames.UNAVAILABLE, MetricNames.LIMIT};

    private final Map<String, Counter> connects;
    private final Map<String, Counter> disconnects;
    private final Map<String, Counter> presses;
    private final Counter visits;

    public Outcomes(MeterRegistry meters) {
        connects = register(meters, MetricNames.CONNECTS, "socket connects (upgrade and registration)");
        disconnects = register(meters, MetricNames.DISCONNECTS, "closed sockets' deregistration calls");
        presses = register(meters, MetricNames.PRESSES, "presses forwarded to counter-service");
        visits = Counter.builder(MetricNames.VISITS)
                .description("connects that counted a visit (a page load, not a reconnect)")
                .register(meters);
    }

    public void connect(String outcome) {
        connects.get(outcome).increment();
    }

    /** A connect counted a visit. */
    public void visit() {
        visits.increment();
    }

    public void disconnect(String outcome) {
        disconnects.get(outcome).increment();
    }

    public void press(String outcome) {
        presses.get(outcome).increment();
    }

    private static Map<String, Counter> register(MeterRegistry meters, String name, String description) {
        Map<String, Counter> byOutcome = new HashMap<>();
        for (String outcome : ALL) {
            byOutcome.put(outcome, Counter.builder(name)
                    .description(description + ", by outcome")
                    .tag(MetricNames.OUTCOME, outcome)
                    .register(meters));
        }
        return Map.copyOf(byOutcome);
    }
}

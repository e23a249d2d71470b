package dev.livecounter.broadcaster.session;

import dev.livecounter.broadcaster.client.CounterServiceClient;
import dev.livecounter.broadcaster.client.Failover;
import dev.livecounter.broadcaster.fanout.PeerFanout;
import dev.livecounter.broadcaster.metrics.Outcomes;
import dev.livecounter.broadcaster.protocol.ClientMessage;
import dev.livecounter.common.metrics.MetricNames;
import dev.livecounter.common.model.CounterSnapshot;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Forwards a page's press to counter-service, and the counter as the write left it to every page of it. */
@Singleton
public final class Presses {

    private static final Logger LOG = LoggerFactory.getLogger(Presses.class);

    private final CounterServiceClient counters;
    private final PeerFanout fanout;
    private final Outcomes outcomes;

    Presses(CounterServiceClient counters, PeerFanout fanout, Outcomes outcomes) {
        this.counters = counters;
        this.fanout = fanout;
        this.outcomes = outcomes;
    }

    /** Applies {@code press} once the page's connect has answered: the connect creates a new counter, a press never does. */
    public void forward(PageSession page, ClientMessage.Press press) {
        // a press is applied once per id, so one refused by a counter-service that is down goes to the next one
        CompletableFuture<CounterSnapshot> change = page.registration().thenCompose(registered -> Failover.onRefused(() ->
                press.delta() > 0
                        ? counters.increment(page.counter(), press.id())
                        : counters.decrement(page.counter(), press.id())));
        change.whenComplete((snapshot, error) -> {
            if (error == null && snapshot == null) {
                // 404 no_counter (the declarative client answers a 404 with no body): the counter was deleted under
                // its page, and a press does not create it again; surely not applied
                outcomes.press(MetricNames.REFUSED);
                PressFailures.tell(page, press.id(), new IllegalStateException("no counter " + page.counter()));
            } else if (error != null) {
                LOG.warn("{} on {} not confirmed: {}", press.delta() > 0 ? "plus" : "minus", page.counter(), error.toString());
                outcomes.press(MetricNames.UNAVAILABLE);
                PressFailures.tell(page, press.id(), error);
            } else {
                // neither this replica nor its peers need wait for the stream
                outcomes.press(MetricNames.OK);
                fanout.pressApplied(snapshot);
            }
        });
    }
}

package dev.livecounter.broadcaster.websocket;

import dev.livecounter.broadcaster.metrics.Outcomes;
import dev.livecounter.common.metrics.MetricNames;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Counts the upgrades the {@link UpgradeGuard} refuses, from outside it: a 429 is a limit, any other 4xx a refusal
 * (an origin, a name, an id). Runs before the guard, so it sees the guard's answer.
 */
@ServerFilter(UpgradeGuard.PATH)
final class RefusedUpgrades implements Ordered {

    private final Outcomes outcomes;

    RefusedUpgrades(Outcomes outcomes) {
        this.outcomes = outcomes;
    }

    @ResponseFilter
    void count(HttpResponse<?> response) {
        int status = response.code();
        if (status == HttpStatus.TOO_MANY_REQUESTS.getCode()) {
            outcomes.connect(MetricNames.LIMIT);
        } else if (status >= 400 && status < 500) {
            outcomes.connect(MetricNames.REFUSED);
        }
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE;
    }
}

package dev.livecounter.common.counters;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * Which counter names an install serves ({@link CounterPolicy}).
 *
 * @param allowed the only names served (comma-separated in the environment); unset (default): every valid name,
 *                within the budget of new ones ({@link CounterLifecycleSettings#newPerMinute()});
 *                env {@code LIVECOUNTER_COUNTERS_ALLOWED}
 */
@ConfigurationProperties("livecounter.counters")
public record CounterNameSettings(@Nullable List<String> allowed) {}

package dev.livecounter.common.counters;

import dev.livecounter.common.model.CounterNames;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;

/**
 * Which counter names this install serves: every valid name, or only those in {@link CounterNameSettings#allowed()}
 * so that strangers cannot create unlimited counters. Every service asks the same question the same way.
 */
@Singleton
public class CounterPolicy {

    private final Set<String> allowed;

    @Inject
    CounterPolicy(CounterNameSettings settings) {
        this(settings.allowed());
    }

    /** A policy serving only {@code allowed} (every valid name when null or empty). */
    public CounterPolicy(@Nullable List<String> allowed) {
        this.allowed = allowed == null ? Set.of() : Set.copyOf(allowed.stream().filter(s -> !s.isBlank()).toList());
    }

    /** Whether only listed names are served (then the list, not a budget of new names, decides what exists). */
    public boolean hasAllowList() {
        return !allowed.isEmpty();
    }

    /** Why a name is refused, or null when it is served. */
    @Nullable
    public String refusal(@Nullable String name) {
        if (!CounterNames.isValid(name)) {
            return "counter name: " + CounterNames.RULE;
        }
        if (!allowed.isEmpty() && !allowed.contains(name)) {
            return "counter not served here: " + name;
        }
        return null;
    }
}

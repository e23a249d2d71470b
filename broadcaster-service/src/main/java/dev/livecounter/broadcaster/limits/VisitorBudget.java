package dev.livecounter.broadcaster.limits;

import dev.livecounter.broadcaster.config.LimitSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many different visitor ids one address may bring a minute and still have them counted as unique visitors
 * ({@link LimitSettings#visitorsPerMinute}, the fleet's: {@link FleetShare}). Visitor ids are anonymous random
 * strings a page keeps in its browser, so anyone can make new ones at will; past the budget a socket's visit still
 * counts, but its visitor id is not sent on, so it adds no unique visitor. A visitor id already seen from the
 * address this minute (another tab, a reconnect) is always let through.
 */
@Singleton
public final class VisitorBudget {

    private final LimitSettings settings;
    private final FleetShare share;
    private final Clock clock;
    private final ConcurrentHashMap<String, Minute> addresses = new ConcurrentHashMap<>();

    @Inject
    VisitorBudget(LimitSettings settings, FleetShare share) {
        this(settings, share, Clock.systemUTC());
    }

    VisitorBudget(LimitSettings settings, FleetShare share, Clock clock) {
        this.settings = settings;
        this.share = share;
        this.clock = clock;
    }

    /** The ids one address brought in one minute. */
    private static final class Minute {
        final long minute;
        final Set<String> visitors = new HashSet<>();

        Minute(long minute) {
            this.minute = minute;
        }
    }

    /** The visitor id to send on with the socket's connect: {@code visitorId}, or null past the address's budget. */
    @Nullable
    public String admit(String address, @Nullable String visitorId) {
        if (visitorId == null || settings.visitorsPerMinute() == 0) {
            return visitorId;
        }
        long now = clock.millis() / 60_000;
        Minute minute = addresses.compute(address, (a, seen) -> seen == null || seen.minute != now ? new Minute(now) : seen);
        synchronized (minute) {
            if (minute.visitors.contains(visitorId) || minute.visitors.size() < share.ofCount(settings.visitorsPerMinute())) {
                minute.visitors.add(visitorId);
                return visitorId;
            }
        }
        return null;
    }

    /** Forgets the minutes that are over: memory stays bounded by the addresses of the last minute. */
    @Scheduled(fixedDelay = "30s")
    void forgetPastMinutes() {
        long now = clock.millis() / 60_000;
        addresses.values().removeIf(minute -> minute.minute != now);
    }
}

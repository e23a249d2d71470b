package dev.livecounter.broadcaster.limits;

import dev.livecounter.broadcaster.config.LimitSettings;
import java.time.Duration;
import java.util.List;

/** Limits for tests in other packages: the beans' constructors are package-private. */
public final class TestLimits {

    private TestLimits() {}

    /**
     * Settings that trust {@code clientIpHeader} from any peer (so a test names each request's client) with these
     * per-address bounds, and roomy defaults for the rest.
     */
    public static LimitSettings settings(String clientIpHeader, int socketsPerIp, int connectsPerSecond, int connectBurst,
            Duration idleTimeout) {
        return new LimitSettings(clientIpHeader, List.of(), socketsPerIp, connectsPerSecond, connectBurst, 5, 20, 30, 2,
                20, 50, Duration.ofSeconds(25), idleTimeout);
    }

    /** The limits of a replica alone in its fleet. */
    public static ClientLimits clientLimits(LimitSettings settings) {
        return new ClientLimits(settings, new FleetShare(() -> 1));
    }
}

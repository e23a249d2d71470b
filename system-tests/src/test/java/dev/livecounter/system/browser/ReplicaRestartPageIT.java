package dev.livecounter.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.livecounter.local.ServiceProcess;
import dev.livecounter.system.LiveSystem;
import dev.livecounter.system.browser.LivePage.Shown;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A broadcaster replica restarts under an open page (a rolling update): the page says so, comes back by itself,
 * and its reconnect is not a new visit. Leaves both replicas healthy and the live loop running for other classes.
 */
class ReplicaRestartPageIT extends BrowserTest {

    private static final Duration HEALTHY = Duration.ofSeconds(120);

    @Test
    void restartingTheReplicaShowsReconnectingThenLiveWithTheSameVisit() {
        ServiceProcess replica = LiveSystem.get().broadcaster(1);
        String counter = LiveSystem.uniqueCounter("browser-restart");
        LivePage page = LivePage.open(openWindow(), replica.port(), counter);
        Shown before = page.await("live", s -> "live".equals(s.state()) && s.online() != null && s.online() == 1);
        assertEquals(1, before.visits());

        try {
            replica.stop(); // SIGTERM: the replica closes its sockets with 1001
            Shown down = page.awaitState("reconnecting", Duration.ofSeconds(10));
            assertFalse(down.buttonsEnabled(), "no presses while not live");
        } finally {
            replica.start().awaitHealthy(HEALTHY);
        }

        Shown back = page.await("live again", Duration.ofSeconds(90),
                s -> "live".equals(s.state()) && s.online() != null && s.online() == 1);
        assertEquals(1, back.visits(), "the page kept its visit id: its reconnect is not a new visit");
        assertEquals(before.value(), back.value());
    }

    @AfterAll
    static void bothReplicasServeTheLiveLoopAgain() {
        for (ServiceProcess broadcaster : LiveSystem.get().broadcasters()) {
            if (!broadcaster.isAlive()) {
                broadcaster.start().awaitHealthy(HEALTHY);
            }
        }
        LiveSystem.awaitLiveLoop();
    }
}

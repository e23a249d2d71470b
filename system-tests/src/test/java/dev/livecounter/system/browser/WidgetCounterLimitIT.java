package dev.livecounter.system.browser;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.local.LocalStack;
import dev.livecounter.local.Ports;
import dev.livecounter.system.LiveSystem;
import dev.livecounter.system.PageClient;
import dev.livecounter.system.browser.WidgetView.Shown;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The widget on an allowed site, for a counter the server will not create (past the budget of new counters a
 * minute): it says why, in the words the page uses, rather than a bare "not available here". Its own system with a
 * budget of one new counter a minute (the shared one has no budget).
 */
class WidgetCounterLimitIT extends BrowserTest {

    private static final String REASON = "too many new counters were made just now";

    private static EmbeddingSite site;
    private static LocalStack stack;

    @BeforeAll
    static void startSiteAndSystem() {
        int sitePort = Ports.free();
        stack = LocalStack.builder().broadcasters(1)
                .env("LIVECOUNTER_COUNTERS_NEW_PER_MINUTE", "1")
                .broadcasterEnv("LIVECOUNTER_BROADCASTER_ALLOWED_ORIGINS", "http://127.0.0.1:" + sitePort)
                .start();
        site = EmbeddingSite.start(sitePort);
    }

    @AfterAll
    static void stop() throws Exception {
        closeStarted(site, stack);
    }

    @Test
    void widgetRefusedANewCounterShowsTheReason() {
        int port = stack.broadcaster(0).port();
        BrowserWindow window = openWindow();
        // the budget is per calendar minute: begin early in one, so that the refusals below all fall in it
        await("an early second of the minute").atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(200))
                .until(() -> Instant.now().getEpochSecond() % 60 < 35);
        try (PageClient first = PageClient.open(port, LiveSystem.uniqueCounter("limit-first"), null)) {
            first.awaitCount("this minute's one new counter", c -> c.online() == 1);

            window.get(site.pageUrl(port, LiveSystem.uniqueCounter("limit-widget")));
            WidgetView widget = new WidgetView(window);
            Shown refused = widget.await("the reason", Duration.ofSeconds(15), s -> s.text().contains(REASON));
            assertFalse("live".equals(refused.state()), refused.state());
            assertNull(refused.visits(), "no count ever reached the widget");

            // refused again on each retry, it gives up: still saying why, not only that it is not available
            Shown givenUp = widget.await("offline", Duration.ofSeconds(20), s -> "offline".equals(s.state()));
            assertTrue(givenUp.text().contains(REASON), givenUp.text());
            assertFalse(givenUp.text().contains("not available here"), givenUp.text());
            assertNull(givenUp.visits());
        }
    }
}

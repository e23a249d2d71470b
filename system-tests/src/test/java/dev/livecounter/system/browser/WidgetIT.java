package dev.livecounter.system.browser;

import static dev.livecounter.system.PageClient.PLUS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.local.Ports;
import dev.livecounter.system.LiveSystem;
import dev.livecounter.system.PageClient;
import dev.livecounter.system.PageClient.Count;
import dev.livecounter.system.browser.WidgetView.Shown;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The copy-paste widget on somebody else's site: live where the broadcasters allow that site's origin
 * ({@link LiveSystem#allowedSitePort()}), refused and saying so where they do not.
 */
class WidgetIT extends BrowserTest {

    @AutoClose
    private static final EmbeddingSite allowedSite = EmbeddingSite.start(LiveSystem.allowedSitePort());
    @AutoClose
    private static final EmbeddingSite otherSite = EmbeddingSite.start(Ports.free());

    private static boolean is(Long shown, long expected) {
        return shown != null && shown == expected;
    }

    @Test
    void widgetOnAnAllowedSiteShowsLiveCounts() {
        String counter = LiveSystem.uniqueCounter("widget-allowed");
        BrowserWindow window = openWindow();
        HeldHistory history = HeldHistory.in(window);
        window.get(allowedSite.pageUrl(LiveSystem.replica(0), counter));
        WidgetView widget = new WidgetView(window);
        Shown first = widget.await("live", s -> "live".equals(s.state()) && is(s.online(), 1));
        assertEquals(1, first.visits());
        assertTrue(first.afterScript(), "the widget sits right after its script tag");
        assertEquals("undefined", window.script("return typeof LiveCounterClient;"),
                "the client core inside widget.js leaves no global name on the embedding site");

        // data-chart="true": the sparkline reads the last hour through the API (CORS) after its first frame; its
        // answer is held until the second visit's frame has come, the order that used to lose that visit
        history.awaitRead();
        try (PageClient presser = PageClient.open(LiveSystem.replica(1), counter, null)) {
            widget.await("a second page online", s -> is(s.online(), 2) && is(s.visits(), 2));
            history.release();
            presser.send(PLUS);
            presser.send(PLUS);
            Shown pressed = widget.await("two presses from the other replica", s -> is(s.value(), 2));
            assertEquals(2, pressed.visits());
            assertEquals(2, widget.awaitSparkline().chartVisits(),
                    "the sparkline holds both visits: the one in its read and the one whose frame came first");
            assertEquals("img", window.script(
                    "return document.querySelector('live-counter').shadowRoot.querySelector('svg').getAttribute('role');"));
        }
        Shown last = widget.await("the other page gone", s -> is(s.online(), 1));
        assertTrue(last.text().contains("2 visits") && last.text().contains("1 online") && last.text().contains("2"),
                "the widget shows what its attributes say: " + last.text());
        assertEquals("13px", last.fontSize(), "the host page's 22px serif CSS does not reach into the widget");
    }

    @Test
    void widgetOnASiteNotAllowedIsRefusedAndSaysSo() {
        String counter = LiveSystem.uniqueCounter("widget-refused");
        try (PageClient watcher = PageClient.open(LiveSystem.replica(0), counter, null)) {
            watcher.awaitCount("its own connection", c -> c.online() == 1);
            BrowserWindow window = openWindow();
            window.get(otherSite.pageUrl(LiveSystem.replica(0), counter));
            WidgetView widget = new WidgetView(window);

            Shown refused = widget.await("offline", Duration.ofSeconds(30), s -> "offline".equals(s.state()));
            assertTrue(refused.text().contains("not available here"), refused.text());
            assertNull(refused.visits(), "no count ever reached the widget");
            assertNull(refused.online());
            long attempts = refused.socketAttempts();
            assertTrue(attempts >= 2 && attempts <= 6, "a few attempts before giving up, not one: " + attempts);
            await("no fast retries once offline")
                    .during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> widget.shown().socketAttempts() == attempts && "offline".equals(widget.shown().state()));

            watcher.send(PLUS); // a fresh frame proves the refused sockets were never counted
            Count settled = watcher.awaitCount("the press", c -> c.value() == 1);
            assertEquals(1, settled.online(), "the refused widget never counted as online");
            assertEquals(1, settled.visits(), "nor as a visit");
        }
    }
}

package dev.livecounter.system.browser;

import static dev.livecounter.system.PageClient.PLUS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.local.Ports;
import dev.livecounter.system.LiveSystem;
import dev.livecounter.system.PageClient;
import dev.livecounter.system.PageClient.Count;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * A site that is not allowed cannot frame the counter's page: the framed page would open its socket from the
 * counter's own origin, so the origin allow-list would never see the stranger. An allowed site still can.
 */
class FramingIT extends BrowserTest {

    @AutoClose
    private static final FramingSite strangerSite = FramingSite.start(Ports.free());
    @AutoClose
    private static final FramingSite allowedSite = FramingSite.start(LiveSystem.allowedSitePort());

    @Test
    void aStrangerFramingThePageCountsNothingWhileAnAllowedSiteCan() {
        String counter = LiveSystem.uniqueCounter("framed");
        try (PageClient watcher = PageClient.open(LiveSystem.replica(1), counter, null)) {
            watcher.awaitCount(c -> c.online() == 1);
            BrowserWindow stranger = openWindow();
            stranger.get(strangerSite.pageUrl(LiveSystem.replica(0), counter));
            await("the stranger's page loaded").atMost(Duration.ofSeconds(10))
                    .until(() -> "complete".equals(stranger.script("return document.readyState")));

            // the control: the same frame on the allowed site's origin loads and counts, so the frame above had
            // every chance to count too
            BrowserWindow allowed = openWindow();
            allowed.get(allowedSite.pageUrl(LiveSystem.replica(0), counter));
            allowed.driver().switchTo().frame("framed");
            await("the allowed site's frame live").atMost(Duration.ofSeconds(30))
                    .until(() -> "live".equals(allowed.script("return document.getElementById('state').textContent")));
            // a press after both frames had their chance: its count includes every socket opened before it
            watcher.send(PLUS);
            Count after = watcher.awaitCount("the press", c -> c.value() == 1);
            assertEquals(2, after.online(), "the watcher and the allowed site's frame; the stranger's frame opened none");
            assertEquals(2, after.visits(), "only the watcher and the allowed site's frame are visits: " + after);
        }
    }
}

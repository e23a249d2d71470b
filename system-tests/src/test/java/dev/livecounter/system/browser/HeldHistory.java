package dev.livecounter.system.browser;

import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.remote.Augmenter;

/**
 * Holds a window's history answers: from the next page it loads on, every {@code /history} fetch goes to the server
 * at once (the read happens then) but its answer reaches the page's script only when the test releases it. Count
 * frames that arrive meanwhile come after the read and before the answer: the race a page loses when visits arrive
 * while its chart loads, made certain instead of likely.
 */
final class HeldHistory {

    private static final String HOLD = """
            (() => {
              const fetch = window.fetch.bind(window);
              let release;
              const released = new Promise((resolve) => { release = resolve; });
              window.__historyReads = 0;
              window.__historyAnswered = 0;
              window.__releaseHistory = () => release();
              window.fetch = (input, init) => {
                const url = String(input instanceof Request ? input.url : input);
                if (!url.includes('/history')) return fetch(input, init);
                window.__historyReads += 1;
                return fetch(input, init).then((response) => {
                  window.__historyAnswered += 1;
                  return released.then(() => response);
                });
              };
            })();""";

    private final BrowserWindow window;

    private HeldHistory(BrowserWindow window) {
        this.window = window;
    }

    /** Holds the history answers of every page this window loads from now on (a script run before the page's own). */
    static HeldHistory in(BrowserWindow window) {
        ((HasCdp) new Augmenter().augment(window.driver()))
                .executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", HOLD));
        return new HeldHistory(window);
    }

    /** Waits until the server has answered the page's history read: the read is done, its answer held. */
    void awaitRead() {
        Awaitility.await("the server answers the page's history read")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> window.script("return window.__historyAnswered || 0;") instanceof Number n && n.longValue() > 0);
    }

    /** Lets the held answers (and any later ones) through. */
    void release() {
        window.script("window.__releaseHistory();");
    }
}

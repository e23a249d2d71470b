package dev.livecounter.system.browser;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.openqa.selenium.By;

/** The Live Counter page in a browser window, read the way a person reads it (the elements' text). */
final class LivePage {

    /** What the page shows at one moment; a number is null while it still shows its placeholder. */
    record Shown(String state, Long visits, Long online, Long value, boolean buttonsEnabled, String note) {}

    private static final String READ = """
            const $ = (id) => document.getElementById(id);
            return {
              state: $('state').dataset.state,
              visits: $('visits').textContent,
              online: $('online').textContent,
              value: $('value').textContent,
              buttonsEnabled: !$('plus').disabled && !$('minus').disabled,
              note: $('note').hidden ? '' : $('note').textContent
            };""";

    private final BrowserWindow window;
    private final String name;

    private LivePage(BrowserWindow window, String name) {
        this.window = window;
        this.name = name;
    }

    /** Opens {@code http://127.0.0.1:<port>/?counter=<counter>}: the page served by that broadcaster replica. */
    static LivePage open(BrowserWindow window, int port, String counter) {
        window.get("http://127.0.0.1:" + port + "/?counter=" + counter);
        return new LivePage(window, "page on :" + port);
    }

    /** Opens the page at this URL, e.g. through an ingress. */
    static LivePage openAt(BrowserWindow window, String url) {
        window.get(url);
        return new LivePage(window, "page at " + url);
    }

    BrowserWindow window() {
        return window;
    }

    Shown shown() {
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) window.script(READ);
        return new Shown(
                (String) read.get("state"),
                number((String) read.get("visits")),
                number((String) read.get("online")),
                number((String) read.get("value")),
                Boolean.TRUE.equals(read.get("buttonsEnabled")),
                (String) read.get("note"));
    }

    Shown await(String what, Predicate<Shown> condition) {
        return await(what, Duration.ofSeconds(30), condition);
    }

    Shown await(String what, Duration timeout, Predicate<Shown> condition) {
        Awaitility.await(name + ": " + what)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> condition.test(shown()));
        return shown();
    }

    Shown awaitState(String state, Duration timeout) {
        return await("state " + state, timeout, s -> state.equals(s.state()));
    }

    void pressPlus() {
        window.driver().findElement(By.id("plus")).click();
    }

    void pressMinus() {
        window.driver().findElement(By.id("minus")).click();
    }

    /** "1,234" → 1234, "−2" or "-2" → -2, the placeholder "–" → null. */
    static Long number(String text) {
        if (text == null) {
            return null;
        }
        String digits = text.replace('\u2212', '-').replaceAll("[^0-9-]", "");
        return digits.isEmpty() || digits.equals("-") ? null : Long.parseLong(digits);
    }
}

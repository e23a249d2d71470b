package dev.livecounter.system.browser;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** The embedded widget as a test reads it: its host element's data attributes and what its shadow tree shows. */
final class WidgetView {

    /**
     * One reading. {@code text} is the widget's visible text, {@code fontSize} the computed size inside its shadow
     * tree, {@code afterScript} whether it sits right after its script tag, {@code socketAttempts} the sockets the
     * page tried to open (counted by the test page).
     */
    record Shown(String state, Long visits, Long online, Long value, String text, String fontSize,
            boolean afterScript, long socketAttempts, Long chartVisits) {}

    private static final String READ = """
            const host = document.querySelector('live-counter');
            if (!host || !host.shadowRoot) return null;
            const box = host.shadowRoot.querySelector('.lc');
            const before = host.previousElementSibling;
            return {
              state: host.dataset.state || '',
              visits: host.dataset.visits ?? null,
              online: host.dataset.online ?? null,
              value: host.dataset.value ?? null,
              text: box.innerText,
              fontSize: getComputedStyle(box).fontSize,
              afterScript: !!before && before.tagName === 'SCRIPT' && before.src.endsWith('/widget.js'),
              socketAttempts: window.__socketAttempts,
              chartVisits: host.getAttribute('data-chart-visits')
            };""";

    private final BrowserWindow window;

    WidgetView(BrowserWindow window) {
        this.window = window;
    }

    /** The widget now, or null before its script has run. */
    Shown shown() {
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) window.script(READ);
        if (read == null) {
            return null;
        }
        return new Shown(
                (String) read.get("state"),
                LivePage.number((String) read.get("visits")),
                LivePage.number((String) read.get("online")),
                LivePage.number((String) read.get("value")),
                (String) read.get("text"),
                (String) read.get("fontSize"),
                Boolean.TRUE.equals(read.get("afterScript")),
                ((Number) read.get("socketAttempts")).longValue(),
                LivePage.number((String) read.get("chartVisits")));
    }

    /**
     * Waits until the sparkline is drawn from its history answer: from then on its total changes only with a frame,
     * which the page applies as it renders it.
     */
    Shown awaitSparkline() {
        return await("the sparkline drawn", s -> s.chartVisits() != null);
    }

    Shown await(String what, Predicate<Shown> condition) {
        return await(what, Duration.ofSeconds(30), condition);
    }

    Shown await(String what, Duration timeout, Predicate<Shown> condition) {
        Awaitility.await("widget: " + what)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Shown now = shown();
                    return now != null && condition.test(now);
                });
        return shown();
    }
}

package dev.livecounter.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.local.LocalStack;
import dev.livecounter.system.LiveSystem;
import dev.livecounter.system.PageClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The page's "Visits over time" chart in Chromium: live visits grow the current minute's bar without polling,
 * the ranges switch, it says what it shows to a screen reader, nothing moves when data arrives, in both themes.
 * With {@code -Dlivecounter.docs-screenshots=true} the themes' screenshots go to docs/ (the README shows them).
 */
class ChartPageIT extends BrowserTest {

    private static final String READ = """
            const svg = document.getElementById('chart');
            const rows = [...document.querySelectorAll('#chart-rows tr')].map((tr) => tr.children[1].textContent);
            return {
              role: svg.getAttribute('role'),
              label: svg.getAttribute('aria-label'),
              rows: rows,
              nowBar: document.querySelectorAll('#chart .chart-bar-now').length
            };""";

    record Chart(String role, String label, List<String> rows, long nowBar) {
        long current() {
            return rows.isEmpty() ? -1 : Long.parseLong(rows.get(rows.size() - 1).replaceAll("[^0-9]", ""));
        }
    }

    @Test
    void visitsMadeByTheTestAppearInTheCurrentMinutesBar() {
        awaitEarlyInAMinute(); // the page's visit and the test's three in one minute
        String counter = LiveSystem.uniqueCounter("chart");
        LivePage page = LivePage.open(openWindow(), LiveSystem.replica(0), counter);
        Chart loaded = await(page, "the page's own visit in the current minute", c -> c.rows().size() == 60 && c.current() == 1);
        assertEquals("img", loaded.role());
        assertTrue(loaded.label().startsWith("Visits per minute, last 60 minutes: 1 in total"), loaded.label());

        List<PageClient> visits = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                visits.add(PageClient.open(LiveSystem.replica(i % 2), counter, UUID.randomUUID().toString()));
            }
            Chart grown = await(page, "three more visits in the current bar, from count frames alone", c -> c.current() == 4);
            assertEquals(1, grown.nowBar(), "the current minute has a bar");
            assertTrue(grown.label().contains("4 in the current minute"), grown.label());
            // the browser sent its visitor id (localStorage); the test's sockets sent none: one visitor today
            assertEquals("1", page.window().script("return document.getElementById('unique-today').textContent;"));
            assertTrue(((String) page.window().script("return localStorage.getItem('live-counter-visitor');"))
                    .matches("[0-9a-f]{32}"), "an anonymous random id, kept in localStorage");
        } finally {
            visits.forEach(PageClient::close);
        }
    }

    @Test
    void theChartCountsEachVisitOnceWhateverArrivesWhileItLoads() {
        String counter = LiveSystem.uniqueCounter("chart-race");
        BrowserWindow window = openWindow();
        HeldHistory history = HeldHistory.in(window);
        LivePage page = LivePage.open(window, LiveSystem.replica(0), counter);
        history.awaitRead(); // read after the page's own visit; its answer held
        List<PageClient> visits = new ArrayList<>();
        try {
            // three visitors whose frames reach the page after the read and before its answer
            for (int i = 0; i < 3; i++) {
                visits.add(PageClient.open(LiveSystem.replica(i % 2), counter, UUID.randomUUID().toString()));
            }
            page.await("the three visits' frames", s -> s.visits() != null && s.visits() == 4);
            history.release();
            await(page, "the chart drawn from its answer", c -> c.label().contains(" in total"));
            // and two whose frames come after the answer
            for (int i = 0; i < 2; i++) {
                visits.add(PageClient.open(LiveSystem.replica(i % 2), counter, UUID.randomUUID().toString()));
            }
            page.await("all six visits' frames", s -> s.visits() != null && s.visits() == 6);
            long api = historyApiTotal(page, counter);
            assertEquals(6, api, "the history API counts the page's visit and the five");
            String label = read(page).label();
            assertTrue(label.startsWith("Visits per minute, last 60 minutes: " + api + " in total"),
                    "the chart's total equals the history API's (" + api + "): " + label);
        } finally {
            visits.forEach(PageClient::close);
        }
    }

    @Test
    void switchingRangesShowsHoursAndDaysAndBack() {
        String counter = LiveSystem.uniqueCounter("chart-ranges");
        LivePage page = LivePage.open(openWindow(), LiveSystem.replica(1), counter);
        await(page, "minutes", c -> c.rows().size() == 60 && c.current() >= 0);
        click(page, "48h");
        Chart hours = await(page, "hours", c -> c.rows().size() == 48 && c.label().startsWith("Visits per hour, last 48 hours: 1 in total"));
        assertEquals(1, hours.current(), "this hour holds the page's visit");
        click(page, "30d");
        await(page, "days", c -> c.rows().size() == 30 && c.label().startsWith("Visits per day, last 30 days: 1 in total"));
        assertEquals("true", page.window().driver().findElement(By.cssSelector("[data-range='30d']")).getAttribute("aria-pressed"));
        click(page, "hour");
        await(page, "minutes again", c -> c.rows().size() == 60 && c.label().startsWith("Visits per minute"));
    }

    @Test
    void nothingMovesWhenDataArrivesAndBothThemesAreScreenshot() {
        String counter = LiveSystem.uniqueCounter("chart-themes");
        List<PageClient> visits = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                visits.add(PageClient.open(LiveSystem.replica(0), counter, UUID.randomUUID().toString()));
            }
            for (boolean dark : new boolean[] {false, true}) {
                BrowserWindow window = dark
                        ? openWindow(List.of("--force-dark-mode", "--blink-settings=preferredColorScheme=0"))
                        : openWindow();
                LivePage page = LivePage.open(window, LiveSystem.replica(0), counter);
                page.await("live", s -> "live".equals(s.state()) && s.visits() != null && s.visits() >= 6);
                await(page, "the chart", c -> c.rows().size() == 60 && c.label().contains(" in total"));
                assertEquals(dark, window.script("return matchMedia('(prefers-color-scheme: dark)').matches"));
                Object shift = window.driver().executeAsyncScript("""
                        const done = arguments[arguments.length - 1];
                        new PerformanceObserver((list) => done(list.getEntries()
                            .filter((e) => !e.hadRecentInput).reduce((s, e) => s + e.value, 0)))
                          .observe({ type: 'layout-shift', buffered: true });
                        setTimeout(() => done(0), 1000);""");
                assertTrue(((Number) shift).doubleValue() < 0.01, "layout shift when the numbers and chart arrived: " + shift);
                window.screenshot(screenshots().resolve(dark ? "chart-dark.png" : "chart-light.png"));
            }
        } finally {
            visits.forEach(PageClient::close);
        }
    }

    /** The history API's visits over the last hour, asked from the page's own origin as its script asks. */
    private static long historyApiTotal(LivePage page, String counter) {
        Object total = page.window().driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(`/api/counters/${arguments[0]}/history?resolution=minute`)
                  .then((r) => r.json())
                  .then((body) => done(body.buckets.reduce((sum, b) => sum + b.visits, 0)))
                  .catch((e) => done(String(e)));""", counter);
        return ((Number) total).longValue();
    }

    private static Path screenshots() {
        return Boolean.getBoolean("livecounter.docs-screenshots") ? LocalStack.repositoryRoot().resolve("docs") : SCREENSHOTS;
    }

    private static void click(LivePage page, String range) {
        page.window().driver().findElement(By.cssSelector("[data-range='" + range + "']")).click();
    }

    @SuppressWarnings("unchecked")
    private static Chart read(LivePage page) {
        Map<String, Object> read = (Map<String, Object>) page.window().script(READ);
        return new Chart((String) read.get("role"), (String) read.get("label"), (List<String>) read.get("rows"),
                ((Number) read.get("nowBar")).longValue());
    }

    private static Chart await(LivePage page, String what, java.util.function.Predicate<Chart> condition) {
        Awaitility.await("chart: " + what)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> condition.test(read(page)));
        return read(page);
    }

    /** Waits, if need be, until a minute has at least 30 seconds left. */
    private static void awaitEarlyInAMinute() {
        Awaitility.await("the first half of a minute")
                .atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> LocalTime.now(ZoneOffset.UTC).getSecond() < 30);
    }
}

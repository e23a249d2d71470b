package dev.livecounter.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.system.LiveSystem;
import dev.livecounter.system.browser.LivePage.Shown;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The page in real browsers: two people on two broadcaster replicas watching and changing the same counter. */
class PageIT extends BrowserTest {

    private static boolean is(Long shown, long expected) {
        return shown != null && shown == expected;
    }

    @Test
    void plusInOneWindowShowsInBothWindowsOnDifferentReplicas() {
        String counter = LiveSystem.uniqueCounter("browser-plus");
        LivePage first = LivePage.open(openWindow(), LiveSystem.replica(0), counter);
        LivePage second = LivePage.open(openWindow(), LiveSystem.replica(1), counter);
        first.await("live with both online", s -> "live".equals(s.state()) && s.buttonsEnabled() && is(s.online(), 2));
        second.await("live with both online", s -> "live".equals(s.state()) && s.buttonsEnabled() && is(s.online(), 2));

        first.pressPlus();
        first.await("its own press", s -> is(s.value(), 1));
        second.await("the press from the other replica", s -> is(s.value(), 1));

        second.pressMinus();
        second.pressMinus();
        Shown onFirst = first.await("two presses back", s -> is(s.value(), -1));
        Shown onSecond = second.await("two presses back", s -> is(s.value(), -1));
        assertEquals(onFirst, onSecond, "both windows show the same numbers");
        assertEquals(2, onFirst.visits(), "two windows are two visits; presses are not visits");
    }

    @Test
    void closingAWindowDropsOnlineInTheOther() {
        String counter = LiveSystem.uniqueCounter("browser-close");
        LivePage staying = LivePage.open(openWindow(), LiveSystem.replica(0), counter);
        LivePage leaving = LivePage.open(openWindow(), LiveSystem.replica(1), counter);
        staying.await("both online", s -> is(s.online(), 2));
        leaving.await("both online", s -> is(s.online(), 2));

        leaving.window().close();

        Shown after = staying.await("the other window gone", s -> is(s.online(), 1));
        assertEquals(2, after.visits(), "a closed window leaves its visit counted");
        assertEquals("live", after.state());
    }

    @Test
    void pageFitsAPhoneAndLabelsItsControls() {
        String counter = LiveSystem.uniqueCounter("browser-phone");
        LivePage page = LivePage.open(openPhoneWindow(), LiveSystem.replica(0), counter);
        page.await("live", s -> "live".equals(s.state()) && s.buttonsEnabled());
        page.pressPlus();
        page.pressPlus();
        page.pressPlus();
        page.await("three presses", s -> is(s.value(), 3));

        @SuppressWarnings("unchecked")
        Map<String, Object> layout = (Map<String, Object>) page.window().script("""
                const $ = (id) => document.getElementById(id);
                return {
                  width: window.innerWidth,
                  overflow: document.documentElement.scrollWidth > window.innerWidth,
                  labels: [$('plus').getAttribute('aria-label'), $('minus').getAttribute('aria-label')],
                  live: $('visits').closest('[aria-live]')?.getAttribute('aria-live'),
                  valueLive: $('value').closest('[aria-live]')?.getAttribute('aria-live'),
                  buttonHeight: $('plus').getBoundingClientRect().height
                };""");
        assertEquals(PHONE.getWidth(), ((Number) layout.get("width")).intValue(), "a phone-width viewport");
        assertEquals(false, layout.get("overflow"), "nothing sticks out sideways at phone width");
        @SuppressWarnings("unchecked")
        List<String> labels = (List<String>) layout.get("labels");
        assertTrue(labels.stream().allMatch(l -> l != null && !l.isBlank()), "buttons have accessible labels: " + labels);
        assertEquals("polite", layout.get("live"));
        assertEquals("polite", layout.get("valueLive"));
        assertTrue(((Number) layout.get("buttonHeight")).doubleValue() >= 44, "buttons are finger-sized");
    }

    @Test
    void serverErrorFramesShowBrieflyInTheStatusLine() {
        String counter = LiveSystem.uniqueCounter("browser-errors");
        LivePage page = LivePage.open(openWindow(), LiveSystem.replica(0), counter);
        page.await("live", s -> "live".equals(s.state()) && s.buttonsEnabled());

        // far more presses at once than one page may send: the server answers the extra ones with error frames
        page.window().script("const plus = document.getElementById('plus'); for (let i = 0; i < 40; i++) plus.click();");

        Shown noted = page.await("an error in the status line", s -> !s.note().isEmpty());
        page.window().screenshot(SCREENSHOTS.resolve("PageIT-serverErrorFramesShowBrieflyInTheStatusLine-note.png"));
        assertEquals("live", noted.state(), "an error frame does not end the connection");
        Shown later = page.await("the note gone again", Duration.ofSeconds(15), s -> s.note().isEmpty());
        assertEquals("live", later.state());
        assertTrue(later.value() != null && later.value() > 0 && later.value() < 40, "some presses counted, not all: " + later);
    }

    @Test
    void aBadCounterNameIsExplainedNotRetried() {
        LivePage page = LivePage.open(openWindow(), LiveSystem.replica(0), "no%20spaces%20here");
        Shown shown = page.await("offline with a note", Duration.ofSeconds(10),
                s -> "offline".equals(s.state()) && !s.note().isEmpty());
        assertFalse(shown.buttonsEnabled());
        assertTrue(shown.note().contains("Counter names"), shown.note());
    }
}

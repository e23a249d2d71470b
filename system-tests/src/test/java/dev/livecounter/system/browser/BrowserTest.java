package dev.livecounter.system.browser;

import dev.livecounter.local.LocalStack;
import dev.livecounter.system.LiveSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.Dimension;

/**
 * Base of the real-browser tests: the shared running system, browsers opened per test, and a screenshot of every
 * window still open when a test ends (passed or failed) in {@code system-tests/target/screenshots/}.
 */
abstract class BrowserTest {

    static final Dimension DESKTOP = new Dimension(1024, 768);
    static final Dimension PHONE = new Dimension(390, 844);
    static final Path SCREENSHOTS = LocalStack.repositoryRoot().resolve("system-tests/target/screenshots");

    private final List<BrowserWindow> windows = new ArrayList<>();

    @BeforeAll
    static void browserAndSystem() {
        Browsers.assumeInstalled();
        LiveSystem.get();
    }

    /** Closes what a test class started for itself (web sites, a system of its own): those that did start. */
    static void closeStarted(AutoCloseable... started) throws Exception {
        for (AutoCloseable resource : started) {
            if (resource != null) {
                resource.close();
            }
        }
    }

    /** A new browser window at desktop size. */
    BrowserWindow openWindow() {
        return openWindow(DESKTOP);
    }

    /** A new browser window at desktop size, started with these extra Chromium switches. */
    BrowserWindow openWindow(List<String> chromiumSwitches) {
        return keep(Browsers.open(DESKTOP, chromiumSwitches));
    }

    /** A new browser window emulating a phone ({@link #PHONE}, device pixel ratio 2). */
    BrowserWindow openPhoneWindow() {
        return keep(Browsers.openPhone(PHONE));
    }

    private BrowserWindow openWindow(Dimension size) {
        return keep(Browsers.open(size));
    }

    private BrowserWindow keep(BrowserWindow window) {
        windows.add(window);
        return window;
    }

    @AfterEach
    void screenshotThenClose(TestInfo test) {
        String name = getClass().getSimpleName() + "-" + test.getTestMethod().map(m -> m.getName()).orElse("test");
        RuntimeException first = null;
        for (int i = 0; i < windows.size(); i++) {
            BrowserWindow window = windows.get(i);
            try {
                if (!window.isClosed()) {
                    window.screenshot(SCREENSHOTS.resolve(name + (windows.size() > 1 ? "-" + (i + 1) : "") + ".png"));
                }
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            } finally {
                window.close();
            }
        }
        windows.clear();
        if (first != null) {
            throw first;
        }
    }
}

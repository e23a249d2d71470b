package dev.livecounter.system.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * Headless Chromium from the operating system (Debian's {@code chromium} and {@code chromium-driver}), driven through
 * one chromedriver shared by every browser test of the run. Nothing is ever downloaded: the driver and the browser
 * binary are given explicitly, so Selenium Manager is never asked.
 *
 * <p>Paths: {@code -Dlivecounter.chromium} (default {@code /usr/bin/chromium}) and {@code -Dlivecounter.chromedriver}
 * (default {@code /usr/bin/chromedriver}). Without them the browser tests are skipped, unless the environment sets
 * {@code LIVECOUNTER_REQUIRE_BROWSER=true} (CI), which makes their absence a failure.
 */
final class Browsers {

    static final Path CHROMIUM = Path.of(System.getProperty("livecounter.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("livecounter.chromedriver", "/usr/bin/chromedriver"));

    private static ChromeDriverService service;

    private Browsers() {}

    /** Skips (or on CI fails) the calling test class when there is no browser to drive. */
    static void assumeInstalled() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "no " + CHROMIUM + " or " + CHROMEDRIVER + ": apt-get install -y chromium chromium-driver";
        if (!installed && "true".equalsIgnoreCase(System.getenv("LIVECOUNTER_REQUIRE_BROWSER"))) {
            Assertions.fail(missing);
        }
        Assumptions.assumeTrue(installed, missing);
    }

    /** A new desktop browser with its own profile: its own cookies, storage and sockets, like a second person. */
    static BrowserWindow open(Dimension size) {
        return open(size, false, List.of());
    }

    /** A new desktop browser started with these extra Chromium switches, e.g. {@code --host-resolver-rules=...}. */
    static BrowserWindow open(Dimension size, List<String> chromiumSwitches) {
        return open(size, false, chromiumSwitches);
    }

    /**
     * A new browser emulating a phone of that size (CSS pixels, device pixel ratio 2): headless windows are at least
     * 500 px wide, so only emulation gives a true phone-width viewport.
     */
    static BrowserWindow openPhone(Dimension size) {
        return open(size, true, List.of());
    }

    private static BrowserWindow open(Dimension size, boolean phone, List<String> chromiumSwitches) {
        Path profile;
        try {
            profile = Files.createTempDirectory("livecounter-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--lang=en-US",
                "--window-size=" + size.getWidth() + "," + size.getHeight(),
                "--user-data-dir=" + profile);
        options.addArguments(chromiumSwitches);
        if (phone) {
            options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                    Map.of("width", size.getWidth(), "height", size.getHeight(), "pixelRatio", 2.0, "touch", true)));
        }
        RemoteWebDriver driver = new RemoteWebDriver(service().getUrl(), options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
        return new BrowserWindow(driver, profile);
    }

    /**
     * One chromedriver for the whole run. Sessions talk to it as a remote end, so that quitting one browser does not
     * stop the driver the others use (a {@code ChromeDriver} stops its service on quit).
     */
    private static synchronized ChromeDriverService service() {
        if (service == null) {
            ChromeDriverService started = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .withLogFile(new File("target/chromedriver.log"))
                    .build();
            try {
                started.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "chromedriver-stop"));
            service = started;
        }
        return service;
    }
}

package dev.livecounter.system.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.remote.RemoteWebDriver;

/** One browser (its own profile and process), closed at the end of the test that opened it. */
final class BrowserWindow implements AutoCloseable {

    private final RemoteWebDriver driver;
    private final Path profile;
    private boolean closed;

    BrowserWindow(RemoteWebDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    RemoteWebDriver driver() {
        return driver;
    }

    void get(String url) {
        driver.get(url);
    }

    /** Runs a script in the page and returns its result (maps, lists, strings, longs, booleans). */
    Object script(String js, Object... args) {
        return driver.executeScript(js, args);
    }

    boolean isClosed() {
        return closed;
    }

    /** Saves what the window shows now as a PNG. */
    void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(png, file, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Quits the browser: its sockets close as when a person closes the window. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            driver.quit();
        } catch (WebDriverException alreadyGone) {
            // the browser process ended on its own; nothing left to quit
        }
        deleteProfile();
    }

    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}

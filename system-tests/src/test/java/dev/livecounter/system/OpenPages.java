package dev.livecounter.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The pages a test opened ({@code @RegisterExtension final OpenPages pages = new OpenPages();}): after each test
 * every page must have seen its counter's versions strictly increase, and every page still open is closed.
 */
final class OpenPages implements AfterEachCallback {

    private final List<PageClient> pages = new ArrayList<>();

    /** Opens a page on a broadcaster's port (visit id null: a new page load). */
    PageClient open(int port, String counter, String visit) {
        return add(PageClient.open(port, counter, visit));
    }

    /** Tracks a page opened some other way. */
    PageClient add(PageClient page) {
        pages.add(page);
        return page;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            for (PageClient page : pages) {
                assertEquals(List.of(), page.versionViolations(), "versions a page saw went backwards or repeated");
            }
        } finally {
            pages.stream().filter(PageClient::isOpen).forEach(PageClient::close);
            pages.clear();
        }
    }
}

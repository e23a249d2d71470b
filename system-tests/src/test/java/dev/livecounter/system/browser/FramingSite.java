package dev.livecounter.system.browser;

/**
 * Somebody else's web site that puts the counter's own page in an iframe ({@code GET /?src=<url>}), as a site
 * would to count visits on the counter's origin or to lay a transparent frame over a decoy button.
 */
final class FramingSite implements AutoCloseable {

    private final ForeignSite site;

    private FramingSite(ForeignSite site) {
        this.site = site;
    }

    static FramingSite start(int port) {
        return new FramingSite(ForeignSite.start(port, FramingSite::page));
    }

    private static String page(String query) {
        if (!query.matches("src=http://127\\.0\\.0\\.1:\\d{1,5}/\\?counter=[A-Za-z0-9._-]{1,64}")) {
            return null;
        }
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>A decoy</title></head><body>"
                + "<button id=\"decoy\">Win a prize</button>"
                + "<iframe id=\"framed\" src=\"" + query.substring(4) + "\" width=\"600\" height=\"400\""
                + " style=\"opacity:0.01\"></iframe></body></html>";
    }

    /** This site's page framing the counter page of the broadcaster on {@code broadcasterPort}. */
    String pageUrl(int broadcasterPort, String counter) {
        return site.origin() + "/?src=http://127.0.0.1:" + broadcasterPort + "/?counter=" + counter;
    }

    @Override
    public void close() {
        site.close();
    }
}

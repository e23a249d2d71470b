package dev.livecounter.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.system.LiveSystem;
import dev.livecounter.system.browser.WidgetView.Shown;
import dev.livecounter.system.ingress.IngressProxy;
import dev.livecounter.system.ingress.RenderedIngress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The page and a foreign site's widget in Chromium, through the Ingress exactly as each way of installing renders
 * it (the chart, the kustomize overlays), routed by {@link IngressProxy} as a controller following the Ingress spec
 * would: everything a browser loads must be routed, and nothing internal.
 */
class IngressPageIT extends BrowserTest {

    /** Every way of installing: the chart's defaults (no host), the chart with a host and TLS, each overlay. */
    static List<String> sources() {
        return List.of("chart defaults.yaml", "chart aws-irsa.yaml", "k8s/overlays/dev", "k8s/overlays/aws");
    }

    /** Internal and operational paths; none may be routed (a POST to the broadcast endpoint as the services make it). */
    private static final List<String> NOT_ROUTED = List.of("POST /internal/broadcast", "GET /internal/broadcast",
            "GET /health", "GET /health/readiness", "GET /health/liveness", "GET /prometheus", "GET /assets/../health",
            "GET /assets/%2e%2e/prometheus", "GET /assets/..%2Finternal/broadcast", "GET /api/../health",
            "GET /api/%2e%2e/prometheus", "GET /tables/../health", "GET /tables/%2e%2e/internal/broadcast");

    private static final Pattern SNIPPET_SRC = Pattern.compile("src=\"(http://[^\"]+/widget\\.js)\"");

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void thePageAndAForeignSitesWidgetGoLiveAndCountThroughTheIngress(String source) {
        RenderedIngress ingress = RenderedIngress.of(source);
        try (IngressProxy proxy = IngressProxy.start(ingress.rules(), b -> ingress.endpoints(b, LiveSystem.get()));
                EmbeddingSite site = EmbeddingSite.start(LiveSystem.allowedSitePort())) {
            String host = ingress.host() == null ? "127.0.0.1" : ingress.host();
            // the rule's host resolves to the proxy, so the browser sends it as the Host header
            List<String> switches = ingress.host() == null ? List.of() : List.of("--host-resolver-rules=MAP " + host + " 127.0.0.1");
            String counter = LiveSystem.uniqueCounter("ingress");

            LivePage page = LivePage.openAt(openWindow(switches), "http://" + host + ":" + proxy.port() + "/?counter=" + counter);
            // first what was loaded, so that a missing route is named rather than seen as a page that never goes live
            assertEverythingThePageLoadsIsRouted(page.window(), proxy, host);
            page.await("live through the ingress", s -> "live".equals(s.state()) && is(s.online(), 1));

            String widgetSrc = snippetSrc(page.window());
            URI widget = URI.create(widgetSrc);
            assertEquals(host + ":" + proxy.port(), widget.getAuthority(), "the page's snippet points at the ingress");
            BrowserWindow siteWindow = openWindow(switches);
            siteWindow.get(site.pageUrl(widget.getAuthority(), counter));
            WidgetView view = new WidgetView(siteWindow);
            Shown live = view.await("the widget live through the ingress",
                    s -> "live".equals(s.state()) && is(s.online(), 2));
            assertEquals(2, live.visits(), "the page and the widget are two visits");
            page.await("the widget's visit counted on the page", s -> is(s.online(), 2) && is(s.visits(), 2));

            page.pressPlus();
            view.await("the page's press on the widget", s -> is(s.value(), 1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void internalPathsAndOtherHostsGet404ThroughTheIngress(String source) {
        RenderedIngress ingress = RenderedIngress.of(source);
        try (IngressProxy proxy = IngressProxy.start(ingress.rules(), b -> ingress.endpoints(b, LiveSystem.get()))) {
            String host = ingress.host() == null ? "counter.example.org" : ingress.host();
            // what is routed answers, so a 404 below is the ingress's and not a broken proxy's
            // the tables page at both /tables and /tables/ (Prefix /tables), and the script it loads from /assets
            for (String routed : List.of("GET /", "GET /widget.js", "GET /assets/app.js", "GET /assets/style.css",
                    "GET /assets/chart.js", "GET /api/counters/home", "GET /api/counters/home/history?resolution=hour",
                    "GET /tables", "GET /tables/", "GET /assets/tables.js")) {
                assertEquals(200, status(proxy, host, routed), source + ": " + routed);
            }
            List<String> routedInternals = new ArrayList<>();
            for (String request : NOT_ROUTED) {
                if (status(proxy, host, request) != 404) {
                    routedInternals.add(request);
                }
            }
            assertEquals(List.of(), routedInternals, source + ": routed, though internal");
            if (ingress.host() != null) {
                assertEquals(404, status(proxy, "elsewhere.example.net", "GET /"), source + ": a host the rules do not name");
            }
        }
    }

    private static boolean is(Long shown, long expected) {
        return shown != null && shown == expected;
    }

    /** Every same-origin file the page references or fetched came through the ingress with 200. */
    private static void assertEverythingThePageLoadsIsRouted(BrowserWindow window, IngressProxy proxy, String host) {
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) window.script("""
                const origin = location.origin;
                const referenced = [...document.querySelectorAll('link[href], script[src], img[src]')]
                    .map((e) => e.href || e.src).filter((u) => u.startsWith(origin + '/'));
                const fetched = performance.getEntriesByType('resource')
                    .filter((e) => e.name.startsWith(origin + '/') && e.initiatorType !== 'websocket')
                    .map((e) => e.name + ' ' + e.responseStatus);
                return { referenced, fetched, sheets: document.styleSheets.length };""");
        @SuppressWarnings("unchecked")
        List<String> referenced = (List<String>) seen.get("referenced");
        @SuppressWarnings("unchecked")
        List<String> fetched = (List<String>) seen.get("fetched");
        assertTrue(fetched.stream().allMatch(f -> f.endsWith(" 200")), "every file the page fetched: " + fetched);
        // the icon, which a headless browser may never fetch, and any file the page names but has not fetched yet
        assertTrue(referenced.size() >= 3, "the page references its script, style and icon: " + referenced);
        for (String url : referenced) {
            assertEquals(200, status(proxy, host, "GET " + URI.create(url).getRawPath()), url + " through the ingress");
        }
        assertEquals(1L, seen.get("sheets"), "the stylesheet applied");
    }

    private static String snippetSrc(BrowserWindow window) {
        String snippet = (String) window.script("return document.getElementById('snippet').textContent;");
        Matcher m = SNIPPET_SRC.matcher(snippet);
        assertTrue(m.find(), "the embed snippet names widget.js: " + snippet);
        return m.group(1);
    }

    /** The status of "METHOD /path" sent through the proxy with this Host header. */
    private static int status(IngressProxy proxy, String host, String request) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String body = request.startsWith("POST ") ? "{}" : "";
            String head = request + " HTTP/1.1\r\nHost: " + host + ":" + proxy.port() + "\r\nConnection: close\r\n"
                    + (body.isEmpty() ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n");
            out.write((head + "\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            in.transferTo(OutputStream.nullOutputStream());
            return Integer.parseInt(statusLine.substring(9, 12));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.livecounter.broadcaster.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.livecounter.broadcaster.config.BroadcasterSettings;
import dev.livecounter.broadcaster.limits.ClientLimits;
import dev.livecounter.broadcaster.limits.TestLimits;
import dev.livecounter.common.counters.CounterPolicy;
import dev.livecounter.common.model.CounterNames;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.MutableHttpResponse;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket upgrade is checked before anything is counted: origin, counter name, visit and visitor ids, and the
 * address's limits. A refusal is an HTTP status with a JSON reason ({@code {"error":code,"message":...}}).
 */
class UpgradeGuardTest {

    private static final String HOST = "counter.example:8080";
    private static final String CLIENT_IP = "X-Forwarded-For";

    private static UpgradeGuard guard(List<String> origins, List<String> counters, ClientLimits limits) {
        BroadcasterSettings settings = new BroadcasterSettings("r", null, List.of(URI.create("http://127.0.0.1:8081")),
                List.of(URI.create("http://127.0.0.1:8082")), Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(10),
                origins);
        return new UpgradeGuard(settings, new CounterPolicy(counters), limits);
    }

    private static ClientLimits roomy() {
        return TestLimits.clientLimits(TestLimits.settings(CLIENT_IP, 50, 100, 100, Duration.ofSeconds(70)));
    }

    private static UpgradeGuard guard(List<String> origins) {
        return guard(origins, null, roomy());
    }

    private static MutableHttpRequest<?> upgrade(String query, String client) {
        return upgrade(query, client, HOST);
    }

    private static MutableHttpRequest<?> upgrade(String query, String client, String host) {
        return HttpRequest.GET("/ws" + query).header(HttpHeaders.HOST, host).header(CLIENT_IP, client);
    }

    private static MutableHttpRequest<?> from(String origin) {
        return upgrade("?counter=home", "10.0.0.1").header(HttpHeaders.ORIGIN, origin);
    }

    /** "403 origin_not_allowed", or "allowed". */
    private static String outcome(UpgradeGuard guard, HttpRequest<?> request) {
        MutableHttpResponse<?> refused = guard.check(request);
        if (refused == null) {
            return "allowed";
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) refused.body();
        assertNotEquals(null, body.get("message"), "a refusal says why");
        return refused.code() + " " + body.get("error");
    }

    @Test
    void thePagesOwnOriginIsAllowedOnlyWithTheSameSchemeHostAndPort() {
        UpgradeGuard guard = guard(List.of());
        assertEquals("allowed", outcome(guard, from("http://counter.example:8080")));
        assertEquals("allowed", outcome(guard, from("http://COUNTER.example:8080")));
        assertEquals("403 origin_not_allowed", outcome(guard, from("https://counter.example:8080")));
        assertEquals("403 origin_not_allowed", outcome(guard, from("http://counter.example")));
        assertEquals("403 origin_not_allowed", outcome(guard, from("http://counter.example:8081")));
        assertEquals("403 origin_not_allowed", outcome(guard, from("http://evil.example:8080")));
        assertEquals("403 origin_not_allowed", outcome(guard, from("http://counter.example.evil:8080")));
        assertEquals("403 origin_not_allowed", outcome(guard, from("null")));
        assertEquals("403 origin_not_allowed", outcome(guard, from("http://[broken")));
        // a client that sends no Origin (not a browser) is not refused for it
        assertEquals("allowed", outcome(guard, upgrade("?counter=home", "10.0.0.1")));
    }

    @Test
    void aDefaultPortIsTheSameAsNoPort() {
        UpgradeGuard guard = guard(List.of());
        HttpRequest<?> onPort80 = upgrade("", "10.0.0.1", "counter.example")
                .header(HttpHeaders.ORIGIN, "http://counter.example:80");
        assertEquals("allowed", outcome(guard, onPort80));
    }

    @Test
    void behindATrustedProxyTheSchemeIsTheOneThePageWasServedWith() {
        UpgradeGuard guard = guard(List.of());
        HttpRequest<?> tls = upgrade("", "10.0.0.1", "counter.example")
                .header("X-Forwarded-Proto", "https").header(HttpHeaders.ORIGIN, "https://counter.example");
        assertEquals("allowed", outcome(guard, tls));
        HttpRequest<?> plainPage = upgrade("", "10.0.0.1", "counter.example")
                .header("X-Forwarded-Proto", "https").header(HttpHeaders.ORIGIN, "http://counter.example");
        assertEquals("403 origin_not_allowed", outcome(guard, plainPage));
    }

    @Test
    void listedOriginsAndTheWildcardAreAllowed() {
        assertEquals("allowed", outcome(guard(List.of("https://blog.example")), from("https://blog.example")));
        assertEquals("403 origin_not_allowed", outcome(guard(List.of("https://blog.example")), from("http://blog.example")));
        assertEquals("allowed", outcome(guard(List.of("*")), from("https://anyone.example")));
    }

    @Test
    void aBadCounterNameIs400AndANameNotServedIs403() {
        UpgradeGuard open = guard(List.of());
        assertEquals("400 bad_counter", outcome(open, upgrade("?counter=no%20spaces!", "10.0.0.2")));
        assertEquals("400 bad_counter", outcome(open, upgrade("?counter=" + "a".repeat(200), "10.0.0.2")));
        assertEquals("allowed", outcome(open, upgrade("?counter=news-2026", "10.0.0.2")));
        UpgradeGuard onlyHome = guard(List.of(), List.of("home"), roomy());
        assertEquals("403 counter_not_allowed", outcome(onlyHome, upgrade("?counter=news", "10.0.0.2")));
        assertEquals("allowed", outcome(onlyHome, upgrade("?counter=home", "10.0.0.2")));
        // counter= empty: a socket for table subscriptions only, which counts nothing
        assertEquals("allowed", outcome(onlyHome, upgrade("?counter=", "10.0.0.2")));
    }

    @Test
    void visitAndVisitorIdsFollowTheIdRule() {
        UpgradeGuard guard = guard(List.of());
        assertEquals("allowed", outcome(guard, upgrade("?visit=" + "v".repeat(64) + "&visitor=a_B-9", "10.0.0.3")));
        assertEquals("400 bad_visit", outcome(guard, upgrade("?visit=" + "v".repeat(65), "10.0.0.3")));
        assertEquals("400 bad_visit", outcome(guard, upgrade("?visit=a.b", "10.0.0.3")));
        assertEquals("400 bad_visitor", outcome(guard, upgrade("?visit=v1&visitor=%3Cscript%3E", "10.0.0.3")));
    }

    @Test
    void anAddressPastItsConnectBurstOrItsSocketsIs429() {
        ClientLimits limits = TestLimits.clientLimits(TestLimits.settings(CLIENT_IP, 2, 1, 2, Duration.ofSeconds(70)));
        UpgradeGuard guard = guard(List.of(), null, limits);
        assertEquals("allowed", outcome(guard, upgrade("", "10.0.0.4")));
        assertEquals("allowed", outcome(guard, upgrade("", "10.0.0.4")));
        assertEquals("429 rate_limited", outcome(guard, upgrade("", "10.0.0.4")));
        assertEquals("allowed", outcome(guard, upgrade("", "10.0.0.5")), "another address has its own budget");

        ClientLimits sockets = TestLimits.clientLimits(TestLimits.settings(CLIENT_IP, 2, 100, 100, Duration.ofSeconds(70)));
        UpgradeGuard bySockets = guard(List.of(), null, sockets);
        sockets.opened("10.0.0.6");
        sockets.opened("10.0.0.6");
        assertEquals("429 rate_limited", outcome(bySockets, upgrade("", "10.0.0.6")));
        sockets.closed("10.0.0.6");
        assertEquals("allowed", outcome(bySockets, upgrade("", "10.0.0.6")));
    }

    @Test
    void theSocketsCounterVisitAndVisitorComeFromTheQuery() {
        assertEquals(CounterNames.DEFAULT, UpgradeGuard.counter(HttpRequest.GET("/ws")));
        assertNull(UpgradeGuard.counter(HttpRequest.GET("/ws?counter=")));
        assertEquals("news", UpgradeGuard.counter(HttpRequest.GET("/ws?counter=news")));
        assertEquals("v1", UpgradeGuard.visitId(HttpRequest.GET("/ws?visit=v1")));
        assertNotEquals(UpgradeGuard.visitId(HttpRequest.GET("/ws")), UpgradeGuard.visitId(HttpRequest.GET("/ws")),
                "a client that sends no visit id gets a new one per socket");
        assertNull(UpgradeGuard.visitorId(HttpRequest.GET("/ws")));
    }
}

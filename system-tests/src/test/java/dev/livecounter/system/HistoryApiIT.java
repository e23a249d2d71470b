package dev.livecounter.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livecounter.local.LocalStack;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The public read API: a counter as a count frame shows it, its visits over time, and the API's door. */
@ExtendWith(LiveSystem.Running.class)
class HistoryApiIT {

    @Test
    void threeSocketsWithThreeVisitsMakeThreeVisitsAndThreeUniqueVisitorsInTheLastHour() throws Exception {
        String counter = LiveSystem.uniqueCounter("history");
        List<PageClient> pages = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                pages.add(open(i % 2, counter, id(), id()));
            }
            pages.get(0).awaitCount("all three counted", c -> c.online() == 3 && c.visits() == 3);

            JsonNode history = json(get(0, "/api/counters/" + counter + "/history?resolution=minute", null));
            assertEquals(counter, history.get("counter").asText());
            assertEquals("minute", history.get("resolution").asText());
            JsonNode buckets = history.get("buckets");
            assertEquals(60, buckets.size(), "the last hour, minute by minute, empty minutes as zeros");
            assertEquals(3, sum(buckets, "visits"));
            assertEquals(3, sum(buckets, "uniqueVisitors"));
            assertInTimeOrder(buckets, 60);

            JsonNode count = json(get(1, "/api/counters/" + counter, null));
            assertEquals("count", count.get("type").asText());
            assertEquals(3, count.get("visits").asLong());
            assertEquals(3, count.get("online").asLong());
            assertEquals(3, count.get("uniqueToday").asLong());
            assertTrue(count.get("version").asLong() > 0);

            for (String resolution : List.of("hour", "day")) {
                JsonNode coarse = json(get(0, "/api/counters/" + counter + "/history?resolution=" + resolution, null));
                int expected = resolution.equals("hour") ? 48 : 30;
                assertEquals(expected, coarse.get("buckets").size(), resolution);
                assertEquals(3, sum(coarse.get("buckets"), "visits"), resolution);
                assertEquals(3, sum(coarse.get("buckets"), "uniqueVisitors"), resolution);
            }
        } finally {
            pages.forEach(PageClient::close);
        }
    }

    @Test
    void aVisitorBackOnANewPageLoadIsANewVisitButTheSameVisitorToday() throws Exception {
        String counter = LiveSystem.uniqueCounter("returning");
        String visitor = id();
        try (PageClient first = open(0, counter, id(), visitor)) {
            first.awaitCount(c -> c.visits() == 1);
        }
        try (PageClient again = open(1, counter, id(), visitor);
                PageClient reconnect = open(0, counter, "same-load-" + visitor, visitor)) {
            reconnect.awaitCount(c -> c.visits() == 3 && c.online() == 2);
        }
        // a reconnect of a page load is neither a visit nor a visitor again
        try (PageClient reconnect = open(0, counter, "same-load-" + visitor, visitor)) {
            reconnect.awaitCount(c -> c.online() == 1);
            JsonNode day = json(get(0, "/api/counters/" + counter + "/history?resolution=day", null)).get("buckets");
            assertEquals(3, sum(day, "visits"));
            assertEquals(1, sum(day, "uniqueVisitors"), "one visitor, counted once in the day");
            assertEquals(1, json(get(0, "/api/counters/" + counter, null)).get("uniqueToday").asLong());
            JsonNode minutes = json(get(0, "/api/counters/" + counter + "/history", null)).get("buckets");
            assertEquals(3, sum(minutes, "visits"));
            for (JsonNode bucket : minutes) {
                assertTrue(bucket.get("uniqueVisitors").asLong() <= 1, "once per minute at most: " + bucket);
            }
        }
    }

    @Test
    void manyTabsOfOneVisitorOpeningAtOnceOnBothReplicasAreOneVisitor() throws Exception {
        String counter = LiveSystem.uniqueCounter("tabs");
        String visitor = id();
        List<java.util.concurrent.CompletableFuture<PageClient>> opening = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int replica = i % 2;
            opening.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> open(replica, counter, id(), visitor)));
        }
        List<PageClient> tabs = opening.stream().map(java.util.concurrent.CompletableFuture::join).toList();
        try {
            tabs.get(0).awaitCount("all twelve counted", c -> c.visits() == 12 && c.online() == 12);
            JsonNode day = json(get(0, "/api/counters/" + counter + "/history?resolution=day", null)).get("buckets");
            assertEquals(12, sum(day, "visits"));
            assertEquals(1, sum(day, "uniqueVisitors"), "twelve tabs, one visitor");
            assertEquals(1, json(get(1, "/api/counters/" + counter, null)).get("uniqueToday").asLong());
            for (JsonNode bucket : json(get(0, "/api/counters/" + counter + "/history", null)).get("buckets")) {
                assertTrue(bucket.get("uniqueVisitors").asLong() <= 1, "once per minute at most: " + bucket);
            }
        } finally {
            tabs.forEach(PageClient::close);
        }
    }

    @Test
    void aClientWithoutAVisitorIdCountsVisitsButNoVisitors() throws Exception {
        String counter = LiveSystem.uniqueCounter("oldclient");
        try (PageClient page = PageClient.open(LiveSystem.replica(0), counter, id())) {
            page.awaitCount(c -> c.visits() == 1);
            JsonNode minutes = json(get(0, "/api/counters/" + counter + "/history", null)).get("buckets");
            assertEquals(1, sum(minutes, "visits"));
            assertEquals(0, sum(minutes, "uniqueVisitors"));
        }
    }

    @Test
    void badQueriesGetAClear400() {
        String base = "/api/counters/home/history";
        String tooOld = Instant.now().minusSeconds(49 * 3600).toString();
        for (String query : List.of("?resolution=week", "?from=yesterday", "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
                "?resolution=minute&from=" + tooOld, "?resolution=day&from=2020-01-01T00:00:00Z&to=2025-01-01T00:00:00Z")) {
            HttpResponse<String> response = get(0, base + query, null);
            assertEquals(400, response.statusCode(), query + ": " + response.body());
            assertFalse(json(response).get("message").asText().isBlank(), query);
        }
        assertEquals(400, get(0, "/api/counters/%3Cscript%3E", null).statusCode());
        URI badVisitor = URI.create("ws://127.0.0.1:" + LiveSystem.replica(0) + "/ws?counter=home&visitor=%3Cx%3E");
        assertEquals(400, PageClient.upgradeStatus(badVisitor, null));
    }

    @Test
    void datesOutsideTheRepresentableRangeAreA400WithTheUsualBody() {
        ServiceLogs logs = ServiceLogs.mark();
        for (String query : List.of(
                "resolution=minute&to=+1000000000-12-31T23:59:59Z",
                "resolution=hour&to=+1000000000-12-31T23:59:59Z",
                "resolution=day&to=+1000000000-12-31T23:59:59Z",
                "resolution=day&from=-1000000000-01-01T00:00:00Z",
                "resolution=day&from=+10000-01-01T00:00:00Z&to=+10000-01-02T00:00:00Z",
                "resolution=day&from=-0001-01-01T00:00:00Z&to=0000-01-02T00:00:00Z",
                "resolution=minute&to=+999999999-12-31T23:59:59.999999999Z",
                "resolution=day&to=9999-12-31T23:59:59-18:00")) {
            HttpResponse<String> response = get(0, "/api/counters/home/history?" + encoded(query), null);
            assertEquals(400, response.statusCode(), query + ": " + response.body());
            JsonNode body = json(response);
            assertEquals("bad_request", body.get("error").asText(), query + ": " + response.body());
            assertTrue(body.get("message").asText().contains("between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z"),
                    query + ": " + response.body());
        }
        HttpResponse<String> latest = get(1, "/api/counters/home/history?resolution=day&to=9999-12-31T23:59:59Z", null);
        assertEquals(200, latest.statusCode(), "the last representable day is answered: " + latest.body());
        assertEquals(30, json(latest).get("buckets").size());
        logs.assertNoRequestErrorSince();
    }

    @Test
    void aFuzzOfExtremeDatesNeverGetsA5xx() {
        ServiceLogs logs = ServiceLogs.mark();
        Random random = new Random(22);
        String[] resolutions = {"minute", "hour", "day", null};
        for (int i = 0; i < 300; i++) {
            StringBuilder query = new StringBuilder();
            String resolution = resolutions[random.nextInt(resolutions.length)];
            if (resolution != null) {
                query.append("resolution=").append(resolution);
            }
            String from = extremeDate(random);
            // a range near its start as often as not: inside the bucket limit, so the arithmetic and the read are reached
            String to = random.nextBoolean() ? extremeDate(random) : near(from, random);
            if (random.nextInt(4) > 0) {
                query.append(query.isEmpty() ? "" : "&").append("from=").append(from);
            }
            if (random.nextInt(4) > 0) {
                query.append(query.isEmpty() ? "" : "&").append("to=").append(to);
            }
            HttpResponse<String> response = get(i % 2, "/api/counters/home/history?" + encoded(query.toString()), null);
            assertTrue(response.statusCode() == 200 || response.statusCode() == 400, query + ": " + response.statusCode()
                    + " " + response.body());
            if (response.statusCode() == 400) {
                assertEquals("bad_request", json(response).get("error").asText(), query + ": " + response.body());
            }
        }
        logs.assertNoRequestErrorSince();
    }

    /**
     * The services' logs ({@code local-stack/target/logs}) from a mark on: a client's bad input is answered, never
     * logged as an error with its stack trace, nor as a failed read. Lines of other parts (the stream consumer's
     * retries under load) are not this test's business.
     */
    private record ServiceLogs(Map<Path, Long> sizes) {
        private static final List<String> REQUEST_ERRORS = List.of("RouteExecutor", "Unexpected error", "API read failed",
                "DateTimeException", "ValidationException");

        static ServiceLogs mark() {
            Map<Path, Long> sizes = new HashMap<>();
            for (Path log : logs()) {
                sizes.put(log, log.toFile().length());
            }
            return new ServiceLogs(sizes);
        }

        void assertNoRequestErrorSince() {
            for (Path log : logs()) {
                try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
                    file.seek(sizes.getOrDefault(log, 0L));
                    byte[] added = new byte[(int) (file.length() - file.getFilePointer())];
                    file.readFully(added);
                    for (String line : new String(added, StandardCharsets.UTF_8).split("\n")) {
                        assertTrue(REQUEST_ERRORS.stream().noneMatch(line::contains), log.getFileName() + ": " + line);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        private static List<Path> logs() {
            File[] files = LocalStack.logDirectory().toFile()
                    .listFiles((dir, name) -> name.endsWith(".log") && !name.startsWith("dynamodb"));
            return files == null ? List.of() : Arrays.stream(files).map(File::toPath).toList();
        }
    }

    /**
     * A date at or past the edges of what an instant can be and of what a bucket key can say: near the largest and
     * smallest instants, across year 9999/10000 and 1970, huge and tiny years, odd offsets, leap seconds.
     */
    private static String extremeDate(Random random) {
        long days3 = 3 * 86_400;
        return switch (random.nextInt(7)) {
            case 0 -> Instant.MAX.minusSeconds(random.nextLong(days3)).toString();
            case 1 -> Instant.MIN.plusSeconds(random.nextLong(days3)).toString();
            case 2 -> Instant.parse("+10000-01-01T00:00:00Z").plusSeconds(random.nextLong(-days3, days3)).toString();
            case 3 -> Instant.EPOCH.plusSeconds(random.nextLong(-days3, days3)).toString();
            default -> {
                long year = switch (random.nextInt(3)) {
                    case 0 -> random.nextLong(-1_000_000_000L, 1_000_000_001L);
                    case 1 -> random.nextLong(-20_000, 20_001);
                    default -> random.nextLong(1960, 10_050);
                };
                String yyyy = year > 9999 ? "+" + year : year < 0 ? String.format("-%04d", -year) : String.format("%04d", year);
                String zone = List.of("Z", "Z", "Z", "+18:00", "-18:00", "+99:00", "+05:30", "", "-00:00")
                        .get(random.nextInt(9));
                yield String.format("%s-%02d-%02dT%02d:%02d:%02d%s", yyyy, random.nextInt(1, 13), random.nextInt(1, 32),
                        random.nextInt(0, 25), random.nextInt(0, 60), random.nextInt(0, 61), zone);
            }
        };
    }

    /** A date up to a day after {@code date}, when that parses and is an instant; else another extreme one. */
    private static String near(String date, Random random) {
        try {
            return Instant.parse(date).plusSeconds(random.nextLong(86_400)).toString();
        } catch (DateTimeException e) {
            return extremeDate(random);
        }
    }

    /** The query as a browser sends it: {@code +} and {@code :} escaped, so a year's sign is not a space. */
    private static String encoded(String query) {
        StringBuilder out = new StringBuilder();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            out.append(out.isEmpty() ? "" : "&").append(pair, 0, eq + 1)
                    .append(URLEncoder.encode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    @Test
    void allowedOriginsMayReadTheApiOthersNot() {
        String allowed = "http://127.0.0.1:" + LiveSystem.allowedSitePort();
        HttpResponse<String> fromAllowed = get(0, "/api/counters/home", allowed);
        assertEquals(200, fromAllowed.statusCode());
        assertEquals(allowed, fromAllowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        HttpResponse<String> fromOther = get(0, "/api/counters/home", "http://evil.example");
        assertTrue(fromOther.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void theApiIsReadOnlyAndRateLimitedPerAddress() {
        String address = PageClient.uniqueAddress();
        HttpResponse<String> post = LiveSystem.send(request(0, "/api/counters/home", null, address)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(405, post.statusCode());
        int limited = 0;
        for (int i = 0; i < 60 && limited == 0; i++) {
            limited += LiveSystem.send(request(0, "/api/counters/home", null, address).build()).statusCode() == 429 ? 1 : 0;
        }
        assertEquals(1, limited, "an address that keeps asking gets 429");
        assertEquals(200, get(0, "/api/counters/home", null).statusCode(), "another address is not held back");
    }

    private static PageClient open(int replica, String counter, String visit, String visitor) {
        return PageClient.open(URI.create("ws://127.0.0.1:" + LiveSystem.replica(replica) + "/ws?counter=" + counter
                + "&visit=" + visit + "&visitor=" + visitor), null);
    }

    private static String id() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static HttpRequest.Builder request(int replica, String path, String origin, String address) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + LiveSystem.replica(replica) + path))
                .header(LiveSystem.CLIENT_IP_HEADER, address);
        if (origin != null) {
            request.header("Origin", origin);
        }
        return request;
    }

    static HttpResponse<String> get(int replica, String path, String origin) {
        return LiveSystem.send(request(replica, path, origin, PageClient.uniqueAddress()).build());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return PageClient.JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    static long sum(JsonNode buckets, String field) {
        long sum = 0;
        for (JsonNode bucket : buckets) {
            sum += bucket.get(field).asLong();
        }
        return sum;
    }

    private static void assertInTimeOrder(JsonNode buckets, long secondsApart) {
        Instant previous = null;
        for (JsonNode bucket : buckets) {
            Instant start = Instant.parse(bucket.get("start").asText());
            if (previous != null) {
                assertEquals(secondsApart, start.getEpochSecond() - previous.getEpochSecond(), bucket.toString());
            }
            previous = start;
        }
    }
}

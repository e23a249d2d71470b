package dev.livecounter.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.livecounter.helm.RenderedChart;
import dev.livecounter.local.LocalStack;
import dev.livecounter.local.Ports;
import dev.livecounter.local.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart's monitoring against the real thing: Debian's {@code prometheus} binary scrapes the running local stack
 * the way the chart's ServiceMonitor says (its port's services, its path, the {@code component} label it sets),
 * evaluates the chart's rendered PrometheusRule (with {@code for: 5s}), and the alerts fire and clear through
 * Prometheus's own API when a broadcaster is killed and DynamoDB is cut. Every expression of the shipped dashboards
 * returns a series, and the series each service exports stay under a bound that does not grow with counters.
 *
 * <p>Without {@code /usr/bin/prometheus} it skips, unless {@code LIVECOUNTER_REQUIRE_PROMETHEUS=true} (CI).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusAlertsIT {

    static final Path PROMETHEUS = Path.of(System.getProperty("livecounter.prometheus", "/usr/bin/prometheus"));
    static final Path FORCED_ON = Path.of(System.getProperty("livecounter.chart", "../helm/live-counter"))
            .resolveSibling("src/test/resources/monitoring/forced-on.yaml");
    /** Series per service, whatever the number of counters and sockets (measured: see the test's output). */
    static final int SERIES_BOUND = 1500;
    private static final Duration FIRE = Duration.ofMinutes(4);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final OwnStack stack = new OwnStack(b -> b.broadcasters(2)
            .dynamoDbProxy(true)
            // as behind the ingress: each test client its own address (PageClient sets it), each within the limits
            .broadcasterEnv("LIVECOUNTER_LIMITS_CLIENT_IP_HEADER", LiveSystem.CLIENT_IP_HEADER)
            // the cardinality check opens dozens of new counters within a minute
            .env("LIVECOUNTER_COUNTERS_NEW_PER_MINUTE", "0"));

    private static RenderedChart chart;
    private static Process prometheus;
    private static URI api;
    private static Path work;
    private static final List<PageClient> pages = new ArrayList<>();

    @BeforeAll
    static void startPrometheus() throws Exception {
        boolean installed = Files.isExecutable(PROMETHEUS);
        String missing = "no " + PROMETHEUS + ": apt-get install -y prometheus";
        if (!installed && "true".equalsIgnoreCase(System.getenv("LIVECOUNTER_REQUIRE_PROMETHEUS"))) {
            Assertions.fail(missing);
        }
        Assumptions.assumeTrue(installed, missing);
        chart = RenderedChart.render(FORCED_ON);
        work = Files.createTempDirectory("prometheus-it-");
        Map<String, Object> rule = chart.get("PrometheusRule", "demo-live-counter");
        Files.writeString(work.resolve("rules.yaml"), new Yaml().dump(rule.get("spec")));
        Files.writeString(work.resolve("prometheus.yml"), new Yaml().dump(scrapeConfig()));
        int port = Ports.free();
        api = URI.create("http://127.0.0.1:" + port);
        Path log = LocalStack.logDirectory().resolve("prometheus.log");
        Files.createDirectories(log.getParent());
        prometheus = new ProcessBuilder(PROMETHEUS.toString(),
                        "--config.file=" + work.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + work.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        await("prometheus ready").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> get("/-/ready").statusCode() == 200);
    }

    @AfterAll
    static void stopPrometheus() {
        pages.forEach(PageClient::close);
        if (prometheus != null) {
            dev.livecounter.local.ChildProcess.stop(prometheus, Duration.ofSeconds(10));
        }
    }

    /**
     * The scrape config the chart's ServiceMonitor stands for: the Services it selects (by component), their port
     * (here each service's local port), its path, its interval, and the labels its relabeling and the operator add.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> scrapeConfig() {
        Map<String, Object> monitor = chart.get("ServiceMonitor", "demo-live-counter");
        Map<String, Object> endpoint = ((List<Map<String, Object>>) ((Map<String, Object>) monitor.get("spec"))
                .get("endpoints")).get(0);
        List<Map<String, Object>> expressions = (List<Map<String, Object>>) ((Map<String, Object>)
                ((Map<String, Object>) monitor.get("spec")).get("selector")).get("matchExpressions");
        List<String> components = (List<String>) expressions.get(0).get("values");
        Map<String, List<Integer>> ports = new LinkedHashMap<>();
        ports.put("broadcaster-service", stack.get().broadcasters().stream().map(ServiceProcess::port).toList());
        ports.put("connection-service", List.of(stack.get().connectionService().port()));
        ports.put("counter-service", List.of(stack.get().counterService().port()));
        assertEquals(Set.copyOf(components), ports.keySet(), "the ServiceMonitor selects the three services");
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (String component : components) {
            jobs.add(Map.of(
                    "job_name", component,
                    "metrics_path", endpoint.get("path"),
                    "scrape_interval", "2s",
                    "static_configs", List.of(Map.of(
                            "targets", ports.get(component).stream().map(p -> "127.0.0.1:" + p).toList(),
                            "labels", Map.of("component", component, "namespace", "live-counter")))));
        }
        return Map.of(
                "global", Map.of("scrape_interval", "2s", "evaluation_interval", "2s"),
                "rule_files", List.of("rules.yaml"),
                "scrape_configs", jobs);
    }

    @Test
    @Order(1)
    void everyTargetIsUpAndNoAlertFiresOnAHealthyStack() throws Exception {
        await("4 targets up").atMost(Duration.ofSeconds(60)).until(() -> value("sum(up)") == 4);
        load(5);
        await("a broadcaster holds the stream lease").atMost(Duration.ofMinutes(2))
                .until(() -> value("sum(livecounter_stream_shards_held)") >= 1);
        await("changes measured").atMost(Duration.ofSeconds(60))
                .until(() -> value("sum(livecounter_change_frame_latency_seconds_count)") >= 1);
        // an upgrade the guard refuses is counted by its outcome
        assertEquals(403, PageClient.upgradeStatus(URI.create("ws://127.0.0.1:" + stack.get().broadcaster(0).port()
                + "/ws?counter=home"), "https://elsewhere.example"));
        await("the refused upgrade counted").atMost(Duration.ofSeconds(30))
                .until(() -> value("sum(livecounter_connects_total{outcome=\"refused\"})") >= 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> firing().stream().noneMatch(Set.of(
                "LiveCounterReplicaDown", "LiveCounterServiceDown", "LiveCounterDynamoDbUnavailable",
                "LiveCounterReaperFailing", "LiveCounterNoStreamLease")::contains));
    }

    @Test
    @Order(2)
    void everyDashboardExpressionReturnsASeries() throws Exception {
        load(3);
        await().atMost(Duration.ofSeconds(30)).until(() -> value("sum(livecounter_presses_total{outcome=\"ok\"})") >= 1);
        // a rate needs two samples of the counter after it moved
        await().atMost(Duration.ofSeconds(30))
                .until(() -> value("sum(rate(livecounter_presses_total{outcome=\"ok\"}[5m]))") > 0);
        List<String> expressions = dashboardExpressions();
        // meters of lazily created beans (a service's batcher) appear with its first call: a rate needs two samples
        List<String> dead = new ArrayList<>();
        await("every dashboard expression returns a series").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> {
                    dead.clear();
                    for (String expr : expressions) {
                        JsonNode result = query(expr);
                        if (result.isEmpty()) {
                            dead.add(expr);
                        }
                        for (String label : groupingLabels(expr)) {
                            for (JsonNode series : result) {
                                if (series.path("metric").path(label).asText().isEmpty()) {
                                    dead.add(expr + ": a series without the label " + label);
                                }
                            }
                        }
                    }
                    return dead.isEmpty();
                });
        System.out.println("Dashboard expressions evaluated: " + expressions.size() + ", every one returns a series");
        assertTrue(expressions.size() >= 16, "only " + expressions.size() + " expressions");
    }

    /** The labels an expression groups or matches by (le excepted: histogram_quantile consumes it). */
    static Set<String> groupingLabels(String expr) {
        Set<String> labels = new java.util.TreeSet<>();
        java.util.regex.Matcher clause = java.util.regex.Pattern.compile("\\b(?:by|on)\\s*\\(([^)]*)\\)").matcher(expr);
        while (clause.find()) {
            for (String label : clause.group(1).split(",")) {
                if (!label.isBlank() && !label.trim().equals("le")) {
                    labels.add(label.trim());
                }
            }
        }
        return labels;
    }

    /** Every PromQL expression of every dashboard the chart renders. */
    private static List<String> dashboardExpressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        for (Map<String, Object> configMap : chart.ofKind("ConfigMap")) {
            @SuppressWarnings("unchecked")
            Map<String, String> data = (Map<String, String>) configMap.get("data");
            if (data == null || data.keySet().stream().noneMatch(k -> k.endsWith(".json"))) {
                continue;
            }
            for (String json : data.values()) {
                for (JsonNode panel : PageClient.JSON.readTree(json).path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        expressions.add(target.path("expr").asText());
                    }
                }
            }
        }
        return expressions;
    }

    @Test
    @Order(3)
    void seriesPerServiceStayBoundedAndDoNotGrowWithCounters() throws Exception {
        Map<String, Double> before = seriesPerJob();
        load(25);
        String counter = "prom-many-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 40; i++) {
            PageClient page = PageClient.open(stack.get().broadcaster(i % 2).port(), counter, null);
            pages.add(page);
        }
        pages.get(pages.size() - 1).awaitCount(c -> c.online() == 40);
        // two scrapes later
        await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() -> true);
        Map<String, Double> after = seriesPerJob();
        System.out.println("Series per service, after 8 counters and 8 sockets: " + before
                + "; after 26 more counters and 65 sockets: " + after);
        after.forEach((job, count) -> {
            assertTrue(count < SERIES_BOUND, job + " exports " + count + " series");
            assertTrue(count - before.getOrDefault(job, 0.0) < 10, job + " grew from " + before.get(job) + " to " + count
                    + " with 25 counters");
        });
    }

    @Test
    @Order(4)
    void aKilledBroadcasterFiresReplicaDownAndItsRestartClearsIt() throws Exception {
        ServiceProcess victim = stack.get().broadcaster(1);
        long killed = System.nanoTime();
        victim.kill();
        await("LiveCounterReplicaDown firing").atMost(FIRE).pollInterval(Duration.ofMillis(500))
                .until(() -> firing().contains("LiveCounterReplicaDown"));
        double fired = seconds(killed);
        long restarted = System.nanoTime();
        victim.start().awaitHealthy(Duration.ofSeconds(120));
        await("LiveCounterReplicaDown cleared").atMost(FIRE).pollInterval(Duration.ofMillis(500))
                .until(() -> !firing().contains("LiveCounterReplicaDown"));
        System.out.printf("LiveCounterReplicaDown: fired %.1f s after kill -9, cleared %.1f s after the restart began%n",
                fired, seconds(restarted));
    }

    @Test
    @Order(5)
    void cuttingDynamoDbFiresItsAlertsAndRestoringItClearsThem() throws Exception {
        List<String> expected = List.of("LiveCounterDynamoDbUnavailable", "LiveCounterReaperFailing");
        Map<String, Double> firedAfter = new LinkedHashMap<>();
        long cut = System.nanoTime();
        stack.get().dynamoDbProxy().cut();
        try {
            await("DynamoDB alerts firing").atMost(FIRE).pollInterval(Duration.ofMillis(500)).until(() -> {
                List<String> now = firing();
                for (String alert : expected) {
                    if (now.contains(alert)) {
                        firedAfter.putIfAbsent(alert, seconds(cut));
                    }
                }
                return firedAfter.keySet().containsAll(expected);
            });
        } finally {
            stack.get().dynamoDbProxy().restore();
        }
        long restored = System.nanoTime();
        Map<String, Double> clearedAfter = new LinkedHashMap<>();
        await("DynamoDB alerts cleared").atMost(FIRE).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<String> now = firing();
            for (String alert : expected) {
                if (!now.contains(alert)) {
                    clearedAfter.putIfAbsent(alert, seconds(restored));
                }
            }
            return clearedAfter.keySet().containsAll(expected);
        });
        for (String alert : expected) {
            System.out.printf("%s: fired %.1f s after the cut, cleared %.1f s after the restore%n",
                    alert, firedAfter.get(alert), clearedAfter.get(alert));
        }
        assertFalse(firing().contains("LiveCounterServiceDown"));
    }

    /** Opens a page on each of {@code counters} new counters, alternating the replicas, and presses once on each. */
    private static void load(int counters) {
        List<ServiceProcess> replicas = stack.get().broadcasters();
        for (int i = 0; i < counters; i++) {
            String counter = "prom-" + UUID.randomUUID().toString().substring(0, 8);
            PageClient page = PageClient.open(replicas.get(i % replicas.size()).port(), counter, null);
            pages.add(page);
            page.awaitCount(c -> c.online() == 1);
            page.send(PageClient.PLUS);
            page.awaitCount(c -> c.value() == 1);
        }
    }

    private static Map<String, Double> seriesPerJob() throws Exception {
        Map<String, Double> counts = new LinkedHashMap<>();
        for (JsonNode series : query("count by (job) ({job=~\".+\"})")) {
            counts.put(series.path("metric").path("job").asText(), series.path("value").get(1).asDouble());
        }
        return counts;
    }

    /** The names of the alerts firing now, from Prometheus's own API. */
    private static List<String> firing() throws IOException, InterruptedException {
        JsonNode alerts = PageClient.JSON.readTree(get("/api/v1/alerts").body()).path("data").path("alerts");
        List<String> names = new ArrayList<>();
        for (JsonNode alert : alerts) {
            if ("firing".equals(alert.path("state").asText())) {
                names.add(alert.path("labels").path("alertname").asText());
            }
        }
        return names;
    }

    private static double value(String expr) throws Exception {
        JsonNode result = query(expr);
        return result.isEmpty() ? Double.NaN : result.get(0).path("value").get(1).asDouble();
    }

    private static JsonNode query(String expr) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        JsonNode body = PageClient.JSON.readTree(response.body());
        assertEquals("success", body.path("status").asText(), expr + ": " + response.body());
        return body.path("data").path("result");
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}

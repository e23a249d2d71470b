package dev.livecounter.helm;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import com.marcnuri.helm.LintResult;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The ServiceMonitor, PodMonitor, PrometheusRule and dashboards: each renders where the cluster serves
 * monitoring.coreos.com/v1 (or where a value forces it), never on a plain cluster by default, and what renders
 * is what Prometheus and Grafana need.
 */
class ChartMonitoringTest {

    static final Path FORCED_ON = Path.of("src", "test", "resources", "monitoring", "forced-on.yaml");
    static final Path FORCED_OFF = Path.of("src", "test", "resources", "monitoring", "forced-off.yaml");
    static final Path OPERATIONS = Path.of("..", "docs", "operations.md");
    static final Path RULES = HelmRunner.CHART.resolve("files").resolve("alerts.yaml");
    private static final Set<String> MONITORING_KINDS = Set.of("ServiceMonitor", "PodMonitor", "PrometheusRule");

    /** Every rendered document of these kinds, and the dashboards' ConfigMaps, as "Kind/name". */
    private static List<String> monitoring(String manifest) {
        return RenderedChart.of(manifest).documents().stream()
                .filter(doc -> MONITORING_KINDS.contains(doc.get("kind")) || isDashboard(doc))
                .map(doc -> doc.get("kind") + "/" + Yamls.at(doc, "metadata.name"))
                .sorted()
                .toList();
    }

    private static boolean isDashboard(Map<String, Object> doc) {
        Map<String, Object> labels = Yamls.at(doc, "metadata.labels");
        return "ConfigMap".equals(doc.get("kind")) && labels != null && "1".equals(labels.get("grafana_dashboard"));
    }

    @Test
    void aPlainClusterGetsNoMonitoringPieces() {
        assertEquals(List.of(), monitoring(HelmRunner.template(HelmRunner.values("defaults.yaml"))));
    }

    @Test
    void aClusterWithThePrometheusOperatorGetsTheServiceMonitorTheRulesAndTheDashboards() {
        assertEquals(List.of(
                        "ConfigMap/demo-live-counter-dashboard-internals",
                        "ConfigMap/demo-live-counter-dashboard-overview",
                        "PrometheusRule/demo-live-counter",
                        "ServiceMonitor/demo-live-counter"),
                monitoring(HelmRunner.templateWithMonitoringApi(HelmRunner.values("defaults.yaml"))));
    }

    @Test
    void valuesForceEachPieceOnOrOffWhateverTheClusterServes() {
        assertEquals(List.of(), monitoring(HelmRunner.templateWithMonitoringApi(FORCED_OFF)));
        assertEquals(List.of(
                        "ConfigMap/demo-live-counter-dashboard-internals",
                        "ConfigMap/demo-live-counter-dashboard-overview",
                        "PodMonitor/demo-live-counter",
                        "PrometheusRule/demo-live-counter",
                        "ServiceMonitor/demo-live-counter"),
                monitoring(HelmRunner.template(FORCED_ON)));
    }

    @Test
    void lintStrictPassesWithEveryPieceForcedOn() {
        LintResult result = HelmRunner.lintStrict(FORCED_ON);
        assertFalse(result.isFailed(), String.join("\n", result.getMessages()));
    }

    @Test
    void theMonitorsScrapeEveryServicesMetricsPortAndPathAndLabelTheComponent() {
        RenderedChart chart = RenderedChart.of(HelmRunner.template(FORCED_ON));
        for (String kind : List.of("ServiceMonitor", "PodMonitor")) {
            Map<String, Object> monitor = chart.get(kind, "demo-live-counter");
            String endpoints = kind.equals("ServiceMonitor") ? "spec.endpoints" : "spec.podMetricsEndpoints";
            List<Map<String, Object>> scraped = Yamls.at(monitor, endpoints);
            assertEquals(1, scraped.size());
            assertEquals("http", scraped.get(0).get("port"));
            assertEquals("/prometheus", scraped.get(0).get("path"));
            assertEquals("5s", scraped.get(0).get("interval"));
            List<Map<String, Object>> relabelings = Yamls.at(scraped.get(0), "relabelings");
            assertEquals("component", relabelings.get(0).get("targetLabel"));
            List<Map<String, Object>> expressions = Yamls.at(monitor, "spec.selector.matchExpressions");
            @SuppressWarnings("unchecked")
            List<String> components = (List<String>) expressions.get(0).get("values");
            assertEquals(ChartRenderTest.PORTS.keySet(), Set.copyOf(components));
            Map<String, Object> selector = Yamls.at(monitor, "spec.selector.matchLabels");
            // the monitor selects each service's Service (or pods) by the labels the chart gives them
            for (String component : components) {
                Map<String, Object> service = chart.get("Service", "demo-live-counter-" + component);
                Map<String, Object> labels = Yamls.at(service, "metadata.labels");
                assertTrue(labels.entrySet().containsAll(selector.entrySet()), component);
                assertEquals(component, labels.get("app.kubernetes.io/component"));
                List<Map<String, Object>> ports = Yamls.at(service, "spec.ports");
                assertEquals("http", ports.get(0).get("name"));
            }
        }
    }

    @Test
    void theRuleIsTheRulesFileWithTheValuesRewritesOnly() {
        Map<String, Object> rule = RenderedChart.of(HelmRunner.template(FORCED_ON)).get("PrometheusRule", "demo-live-counter");
        Map<String, Object> file = Yamls.map(RULES);
        List<Map<String, Object>> rendered = rules(Yamls.at(rule, "spec"));
        List<Map<String, Object>> original = rules(file);
        assertEquals(original.size(), rendered.size());
        for (int i = 0; i < original.size(); i++) {
            Map<String, Object> want = original.get(i);
            Map<String, Object> got = rendered.get(i);
            assertEquals(want.get("expr"), got.get("expr"));
            if (want.containsKey("alert")) {
                assertEquals("5s", got.get("for"));
                String runbook = Yamls.at(got, "annotations.runbook_url");
                assertTrue(runbook.startsWith("https://example.org/ops.md#"), runbook);
            }
        }
    }

    @Test
    void atLeastEightAlertsEachWithSeveritySummaryAndARunbookSectionThatExists() {
        Set<String> anchors = anchors(Yamls.read(OPERATIONS));
        List<Map<String, Object>> alerts = rules(Yamls.map(RULES)).stream()
                .filter(rule -> rule.containsKey("alert"))
                .toList();
        assertTrue(alerts.stream().map(alert -> alert.get("alert")).distinct().count() >= 8, "fewer than 8 alerts");
        assertAll(alerts.stream().map(alert -> () -> {
            String name = (String) alert.get("alert");
            assertTrue(Set.of("critical", "warning", "info").contains(Yamls.at(alert, "labels.severity")), name);
            assertFalse(((String) Yamls.at(alert, "annotations.summary")).isBlank(), name);
            String runbook = Yamls.at(alert, "annotations.runbook_url");
            String anchor = runbook.substring(runbook.indexOf('#') + 1);
            assertTrue(runbook.contains("/docs/operations.md#"), name + ": " + runbook);
            assertTrue(anchors.contains(anchor), name + ": no section #" + anchor + " in docs/operations.md");
        }));
    }

    @Test
    void dashboardsAreValidJsonWithUniquePanelIdsAndAQueryInEveryPanel() {
        RenderedChart chart = RenderedChart.of(HelmRunner.template(FORCED_ON));
        List<Map<String, Object>> dashboards = chart.documents().stream().filter(ChartMonitoringTest::isDashboard).toList();
        assertEquals(2, dashboards.size());
        for (Map<String, Object> configMap : dashboards) {
            assertEquals("Live Counter", Yamls.at(configMap, "metadata.annotations.grafana_folder"));
            Map<String, Object> data = Yamls.at(configMap, "data");
            assertEquals(1, data.size());
            String json = (String) data.values().iterator().next();
            JsonObject dashboard = strictJson(json).getAsJsonObject();
            assertFalse(dashboard.get("uid").getAsString().isBlank());
            Set<Integer> ids = new HashSet<>();
            dashboard.getAsJsonArray("panels").forEach(panel -> {
                JsonObject p = panel.getAsJsonObject();
                assertTrue(ids.add(p.get("id").getAsInt()), "panel id " + p.get("id") + " twice");
                assertFalse(p.getAsJsonArray("targets").isEmpty(), p.get("title").getAsString());
            });
            assertTrue(ids.size() >= 6, "only " + ids.size() + " panels");
        }
    }

    /** Every PromQL expression of every shipped dashboard, for the Prometheus IT. */
    static List<String> dashboardExpressions() {
        List<String> expressions = new ArrayList<>();
        for (String name : List.of("overview.json", "internals.json")) {
            JsonObject dashboard = strictJson(Yamls.read(HelmRunner.CHART.resolve("files").resolve("dashboards").resolve(name)))
                    .getAsJsonObject();
            dashboard.getAsJsonArray("panels").forEach(panel -> panel.getAsJsonObject().getAsJsonArray("targets")
                    .forEach(target -> expressions.add(target.getAsJsonObject().get("expr").getAsString())));
        }
        return expressions;
    }

    private static JsonElement strictJson(String text) {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(com.google.gson.Strictness.STRICT);
        return JsonParser.parseReader(reader);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules(Map<String, Object> rulesFile) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rulesFile.get("groups")) {
            all.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return all;
    }

    /** The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces as dashes. */
    static Set<String> anchors(String markdown) {
        return markdown.lines()
                .filter(line -> line.startsWith("#"))
                .map(line -> line.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9 _-]", "")
                        .replace(' ', '-'))
                .collect(Collectors.toSet());
    }
}

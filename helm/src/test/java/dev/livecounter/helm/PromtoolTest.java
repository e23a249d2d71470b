package dev.livecounter.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's rules file passes Prometheus's own checks: {@code promtool check rules}, and {@code promtool test rules}
 * with a unit test per alert (src/test/promtool/alerts.test.yaml). Debian's {@code prometheus} package provides
 * promtool ({@code -Dlivecounter.promtool}, default /usr/bin/promtool); without it the tests skip, unless
 * {@code LIVECOUNTER_REQUIRE_PROMETHEUS=true} (CI) makes its absence a failure.
 */
class PromtoolTest {

    static final Path PROMTOOL = Path.of(System.getProperty("livecounter.promtool", "/usr/bin/promtool"));
    private static final Path RULES = HelmRunner.CHART.resolve("files").resolve("alerts.yaml");
    private static final Path RULE_TESTS = Path.of("src", "test", "promtool", "alerts.test.yaml");

    @BeforeAll
    static void promtoolIsInstalled() {
        boolean installed = Files.isExecutable(PROMTOOL);
        String missing = "no " + PROMTOOL + ": apt-get install -y prometheus";
        if (!installed && "true".equalsIgnoreCase(System.getenv("LIVECOUNTER_REQUIRE_PROMETHEUS"))) {
            Assertions.fail(missing);
        }
        Assumptions.assumeTrue(installed, missing);
    }

    @Test
    void theRulesFilePassesPromtoolCheckRules() throws Exception {
        promtool("check", "rules", RULES.toString());
    }

    @Test
    void theRulesAsTheChartRendersThemPassPromtoolCheckRules() throws Exception {
        Map<String, Object> rule = RenderedChart.of(HelmRunner.template(ChartMonitoringTest.FORCED_ON))
                .get("PrometheusRule", "demo-live-counter");
        Path rendered = Files.createTempFile("rendered-rules-", ".yaml");
        try {
            Files.writeString(rendered, Yamls.dump(rule.get("spec")));
            promtool("check", "rules", rendered.toString());
        } finally {
            Files.deleteIfExists(rendered);
        }
    }

    @Test
    void everyAlertFiresOnItsSeriesAndStaysQuietOnTheOthers() throws Exception {
        String out = promtool("test", "rules", RULE_TESTS.toString());
        System.out.println(out);
    }

    @Test
    void everyAlertOfTheRulesFileHasATestCase() throws IOException {
        String tests = Files.readString(RULE_TESTS);
        List<String> untested = ChartMonitoringTest.rules(Yamls.map(RULES)).stream()
                .filter(rule -> rule.containsKey("alert"))
                .map(rule -> (String) rule.get("alert"))
                .distinct()
                .filter(alert -> !tests.contains("alertname: " + alert + "\n"))
                .toList();
        assertEquals(List.of(), untested);
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(PROMTOOL.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            Assertions.fail("promtool " + String.join(" ", args) + " did not finish");
        }
        assertEquals(0, process.exitValue(), "promtool " + String.join(" ", args) + ":\n" + out);
        return out;
    }
}

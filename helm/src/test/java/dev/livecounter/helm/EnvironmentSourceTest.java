package dev.livecounter.helm;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.livecounter.helm.RenderedChart.Workload;
import dev.livecounter.local.StackEnvironment;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services' environment is described once, in {@code environment.yaml} at the repository root; each form that
 * sets it (the chart, the kustomize manifests, LocalStack) sets exactly the variables it lists for that form and
 * service, and the chart's defaults are the values it gives.
 */
class EnvironmentSourceTest {

    private static final Path SOURCE = Path.of("..", "environment.yaml");
    private static final List<String> SERVICES = List.of("broadcaster-service", "connection-service", "counter-service");
    /** The release name the kustomize manifests' object names are those of. */
    private static final String RELEASE = "live-counter";

    /** One variable of the source. */
    record Variable(String name, Set<String> services, Set<String> forms, String value) {}

    @TempDir
    Path dir;

    @Test
    void theChartWithItsDefaultsSetsTheKubernetesFormWithItsValues() {
        RenderedChart chart = RenderedChart.render(HelmRunner.values("defaults.yaml"), RELEASE);
        assertForm("kubernetes", "chart", service -> chart.workload(service).env());
        List<Executable> values = new ArrayList<>();
        for (Variable variable : source()) {
            if (variable.forms().contains("kubernetes") && variable.value() != null) {
                for (String service : variable.services()) {
                    values.add(() -> assertEquals(variable.value(), chart.workload(service).env().get(variable.name()),
                            "chart default of " + variable.name() + " in " + service));
                }
            }
        }
        assertAll(values);
    }

    @Test
    void theKustomizeBaseSetsTheKubernetesForm() {
        RenderedChart base = PlainManifestsTest.base();
        assertForm("kubernetes", "k8s/base", service -> base.workload(service).env());
    }

    @Test
    void theChartWithDynamoDbLocalSetsTheDevForm() throws IOException {
        RenderedChart chart = RenderedChart.render(
                Files.writeString(dir.resolve("dev.yaml"), "dynamodbLocal: {enabled: true}"), RELEASE);
        assertForm("dev", "chart with dynamodbLocal", service -> chart.workload(service).env());
    }

    @Test
    void theDevOverlaySetsTheDevForm() {
        assumeTrue(Kustomize.available(), "kubectl is not on the PATH: the dev overlay is checked through the chart");
        RenderedChart overlay = RenderedChart.of(Kustomize.build(Path.of("..", "k8s", "overlays", "dev")));
        assertForm("dev", "k8s/overlays/dev", service -> overlay.workload(service).env());
    }

    @Test
    void localStackSetsTheLocalForm() {
        Map<String, String> shared = StackEnvironment.shared("http://127.0.0.1:8000", "test-", "secret");
        Map<String, String> broadcaster = StackEnvironment.broadcaster(shared, 1,
                List.of(URI.create("http://127.0.0.1:8081")), List.of(URI.create("http://127.0.0.1:8082")));
        assertForm("local", "LocalStack", service -> StackEnvironment.withPort(
                service.equals("broadcaster-service") ? broadcaster : shared, 8080));
    }

    @Test
    void theSourceNamesOnlyKnownServicesAndForms() {
        List<Variable> source = source();
        assertTrue(source.size() > 20, "only " + source.size() + " variables read from " + SOURCE);
        for (Variable variable : source) {
            assertTrue(Set.of("kubernetes", "dev", "local").containsAll(variable.forms()), variable.toString());
            assertTrue(SERVICES.containsAll(variable.services()) && !variable.services().isEmpty(), variable.toString());
        }
    }

    /** Per service, the names the form sets are exactly the source's for that form. */
    private static void assertForm(String form, String what, Function<String, Map<String, String>> envOf) {
        List<Variable> source = source();
        assertAll(SERVICES.stream().map(service -> () -> {
            Set<String> expected = new TreeSet<>();
            source.stream()
                    .filter(v -> v.forms().contains(form) && v.services().contains(service))
                    .forEach(v -> expected.add(v.name()));
            Set<String> actual = new TreeSet<>(envOf.apply(service).keySet());
            Set<String> unlisted = new TreeSet<>(actual);
            unlisted.removeAll(expected);
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(actual);
            assertTrue(unlisted.isEmpty() && missing.isEmpty(), what + " (" + form + "), " + service + ": sets "
                    + unlisted + ", which " + SOURCE + " does not list for it, and misses " + missing);
        }));
    }

    @SuppressWarnings("unchecked")
    static List<Variable> source() {
        List<Map<String, Object>> variables = (List<Map<String, Object>>) Yamls.map(SOURCE).get("variables");
        return variables.stream().map(v -> {
            Object services = v.get("services");
            return new Variable(
                    (String) v.get("name"),
                    "all".equals(services) ? Set.copyOf(SERVICES) : Set.copyOf((List<String>) services),
                    Set.copyOf((List<String>) v.get("in")),
                    v.containsKey("value") ? String.valueOf(v.get("value")) : null);
        }).toList();
    }
}

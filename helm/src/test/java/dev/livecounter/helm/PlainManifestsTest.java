package dev.livecounter.helm;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kustomize manifests under k8s/: every file is a valid Kubernetes object, every kustomization names
 * files that exist, and the base runs the services exactly as the chart does with its defaults. Where
 * kubectl is on the PATH, the overlays are also rendered ({@code kubectl kustomize}, offline) and checked.
 */
class PlainManifestsTest {

    private static final Path K8S = Path.of("..", "k8s");

    /** The chart's release name whose resource names the manifests use. */
    private static final String RELEASE = "live-counter";

    @TempDir
    Path dir;

    static List<Path> manifests() throws IOException {
        try (Stream<Path> files = Files.walk(K8S)) {
            return files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    .sorted()
                    .toList();
        }
    }

    static List<Path> kustomizations() throws IOException {
        try (Stream<Path> files = Files.walk(K8S)) {
            return files.filter(f -> f.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void everyManifestIsAValidKubernetesObject(Path file) {
        List<Map<String, Object>> documents = Yamls.documents(file);

        assertFalse(documents.isEmpty(), file + " is empty");
        assertAll(documents.stream().map(doc -> () -> KubernetesModel.validate(doc)));
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void everyKustomizationNamesExistingFilesAndEveryFileIsNamed(Path kustomization) throws IOException {
        Path folder = kustomization.getParent();
        Map<String, Object> k = Yamls.map(kustomization);
        List<String> named = new ArrayList<>();
        for (Object resource : (List<?>) k.getOrDefault("resources", List.of())) {
            named.add((String) resource);
        }
        for (Object patch : (List<?>) k.getOrDefault("patches", List.of())) {
            Object path = ((Map<?, ?>) patch).get("path");
            if (path != null) {
                named.add((String) path);
            }
        }
        for (String entry : named) {
            assertTrue(Files.exists(folder.resolve(entry)), kustomization + " names " + entry + ", which does not exist");
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                String name = file.getFileName().toString();
                assertTrue(name.equals("kustomization.yaml") || named.contains(name), kustomization + " leaves out " + name);
            }
        }
    }

    @Test
    void theBaseRunsTheServicesExactlyAsTheChartDoesByDefault() {
        RenderedChart chart = RenderedChart.render(HelmRunner.values("defaults.yaml"), RELEASE);

        assertSameObjects(chart, base(), "Secret");
    }

    /** The base's objects as kustomize would render them, read file by file (no kubectl needed). */
    static RenderedChart base() {
        List<Map<String, Object>> base = new ArrayList<>();
        for (String file : List.of("serviceaccount.yaml", "broadcaster-service.yaml", "connection-service.yaml",
                "counter-service.yaml", "ingress.yaml")) {
            base.addAll(Yamls.documents(K8S.resolve("base").resolve(file)));
        }
        base.add(generatedConfigMap(K8S.resolve("base").resolve("kustomization.yaml")));
        return RenderedChart.of(base);
    }

    @Test
    void theDevOverlayRendersValidObjectsThatMatchTheChartWithDynamoDbLocal() throws IOException {
        RenderedChart overlay = RenderedChart.of(unhashed(kustomize("overlays/dev")));
        RenderedChart chart = RenderedChart.render(
                Files.writeString(dir.resolve("dev.yaml"), "dynamodbLocal: {enabled: true}"), RELEASE);

        assertAll(overlay.documents().stream().map(doc -> () -> KubernetesModel.validate(doc)));
        assertSameObjects(chart, overlay, "Secret");
        assertEquals(
                "<secretKeyRef:live-counter-internal/internal-secret>",
                overlay.workload("counter-service").env().get("LIVECOUNTER_INTERNAL_SECRET"));
    }

    @Test
    void theAwsOverlayUsesIrsaEcrAndTlsAndStillRoutesOnlyWhatABrowserLoads() {
        RenderedChart overlay = RenderedChart.of(unhashed(kustomize("overlays/aws")));

        assertAll(overlay.documents().stream().map(doc -> () -> KubernetesModel.validate(doc)));
        assertEquals(
                "arn:aws:iam::123456789012:role/live-counter",
                Yamls.<Map<String, String>>at(overlay.get("ServiceAccount", "live-counter"), "metadata.annotations")
                        .get("eks.amazonaws.com/role-arn"));
        assertTrue(overlay.workload("broadcaster-service").image().startsWith("123456789012.dkr.ecr."));
        assertFalse(overlay.workload("counter-service").env().containsKey("AWS_ACCESS_KEY_ID"));
        assertFalse(overlay.workload("counter-service").env().containsKey("AWS_SERVICES_DYNAMODB_ENDPOINT_OVERRIDE"));
        assertTrue(overlay.ofKind("Secret").isEmpty(), "the internal secret is created by hand on AWS");
        Map<String, Object> ingress = overlay.get("Ingress", "live-counter");
        List<Map<String, Object>> rules = Yamls.at(ingress, "spec.rules");
        List<Map<String, Object>> paths = Yamls.at(rules.get(0), "http.paths");
        assertEquals(
                List.of("/ Exact", "/ws Exact", "/widget.js Exact", "/assets Prefix", "/api Prefix",
                    "/tables Prefix"),
                paths.stream().map(p -> p.get("path") + " " + p.get("pathType")).toList());
        assertEquals(
                List.of(Map.of("hosts", List.of("counter.example.com"), "secretName", "live-counter-tls")),
                Yamls.at(ingress, "spec.tls"));
    }

    /** Every object of the manifests has its twin in the chart with the same spec (pod spec for Deployments). */
    private static void assertSameObjects(RenderedChart chart, RenderedChart manifests, String kindOnlyInChart) {
        List<String> chartObjects = new ArrayList<>();
        for (Map<String, Object> doc : chart.documents()) {
            boolean helmTest = doc.get("kind").equals("Pod");
            if (!helmTest && !doc.get("kind").equals(kindOnlyInChart)) {
                chartObjects.add(doc.get("kind") + "/" + Yamls.at(doc, "metadata.name"));
            }
        }
        List<String> manifestObjects = manifests.documents().stream()
                .filter(doc -> !doc.get("kind").equals(kindOnlyInChart))
                .map(doc -> doc.get("kind") + "/" + Yamls.at(doc, "metadata.name"))
                .toList();
        assertEquals(chartObjects.stream().sorted().toList(), manifestObjects.stream().sorted().toList());
        for (Map<String, Object> doc : manifests.documents()) {
            String kind = (String) doc.get("kind");
            if (kind.equals(kindOnlyInChart)) {
                continue;
            }
            Map<String, Object> twin = chart.get(kind, Yamls.at(doc, "metadata.name"));
            List<String> differences = new ArrayList<>();
            diff(comparable(twin), comparable(doc), "", differences);
            assertEquals(List.of(), differences, kind + " " + Yamls.at(doc, "metadata.name") + " (chart vs manifest)");
        }
    }

    /** Where two YAML trees differ, as "path: chart value / manifest value". */
    private static void diff(Object chart, Object manifest, String path, List<String> out) {
        if (chart instanceof Map<?, ?> a && manifest instanceof Map<?, ?> b) {
            Set<Object> keys = new TreeSet<>(Comparator.comparing(String::valueOf));
            keys.addAll(a.keySet());
            keys.addAll(b.keySet());
            keys.forEach(k -> diff(a.get(k), b.get(k), path + "." + k, out));
        } else if (chart instanceof List<?> a && manifest instanceof List<?> b && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                diff(a.get(i), b.get(i), path + "[" + i + "]", out);
            }
        } else if (!Objects.equals(chart, manifest)) {
            out.add(path + ": " + chart + " / " + manifest);
        }
    }

    /** What must agree: the spec (labels and annotations of pod templates aside), or the data. */
    private static Object comparable(Map<String, Object> doc) {
        if (doc.get("kind").equals("ConfigMap")) {
            return doc.get("data");
        }
        if (doc.get("kind").equals("ServiceAccount")) {
            return doc.get("automountServiceAccountToken");
        }
        Map<String, Object> spec = new LinkedHashMap<>(Yamls.at(doc, "spec"));
        if (doc.get("kind").equals("Deployment")) {
            spec.put("template", Yamls.at(doc, "spec.template.spec"));
        }
        return spec;
    }

    /** The ConfigMap a configMapGenerator of literals makes, without the hash suffix. */
    private static Map<String, Object> generatedConfigMap(Path kustomization) {
        Map<String, Object> generator = ((List<Map<String, Object>>) Yamls.map(kustomization).get("configMapGenerator")).get(0);
        Map<String, Object> data = new LinkedHashMap<>();
        for (Object literal : (List<?>) generator.get("literals")) {
            String[] pair = ((String) literal).split("=", 2);
            data.put(pair[0], pair[1]);
        }
        return Map.of(
                "apiVersion", "v1",
                "kind", "ConfigMap",
                "metadata", Map.of("name", generator.get("name")),
                "data", data);
    }

    /** kustomize's hash suffixes of generated ConfigMaps and Secrets, taken off again for comparing. */
    private static String unhashed(String yaml) {
        return yaml.replaceAll("(live-counter-(config|internal))-[a-z0-9]{10}\\b", "$1");
    }

    private static String kustomize(String folder) {
        assumeTrue(Kustomize.available(), "kubectl is not on the PATH: the overlays are checked file by file only");
        return Kustomize.build(K8S.resolve(folder));
    }
}

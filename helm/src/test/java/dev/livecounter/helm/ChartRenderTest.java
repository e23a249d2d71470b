package dev.livecounter.helm;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.helm.RenderedChart.Probe;
import dev.livecounter.helm.RenderedChart.Workload;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What holds for every value set: valid documents, and the contract with the services. */
class ChartRenderTest {

    /** The three services and the ports their images listen on. */
    static final Map<String, Integer> PORTS =
            Map.of("broadcaster-service", 8080, "connection-service", 8081, "counter-service", 8082);

    static final String FULLNAME = "demo-live-counter";

    private static final Map<String, RenderedChart> RENDERED = new ConcurrentHashMap<>();

    /** Rendered once per values file for all tests (release "demo", Kubernetes 1.31). */
    static RenderedChart rendered(String valuesFile) {
        return RENDERED.computeIfAbsent(valuesFile, f -> RenderedChart.render(HelmRunner.values(f)));
    }

    @ParameterizedTest
    @MethodSource("dev.livecounter.helm.ChartLintTest#valueSets")
    void everyDocumentValidatesAgainstTheKubernetesModel(String valuesFile) {
        List<Map<String, Object>> documents = rendered(valuesFile).documents();

        assertTrue(documents.size() >= 8, "only " + documents.size() + " documents");
        assertAll(documents.stream().map(doc -> () -> KubernetesModel.validate(doc)));
    }

    @ParameterizedTest
    @MethodSource("dev.livecounter.helm.ChartLintTest#valueSets")
    void everyDocumentHasTheStandardLabels(String valuesFile) {
        for (Map<String, Object> doc : rendered(valuesFile).documents()) {
            Map<String, Object> labels = Yamls.at(doc, "metadata.labels");
            assertEquals("live-counter", labels.get("app.kubernetes.io/name"), doc.get("kind") + " labels");
            assertEquals("demo", labels.get("app.kubernetes.io/instance"));
            assertEquals("Helm", labels.get("app.kubernetes.io/managed-by"));
            assertEquals("live-counter", labels.get("app.kubernetes.io/part-of"));
            assertTrue(labels.containsKey("app.kubernetes.io/version"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.livecounter.helm.ChartLintTest#valueSets")
    void everyServiceGetsTheSharedSettingsAndTheInternalSecret(String valuesFile) {
        RenderedChart chart = rendered(valuesFile);
        Set<String> secretRefs = PORTS.keySet().stream()
                .map(component -> chart.workload(component).env().get("LIVECOUNTER_INTERNAL_SECRET"))
                .collect(Collectors.toSet());

        assertEquals(1, secretRefs.size(), "all three read the same secret: " + secretRefs);
        assertTrue(secretRefs.iterator().next().startsWith("<secretKeyRef:"), secretRefs.toString());
        for (String component : PORTS.keySet()) {
            Map<String, String> env = chart.workload(component).env();
            assertAll(
                    component,
                    () -> assertTrue(env.get("AWS_REGION").matches("[a-z]{2}-[a-z]+-\\d"), env.toString()),
                    () -> assertTrue(env.get("LIVECOUNTER_TABLES_PREFIX").endsWith("-"), env.toString()),
                    () -> assertTrue(Set.of("true", "false").contains(env.get("LIVECOUNTER_TABLES_CREATE"))),
                    () -> assertEquals("-XX:MaxRAMPercentage=75", env.get("JAVA_TOOL_OPTIONS")));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.livecounter.helm.ChartLintTest#valueSets")
    void everyServiceListensOnItsPortWithProbesOnTheHealthPaths(String valuesFile) {
        RenderedChart chart = rendered(valuesFile);
        for (Map.Entry<String, Integer> service : PORTS.entrySet()) {
            Workload workload = chart.workload(service.getKey());
            assertAll(
                    service.getKey(),
                    () -> assertEquals(Map.of("http", service.getValue()), workload.ports()),
                    () -> assertEquals(new Probe("/health/liveness", "http"), workload.probes().get("liveness")),
                    () -> assertEquals(new Probe("/health/readiness", "http"), workload.probes().get("readiness")),
                    () -> assertEquals(new Probe("/health/liveness", "http"), workload.probes().get("startup")),
                    () -> assertTrue(workload.image().matches(".*live-counter-" + service.getKey() + ":[\\w.-]+")));
            Map<String, Object> svc = chart.get("Service", FULLNAME + "-" + service.getKey());
            Map<String, Object> port = ((List<Map<String, Object>>) Yamls.at(svc, "spec.ports")).get(0);
            assertEquals(Map.of("name", "http", "port", service.getValue(), "targetPort", "http", "protocol", "TCP"), port);
            assertEquals("ClusterIP", Yamls.at(svc, "spec.type"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.livecounter.helm.ChartLintTest#valueSets")
    void everyServiceRunsNonRootOnAReadOnlyFilesystemWithAWritableTmp(String valuesFile) {
        for (Workload workload : rendered(valuesFile).workloads().values()) {
            Map<String, Object> pod = workload.podSpec();
            Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
            Map<String, Object> security = Yamls.at(container, "securityContext");
            assertAll(
                    workload.deployment(),
                    () -> assertEquals(true, Yamls.at(pod, "securityContext.runAsNonRoot")),
                    () -> assertEquals("RuntimeDefault", Yamls.at(pod, "securityContext.seccompProfile.type")),
                    () -> assertEquals(true, security.get("readOnlyRootFilesystem")),
                    () -> assertEquals(false, security.get("allowPrivilegeEscalation")),
                    () -> assertEquals(List.of("ALL"), Yamls.at(security, "capabilities.drop")),
                    () -> assertEquals(false, pod.get("automountServiceAccountToken")),
                    () -> assertEquals(List.of(Map.of("name", "tmp", "mountPath", "/tmp")), container.get("volumeMounts")));
            if (PORTS.containsKey(workload.component())) {
                assertEquals((Object) 1000, Yamls.at(pod, "securityContext.runAsUser"), workload.deployment());
                assertEquals(1000, security.get("runAsUser"), workload.deployment());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.livecounter.helm.ChartLintTest#valueSets")
    void theBroadcasterFindsTheOtherServicesAndItsReplicas(String valuesFile) {
        Map<String, String> env = rendered(valuesFile).workload("broadcaster-service").env();
        List<String> names = List.copyOf(env.keySet());

        assertAll(
                () -> assertEquals("http://" + FULLNAME + "-connection-service:8081",
                        env.get("LIVECOUNTER_BROADCASTER_CONNECTION_SERVICE_URL")),
                () -> assertEquals("http://" + FULLNAME + "-counter-service:8082",
                        env.get("LIVECOUNTER_BROADCASTER_COUNTER_SERVICE_URL")),
                () -> assertEquals("<fieldRef:status.podIP>", env.get("POD_IP")),
                () -> assertEquals("http://$(POD_IP):8080", env.get("LIVECOUNTER_BROADCASTER_ADVERTISED_ADDRESS")),
                // $(POD_IP) expands only when POD_IP is defined earlier in the list
                () -> assertTrue(names.indexOf("POD_IP") < names.indexOf("LIVECOUNTER_BROADCASTER_ADVERTISED_ADDRESS")),
                () -> assertEquals("<fieldRef:metadata.name>", env.get("LIVECOUNTER_BROADCASTER_REPLICA_ID")),
                () -> assertTrue(env.containsKey("LIVECOUNTER_BROADCASTER_ALLOWED_ORIGINS")),
                // unset: the service's own default applies, written once in BroadcasterSettings
                () -> assertFalse(env.containsKey("LIVECOUNTER_BROADCASTER_COALESCE_INTERVAL")),
                () -> assertEquals("200ms", env.get("LIVECOUNTER_STREAM_POLL_INTERVAL")));
    }

    @ParameterizedTest
    @MethodSource("dev.livecounter.helm.ChartLintTest#valueSets")
    void eachServiceGetsOnlyItsOwnSettings(String valuesFile) {
        RenderedChart chart = rendered(valuesFile);
        Map<String, String> connection = chart.workload("connection-service").env();
        Map<String, String> counter = chart.workload("counter-service").env();

        assertEquals("30m", connection.get("LIVECOUNTER_CONNECTIONS_VISIT_WINDOW"));
        for (Map<String, String> env : List.of(connection, counter)) {
            assertTrue(env.keySet().stream().noneMatch(n -> n.startsWith("LIVECOUNTER_BROADCASTER_")), env.toString());
            assertFalse(env.containsKey("POD_IP"));
        }
        assertFalse(counter.containsKey("LIVECOUNTER_CONNECTIONS_VISIT_WINDOW"));
    }

    @ParameterizedTest
    @MethodSource("dev.livecounter.helm.ChartLintTest#valueSets")
    void anIngressRoutesOnlyWhatABrowserLoadsToTheBroadcaster(String valuesFile) {
        for (Map<String, Object> ingress : rendered(valuesFile).ofKind("Ingress")) {
            List<Map<String, Object>> rules = Yamls.at(ingress, "spec.rules");
            assertEquals(1, rules.size());
            List<Map<String, Object>> paths = Yamls.at(rules.get(0), "http.paths");
            // never a Prefix "/": it would route /internal/broadcast and /health as well (IngressPageIT routes
            // a browser through these rules)
            assertEquals(
                    List.of("/ Exact", "/ws Exact", "/widget.js Exact", "/assets Prefix", "/api Prefix",
                    "/tables Prefix"),
                    paths.stream().map(p -> p.get("path") + " " + p.get("pathType")).toList());
            for (Map<String, Object> path : paths) {
                assertEquals(FULLNAME + "-broadcaster-service", Yamls.at(path, "backend.service.name"));
                assertEquals("http", Yamls.at(path, "backend.service.port.name"));
            }
            Map<String, String> annotations = Yamls.at(ingress, "metadata.annotations");
            assertEquals("3600", annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout"));
            assertEquals("3600", annotations.get("nginx.ingress.kubernetes.io/proxy-send-timeout"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.livecounter.helm.ChartLintTest#valueSets")
    void everyServicePodCarriesAChecksumOfItsSettings(String valuesFile) {
        for (String component : PORTS.keySet()) {
            Map<String, Object> deployment = rendered(valuesFile).get("Deployment", FULLNAME + "-" + component);
            Map<String, String> annotations = Yamls.at(deployment, "spec.template.metadata.annotations");
            assertTrue(annotations.get("checksum/config").matches("[0-9a-f]{64}"), component + ": " + annotations);
        }
    }
}

package dev.livecounter.helm;

import static dev.livecounter.helm.ChartRenderTest.FULLNAME;
import static dev.livecounter.helm.ChartRenderTest.PORTS;
import static dev.livecounter.helm.ChartRenderTest.rendered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What each shipped value set is for, as a user of it would check. */
class ChartValueSetsTest {

    private static List<Map<String, Object>> ingressFrom(Map<String, Object> networkPolicy) {
        return Yamls.at(networkPolicy, "spec.ingress");
    }

    @Nested
    class Defaults {

        private final RenderedChart chart = rendered("defaults.yaml");

        @Test
        void usesRealDynamoDbInUsEast1WithTablesNamedAfterTheRelease() {
            Map<String, String> env = chart.workload("counter-service").env();

            assertEquals("us-east-1", env.get("AWS_REGION"));
            assertEquals("demo-", env.get("LIVECOUNTER_TABLES_PREFIX"));
            assertEquals("false", env.get("LIVECOUNTER_TABLES_CREATE"));
            assertFalse(env.containsKey("AWS_SERVICES_DYNAMODB_ENDPOINT_OVERRIDE"));
            assertFalse(env.containsKey("AWS_ACCESS_KEY_ID"));
            assertEquals("", chart.workload("broadcaster-service").env().get("LIVECOUNTER_BROADCASTER_ALLOWED_ORIGINS"));
        }

        @Test
        void generatesAnInternalSecretOf32Characters() {
            Map<String, Object> secret = chart.get("Secret", FULLNAME + "-internal");
            String value = new String(Base64.getDecoder().decode((String) Yamls.at(secret, "data.internal-secret")));

            assertTrue(value.matches("[A-Za-z0-9]{32}"), value);
            assertEquals(
                    "<secretKeyRef:" + FULLNAME + "-internal/internal-secret>",
                    chart.workload("connection-service").env().get("LIVECOUNTER_INTERNAL_SECRET"));
        }

        @Test
        void runsTwoBroadcastersThatDrainOnShutdownBehindADisruptionBudget() {
            Map<String, Object> deployment = chart.get("Deployment", FULLNAME + "-broadcaster-service");
            Map<String, Object> pod = Yamls.at(deployment, "spec.template.spec");
            Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);

            assertEquals(2, (Integer) Yamls.at(deployment, "spec.replicas"));
            assertEquals(60, (Integer) pod.get("terminationGracePeriodSeconds"));
            assertEquals(10, (Integer) Yamls.at(container, "lifecycle.preStop.sleep.seconds"));
            Map<String, Object> pdb = chart.get("PodDisruptionBudget", FULLNAME + "-broadcaster-service");
            assertEquals(1, (Integer) Yamls.at(pdb, "spec.minAvailable"));
            assertTrue(chart.ofKind("HorizontalPodAutoscaler").isEmpty());
        }

        @Test
        void runsTwoOfEveryServiceSpreadOverNodesBehindDisruptionBudgets() {
            for (String service : List.of("broadcaster-service", "connection-service", "counter-service")) {
                Map<String, Object> deployment = chart.get("Deployment", FULLNAME + "-" + service);
                assertEquals(2, (Integer) Yamls.at(deployment, "spec.replicas"), service);
                assertEquals(1, (Integer) Yamls.at(chart.get("PodDisruptionBudget", FULLNAME + "-" + service),
                        "spec.minAvailable"), service);
                List<Map<String, Object>> preferred = Yamls.at(deployment,
                        "spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution");
                Map<String, Object> term = Yamls.at(preferred.get(0), "podAffinityTerm");
                assertEquals("kubernetes.io/hostname", term.get("topologyKey"), service);
                assertEquals((Object) Yamls.at(deployment, "spec.selector.matchLabels"), Yamls.at(term, "labelSelector.matchLabels"),
                        service + ": the anti-affinity selects the service's own pods");
            }
        }

        @Test
        void letsOnlyThisReleaseReachTheInternalServices() {
            for (String component : List.of("connection-service", "counter-service")) {
                List<Map<String, Object>> rules = ingressFrom(chart.get("NetworkPolicy", FULLNAME + "-" + component));
                assertEquals(1, rules.size(), component);
                assertEquals(
                        List.of(Map.of("podSelector", Map.of("matchLabels",
                                Map.of("app.kubernetes.io/name", "live-counter", "app.kubernetes.io/instance", "demo")))),
                        rules.get(0).get("from"),
                        component);
            }
            List<Map<String, Object>> broadcaster =
                    ingressFrom(chart.get("NetworkPolicy", FULLNAME + "-broadcaster-service"));
            assertNull(broadcaster.get(0).get("from"), "the broadcaster faces the ingress: from anywhere");
            assertEquals(List.of(Map.of("port", "http", "protocol", "TCP")), broadcaster.get(0).get("ports"));
        }

        @Test
        void createsAServiceAccountWithoutAnIamRole() {
            Map<String, Object> account = chart.get("ServiceAccount", FULLNAME);

            assertNull(Yamls.at(account, "metadata.annotations"));
            for (RenderedChart.Workload workload : chart.workloads().values()) {
                assertEquals(FULLNAME, workload.podSpec().get("serviceAccountName"));
            }
        }

        @Test
        void helmTestOpensTheWebSocketAndWaitsForACountFrame() {
            Map<String, Object> pod = chart.get("Pod", FULLNAME + "-test-websocket");
            Map<String, Object> container = ((List<Map<String, Object>>) Yamls.at(pod, "spec.containers")).get(0);
            Map<String, Object> env = ((List<Map<String, Object>>) container.get("env")).stream()
                    .collect(Collectors.toMap(e -> (String) e.get("name"), e -> e.get("value")));
            String script = ((List<String>) container.get("command")).get(2);

            assertEquals("test", Yamls.<Map<String, String>>at(pod, "metadata.annotations").get(HelmRunner.RENAMED_HOOK));
            assertEquals("node:22.12.0-alpine", container.get("image"));
            assertEquals("ws://" + FULLNAME + "-broadcaster-service:8080/ws?counter=helm-test", env.get("WS_URL"));
            assertTrue(script.contains("new WebSocket(url)") && script.contains("frame.type === 'count'"), script);
            assertEquals("60", env.get("TIMEOUT_SECONDS"));
            assertEquals(120, (Integer) Yamls.at(pod, "spec.activeDeadlineSeconds"));
            assertEquals(true, Yamls.at(pod, "spec.securityContext.runAsNonRoot"));
            assertEquals("Never", Yamls.at(pod, "spec.restartPolicy"));
        }
    }

    @Nested
    class DevWithDynamoDbLocal {

        private final RenderedChart chart = rendered("dev-dynamodb-local.yaml");

        @Test
        void pointsEveryServiceAtTheInClusterDynamoDbWithOneFakeKey() {
            String endpoint = "http://" + FULLNAME + "-dynamodb-local:8000";
            for (String component : PORTS.keySet()) {
                Map<String, String> env = chart.workload(component).env();
                assertEquals(endpoint, env.get("AWS_SERVICES_DYNAMODB_ENDPOINT_OVERRIDE"), component);
                assertEquals("true", env.get("LIVECOUNTER_TABLES_CREATE"), component);
                assertEquals("local", env.get("AWS_ACCESS_KEY_ID"), component);
                assertEquals("local", env.get("AWS_SECRET_ACCESS_KEY"), component);
                assertEquals("us-east-1", env.get("AWS_REGION"), component);
            }
        }

        @Test
        void runsDynamoDbLocalInMemoryBehindAServiceOnPort8000() {
            RenderedChart.Workload local = chart.workload("dynamodb-local");
            Map<String, Object> container = ((List<Map<String, Object>>) local.podSpec().get("containers")).get(0);
            Map<String, Object> service = chart.get("Service", FULLNAME + "-dynamodb-local");

            assertEquals("amazon/dynamodb-local:2.6.1", local.image());
            assertTrue(((List<String>) container.get("args")).containsAll(List.of("-inMemory", "-sharedDb")));
            assertEquals(Map.of("dynamodb", 8000), local.ports());
            assertEquals(8000, (Integer) Yamls.at(((List<Map<String, Object>>) Yamls.at(service, "spec.ports")).get(0), "port"));
            assertEquals(1, chart.ofKind("NetworkPolicy").stream()
                    .filter(p -> Yamls.at(p, "metadata.name").equals(FULLNAME + "-dynamodb-local"))
                    .count());
        }

        @Test
        void pullsTheServiceImagesFromTheDevRegistry() {
            assertEquals("localhost:5001/live-counter-broadcaster-service:0.1.0", chart.workload("broadcaster-service").image());
        }

        @Test
        void routesTheDevHostAndAllowsItsOrigin() {
            Map<String, Object> ingress = chart.get("Ingress", FULLNAME);
            List<Map<String, Object>> rules = Yamls.at(ingress, "spec.rules");

            assertEquals("live-counter.localtest.me", rules.get(0).get("host"));
            assertEquals(
                    "http://live-counter.localtest.me",
                    chart.workload("broadcaster-service").env().get("LIVECOUNTER_BROADCASTER_ALLOWED_ORIGINS"));
        }
    }

    @Nested
    class AwsWithIrsa {

        private final RenderedChart chart = rendered("aws-irsa.yaml");

        @Test
        void getsCredentialsOnlyFromTheIamRoleOfTheServiceAccount() {
            Map<String, Object> account = chart.get("ServiceAccount", FULLNAME);

            assertEquals(
                    Map.of("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/live-counter"),
                    Yamls.at(account, "metadata.annotations"));
            for (String component : PORTS.keySet()) {
                Map<String, String> env = chart.workload(component).env();
                assertFalse(env.containsKey("AWS_ACCESS_KEY_ID"), component);
                assertFalse(env.containsKey("AWS_SECRET_ACCESS_KEY"), component);
                assertFalse(env.containsKey("AWS_SERVICES_DYNAMODB_ENDPOINT_OVERRIDE"), component);
                assertEquals("eu-west-1", env.get("AWS_REGION"), component);
                assertEquals("prod-", env.get("LIVECOUNTER_TABLES_PREFIX"), component);
                assertEquals("false", env.get("LIVECOUNTER_TABLES_CREATE"), component);
            }
        }

        @Test
        void readsTheInternalSecretFromTheExistingSecret() {
            assertTrue(chart.ofKind("Secret").isEmpty(), "the chart must not make its own secret");
            for (String component : PORTS.keySet()) {
                assertEquals(
                        "<secretKeyRef:live-counter-internal/token>",
                        chart.workload(component).env().get("LIVECOUNTER_INTERNAL_SECRET"));
            }
        }

        @Test
        void servesTlsOnTheHostAndAllowsItsOrigins() {
            Map<String, Object> ingress = chart.get("Ingress", FULLNAME);

            assertEquals(
                    List.of(Map.of("hosts", List.of("counter.example.com"), "secretName", FULLNAME + "-tls")),
                    Yamls.at(ingress, "spec.tls"));
            assertEquals(
                    "https://counter.example.com,https://www.example.com",
                    chart.workload("broadcaster-service").env().get("LIVECOUNTER_BROADCASTER_ALLOWED_ORIGINS"));
        }

        @Test
        void pullsFromEcrWithTheGivenTagAndSpreadsBroadcasters() {
            RenderedChart.Workload broadcaster = chart.workload("broadcaster-service");

            assertEquals(
                    "123456789012.dkr.ecr.eu-west-1.amazonaws.com/live-counter-broadcaster-service:0.1.0-rc1",
                    broadcaster.image());
            assertEquals(
                    "123456789012.dkr.ecr.eu-west-1.amazonaws.com/live-counter-counter-service:0.1.0",
                    chart.workload("counter-service").image());
            assertEquals(Map.of("kubernetes.io/os", "linux"), broadcaster.podSpec().get("nodeSelector"));
            assertEquals(1, ((List<?>) broadcaster.podSpec().get("tolerations")).size());
            assertTrue(Yamls.at(broadcaster.podSpec(), "affinity.podAntiAffinity") != null);
        }
    }

    @Nested
    class AutoscaledWithoutIngress {

        private final RenderedChart chart = rendered("hpa-no-ingress.yaml");

        @Test
        void scalesTheBroadcasterOnCpuAndLeavesReplicasToTheAutoscaler() {
            Map<String, Object> hpa = chart.get("HorizontalPodAutoscaler", FULLNAME + "-broadcaster-service");

            assertEquals("autoscaling/v2", hpa.get("apiVersion"));
            assertEquals(FULLNAME + "-broadcaster-service", Yamls.at(hpa, "spec.scaleTargetRef.name"));
            assertEquals(3, (Integer) Yamls.at(hpa, "spec.minReplicas"));
            assertEquals(12, (Integer) Yamls.at(hpa, "spec.maxReplicas"));
            assertEquals(1, chart.ofKind("HorizontalPodAutoscaler").size());
            assertNull(Yamls.at(chart.get("Deployment", FULLNAME + "-broadcaster-service"), "spec.replicas"));
            assertEquals(1, (Integer) Yamls.at(chart.get("PodDisruptionBudget", FULLNAME + "-broadcaster-service"), "spec.minAvailable"));
        }

        @Test
        void hasNoIngressAndNoNetworkPolicies() {
            assertTrue(chart.ofKind("Ingress").isEmpty());
            assertTrue(chart.ofKind("NetworkPolicy").isEmpty());
        }

        @Test
        void addsTheExtraEnvironmentAndPodAnnotations() {
            RenderedChart.Workload broadcaster = chart.workload("broadcaster-service");
            Map<String, String> annotations = Yamls.at(
                    chart.get("Deployment", broadcaster.deployment()), "spec.template.metadata.annotations");

            assertEquals("DEBUG", broadcaster.env().get("LOGGER_LEVELS_DEV_LIVECOUNTER"));
            assertEquals("false", annotations.get("prometheus.io/scrape"));
            assertTrue(annotations.containsKey("checksum/config"));
        }
    }
}

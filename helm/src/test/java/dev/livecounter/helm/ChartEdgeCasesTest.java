package dev.livecounter.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upgrades, old clusters, long names and contradictory values. */
class ChartEdgeCasesTest {

    @TempDir
    Path dir;

    private Path values(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "values-", ".yaml"), yaml);
    }

    private static String checksum(RenderedChart chart, String component) {
        Map<String, String> annotations = Yamls.at(
                chart.get("Deployment", "demo-live-counter-" + component), "spec.template.metadata.annotations");
        return annotations.get("checksum/config");
    }

    @Test
    void anUpgradeKeepsTheGeneratedSecretAndSoDoesNotRollThePods() {
        Path defaults = HelmRunner.values("defaults.yaml");
        String previous = "c2VjcmV0LWZyb20tdGhlLWZpcnN0LWluc3RhbGw=";

        RenderedChart first = RenderedChart.of(HelmRunner.template(defaults, "demo", HelmRunner.KUBE_VERSION, previous));
        RenderedChart second = RenderedChart.of(HelmRunner.template(defaults, "demo", HelmRunner.KUBE_VERSION, previous));

        assertEquals(previous, Yamls.at(first.get("Secret", "demo-live-counter-internal"), "data.internal-secret"));
        assertEquals(checksum(first, "broadcaster-service"), checksum(second, "broadcaster-service"));
    }

    @Test
    void aChangedSettingRollsThePods() throws IOException {
        String previous = "c2VjcmV0";
        RenderedChart before = RenderedChart.of(
                HelmRunner.template(HelmRunner.values("defaults.yaml"), "demo", HelmRunner.KUBE_VERSION, previous));
        RenderedChart after = RenderedChart.of(
                HelmRunner.template(values("tables: {prefix: other-}"), "demo", HelmRunner.KUBE_VERSION, previous));

        assertNotEquals(checksum(before, "counter-service"), checksum(after, "counter-service"));
    }

    @Test
    void clustersBefore130GetNoPreStopSleep() {
        RenderedChart chart = RenderedChart.of(
                HelmRunner.template(HelmRunner.values("defaults.yaml"), "demo", "1.29.5", null));

        for (RenderedChart.Workload workload : chart.workloads().values()) {
            Map<String, Object> container = ((List<Map<String, Object>>) workload.podSpec().get("containers")).get(0);
            assertNull(container.get("lifecycle"), workload.deployment());
        }
    }

    @Test
    void preStopSleepZeroMeansNoHook() throws IOException {
        RenderedChart chart = RenderedChart.render(values("broadcaster: {preStopSleepSeconds: 0}"));
        Map<String, Object> container =
                ((List<Map<String, Object>>) chart.workload("broadcaster-service").podSpec().get("containers")).get(0);

        assertNull(container.get("lifecycle"));
    }

    @Test
    void longReleaseNamesKeepServiceNamesValidAndTheUrlsPointAtThem() {
        String release = "long-release-" + "x".repeat(40); // Helm's limit: 53
        RenderedChart chart = RenderedChart.render(HelmRunner.values("dev-dynamodb-local.yaml"), release);
        List<String> services = chart.ofKind("Service").stream()
                .map(s -> (String) Yamls.at(s, "metadata.name"))
                .toList();

        for (String name : services) {
            assertTrue(name.length() <= 63 && name.matches("[a-z]([-a-z0-9]*[a-z0-9])?"), name);
        }
        Map<String, String> env = chart.workload("broadcaster-service").env();
        for (String url : List.of(
                env.get("LIVECOUNTER_BROADCASTER_CONNECTION_SERVICE_URL"),
                env.get("LIVECOUNTER_BROADCASTER_COUNTER_SERVICE_URL"),
                env.get("AWS_SERVICES_DYNAMODB_ENDPOINT_OVERRIDE"))) {
            String host = url.replaceAll("^http://([^:]+):\\d+$", "$1");
            assertTrue(services.contains(host), url + " names no Service of " + services);
        }
    }

    @Test
    void anEndpointOverrideWithDynamoDbLocalIsRefused() throws IOException {
        Path both = values("dynamodbLocal: {enabled: true}\naws: {dynamodbEndpoint: 'http://scylla:8000'}");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HelmRunner.template(both));
        assertTrue(e.getMessage().contains("set either dynamodbLocal.enabled or aws.dynamodbEndpoint, not both"), e.getMessage());
    }

    @Test
    void anEndpointOverrideReachesEveryServiceWithoutFakeKeys() throws IOException {
        RenderedChart chart = RenderedChart.render(values("aws: {dynamodbEndpoint: 'http://scylla-alternator:8000'}"));

        for (String component : ChartRenderTest.PORTS.keySet()) {
            Map<String, String> env = chart.workload(component).env();
            assertEquals("http://scylla-alternator:8000", env.get("AWS_SERVICES_DYNAMODB_ENDPOINT_OVERRIDE"));
            assertFalse(env.containsKey("AWS_ACCESS_KEY_ID"));
        }
    }

    @Test
    void tlsWithoutAHostIsRefused() throws IOException {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> HelmRunner.template(values("ingress: {tls: {enabled: true}}")));
        assertTrue(e.getMessage().contains("ingress.tls.enabled needs ingress.host"), e.getMessage());
    }

    @Test
    void aCoalescingIntervalSetByTheInstallReachesTheBroadcaster() throws IOException {
        RenderedChart chart = RenderedChart.render(values("config: {coalesceInterval: 20ms}"));
        assertEquals("20ms", chart.workload("broadcaster-service").env().get("LIVECOUNTER_BROADCASTER_COALESCE_INTERVAL"));
    }

    @Test
    void aDurationThatMicronautCannotReadIsRefusedByTheSchema() throws IOException {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> HelmRunner.template(values("config: {coalesceInterval: 50}")));
        assertTrue(e.getMessage().contains("coalesceInterval"), e.getMessage());
    }

    @Test
    void aTransportSetByTheInstallReachesTheBroadcasterAndNoneIsSetByDefault() throws IOException {
        RenderedChart chart = RenderedChart.render(values("config: {transport: nio}"));
        assertEquals("nio", chart.workload("broadcaster-service").env().get("LIVECOUNTER_BROADCASTER_TRANSPORT"));
        RenderedChart defaults = RenderedChart.render(values("config: {}"));
        assertFalse(defaults.workload("broadcaster-service").env().containsKey("LIVECOUNTER_BROADCASTER_TRANSPORT"),
                "the service's own default (epoll, then nio)");
    }

    @Test
    void aTransportNettyDoesNotKnowIsRefusedByTheSchema() throws IOException {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> HelmRunner.template(values("config: {transport: \"epol,nio\"}")));
        assertTrue(e.getMessage().contains("transport"), e.getMessage());
    }
}

package dev.livecounter.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.livecounter.helm.RenderedChart;
import dev.livecounter.helm.RenderedChart.Workload;
import dev.livecounter.local.DynamoDbLocal;
import dev.livecounter.local.ServiceProcess;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The chart matches the code: each service is started with exactly the environment and on exactly the port the
 * rendered chart (dev values, in-cluster DynamoDB Local) gives its container, and answers the chart's probes
 * there with the chart's settings in effect. Only what a cluster fills in is substituted: the pod IP and name,
 * the Secret's value, and the in-cluster host names, which become 127.0.0.1 on the same ports.
 */
class ChartWiringIT {

    private static final Path DEV_VALUES = Path.of("../helm/src/test/resources/values/dev-dynamodb-local.yaml");
    private static final String SECRET = "wiring-secret";

    private static DynamoDbLocal dynamoDb;
    private static RenderedChart chart;
    private static final List<ServiceProcess> services = new ArrayList<>();

    @BeforeAll
    static void startServicesAsTheChartConfiguresThem() {
        chart = RenderedChart.render(DEV_VALUES);
        dynamoDb = DynamoDbLocal.start();
        for (Workload workload : chart.workloads().values()) {
            if (!workload.component().endsWith("-service")) {
                continue; // the in-cluster DynamoDB Local: replaced by ours
            }
            String mainClass = switch (workload.component()) {
                case "broadcaster-service" -> "dev.livecounter.broadcaster.Application";
                case "connection-service" -> "dev.livecounter.connection.Application";
                case "counter-service" -> "dev.livecounter.counter.Application";
                default -> throw new AssertionError("a service the test does not know: " + workload.component());
            };
            services.add(new ServiceProcess("chart-" + workload.component(), workload.component(), mainClass,
                    workload.port("http"), outsideTheCluster(workload.env()), List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")));
        }
        assertEquals(3, services.size(), "the chart deploys the three services");
        services.forEach(ServiceProcess::start);
        services.forEach(s -> s.awaitHealthy(Duration.ofSeconds(120)));
    }

    @AfterAll
    static void stop() {
        services.forEach(ServiceProcess::stop);
        if (dynamoDb != null) {
            dynamoDb.close();
        }
    }

    /** What only a cluster fills in, filled in for 127.0.0.1. */
    private static Map<String, String> outsideTheCluster(Map<String, String> chartEnv) {
        Map<String, String> env = new HashMap<>();
        chartEnv.forEach((name, value) -> {
            String local = value
                    .replace("<fieldRef:status.podIP>", "127.0.0.1")
                    .replace("<fieldRef:metadata.name>", "wiring-pod")
                    .replaceAll("<secretKeyRef:[^>]+>", SECRET)
                    .replaceAll("http://[a-z0-9-]+-(connection|counter)-service:", "http://127.0.0.1:");
            env.put(name, local);
        });
        env.replaceAll((name, value) -> value.replace("$(POD_IP)", env.getOrDefault("POD_IP", "")));
        env.put("AWS_SERVICES_DYNAMODB_ENDPOINT_OVERRIDE", dynamoDb.endpoint().toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.remove("JAVA_TOOL_OPTIONS"); // sized for a pod; the test machine runs all three at once
        return env;
    }

    @Test
    void everyServiceAnswersTheChartsProbesOnTheChartsPort() {
        for (Workload workload : chart.workloads().values()) {
            workload.probes().forEach((kind, probe) -> {
                if (probe.path() == null || !workload.component().endsWith("-service")) {
                    return;
                }
                int port = probe.port().chars().allMatch(Character::isDigit)
                        ? Integer.parseInt(probe.port())
                        : workload.port(probe.port());
                HttpResponse<String> response = LiveSystem.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + probe.path()))
                        .build());
                assertEquals(200, response.statusCode(), workload.component() + " " + kind + " probe " + probe);
            });
        }
    }

    @Test
    void theChartsTablePrefixAndSecretAndServiceUrlsTookEffect() {
        Workload broadcaster = chart.workload("broadcaster-service");
        String prefix = broadcaster.env().get("LIVECOUNTER_TABLES_PREFIX");
        try (DynamoDbClient client = DynamoDbClient.builder()
                .endpointOverride(dynamoDb.endpoint())
                .region(Region.of(broadcaster.env().get("AWS_REGION")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        broadcaster.env().get("AWS_ACCESS_KEY_ID"), broadcaster.env().get("AWS_SECRET_ACCESS_KEY"))))
                .build()) {
            List<String> tables = client.listTables().tableNames();
            assertTrue(tables.containsAll(List.of(prefix + "counters", prefix + "connections", prefix + "replicas")),
                    "tables made with the chart's prefix " + prefix + ": " + tables);
        }
        // a page's socket is counted: the broadcaster reached connection-service at the chart's URL with the
        // chart's secret
        int port = broadcaster.port("http");
        try (PageClient page = PageClient.open(port, "wiring", null)) {
            assertEquals(1, page.awaitCount(c -> c.online() == 1).online());
        }
        // the internal endpoints refuse calls without that secret
        int connectionPort = chart.workload("connection-service").port("http");
        HttpResponse<String> noSecret = LiveSystem.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + connectionPort + "/connections/x"))
                .DELETE()
                .build());
        assertEquals(403, noSecret.statusCode());
    }

    @Test
    void theChartsAllowedOriginTookEffect() {
        int port = chart.workload("broadcaster-service").port("http");
        String allowed = chart.workload("broadcaster-service").env().get("LIVECOUNTER_BROADCASTER_ALLOWED_ORIGINS");
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws?counter=wiring-origin");
        assertEquals(101, PageClient.upgradeStatus(uri, allowed));
        assertEquals(403, PageClient.upgradeStatus(uri, "http://elsewhere.example"));
    }

    @Test
    void aClientAroundTheIngressCannotClaimAnAddressOfItsChoosing() {
        // as kubectl port-forward reaches a pod: from 127.0.0.1, past the ingress, naming a new address each time
        int port = chart.workload("broadcaster-service").port("http");
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws?counter=wiring-around");
        List<PageClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 80; i++) {
                try {
                    held.add(PageClient.open(uri, null, PageClient.uniqueAddress()));
                } catch (java.util.concurrent.CompletionException refused) {
                    // 429: limited as the one address it really is
                }
            }
            assertTrue(held.size() <= 50, "one peer rotating X-Forwarded-For is still one address, limited to its "
                    + "burst of new sockets and at most 50 open: " + held.size() + " of 80 accepted");
        } finally {
            held.forEach(PageClient::close);
        }
        // the other tests here connect from 127.0.0.1 too: give its connect budget back (20 at 5/s)
        org.awaitility.Awaitility.await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
    }
}

package dev.livecounter.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import dev.livecounter.local.StackEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streamed tables (issue 21) reach the broadcaster as MICRONAUT_APPLICATION_JSON, with the property names it
 * reads (livecounter.streamed-tables.<table>); the token settings as LIVECOUNTER_TOKENS_*; both only when given.
 */
class ChartStreamedTablesTest {

    private static final String JSON = "MICRONAUT_APPLICATION_JSON";

    @TempDir
    Path dir;

    private Path values(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "values-", ".yaml"), yaml);
    }

    private static Map<String, String> broadcasterEnv(RenderedChart chart) {
        return chart.workload("broadcaster-service").env();
    }

    @Test
    void aDefaultInstallStreamsNoTableAndSetsNoTokenSettings() {
        Map<String, String> env = broadcasterEnv(RenderedChart.render(HelmRunner.values("defaults.yaml")));

        assertFalse(env.containsKey(JSON), env.toString());
        assertTrue(env.keySet().stream().noneMatch(name -> name.startsWith("LIVECOUNTER_TOKENS_")), env.toString());
    }

    @Test
    void theDevFormStreamsTheExampleOrdersTableExactlyAsLocalStackDoes() {
        RenderedChart chart = RenderedChart.render(HelmRunner.values("dev-dynamodb-local.yaml"));

        assertEquals(StackEnvironment.EXAMPLE_TABLES, broadcasterEnv(chart).get(JSON));
        for (String other : List.of("connection-service", "counter-service")) {
            assertFalse(chart.workload(other).env().containsKey(JSON), other);
        }
    }

    @Test
    void theOperatorsTablesGetTheBroadcastersPropertyNames() throws IOException {
        RenderedChart chart = RenderedChart.render(values("""
                streamedTables:
                  shop.orders-v2:
                    attributes: [status, total]
                    access: token
                    snapshotLimit: 500
                  prices:
                    attributes: [price]
                    writable: false
                  bare: {}
                """));

        assertEquals(
                Map.of("livecounter", Map.of("streamed-tables", Map.of(
                        "shop.orders-v2", Map.of("attributes", List.of("status", "total"), "access", "TOKEN",
                                "snapshot-limit", 500.0),
                        "prices", Map.of("attributes", List.of("price")),
                        "bare", Map.of()))),
                new Gson().fromJson(broadcasterEnv(chart).get(JSON), Map.class));
        assertTrue(broadcasterEnv(chart).get(JSON).contains("\"snapshot-limit\":500}"), "an integer, not 500.0");
    }

    @Test
    void theJsonIsTheOneDocsKubernetesMdShowsForKustomize() throws IOException {
        RenderedChart chart = RenderedChart.render(
                values("streamedTables: {orders: {attributes: [status, total], access: token, snapshotLimit: 500}}"));

        assertEquals("{\"livecounter\":{\"streamed-tables\":{\"orders\":{\"access\":\"TOKEN\","
                        + "\"attributes\":[\"status\",\"total\"],\"snapshot-limit\":500}}}}",
                broadcasterEnv(chart).get(JSON));
    }

    @Test
    void theDevFormAddsTheExampleBesideTheOperatorsTablesAndKeepsAnOrdersTableOfTheirOwn() throws IOException {
        Map<String, Object> beside = new Gson().fromJson(broadcasterEnv(RenderedChart.render(values(
                "dynamodbLocal: {enabled: true}\nstreamedTables: {prices: {attributes: [price]}}"))).get(JSON), Map.class);
        Map<String, Object> own = new Gson().fromJson(broadcasterEnv(RenderedChart.render(values(
                "dynamodbLocal: {enabled: true}\nstreamedTables: {orders: {attributes: [status]}}"))).get(JSON), Map.class);

        assertEquals(List.of("orders", "prices"),
                List.copyOf(((Map<String, Object>) Yamls.at(beside, "livecounter.streamed-tables")).keySet()));
        assertEquals(Map.of("attributes", List.of("status")), Yamls.at(own, "livecounter.streamed-tables.orders"));
    }

    @Test
    void tokenSettingsReachTheBroadcasterOnlyWhenGiven() throws IOException {
        Map<String, String> env = broadcasterEnv(RenderedChart.render(values(
                "tokens: {jwksUrl: 'https://issuer.example.com/.well-known/jwks.json', audience: live-counter}")));

        assertEquals("https://issuer.example.com/.well-known/jwks.json", env.get("LIVECOUNTER_TOKENS_JWKS_URL"));
        assertEquals("live-counter", env.get("LIVECOUNTER_TOKENS_AUDIENCE"));
        assertFalse(env.containsKey("LIVECOUNTER_TOKENS_ISSUER"));
        assertFalse(env.containsKey(JSON), "tokens alone stream no table");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "streamedTables: {orders: {access: private}}         | /streamedTables/orders/access",
        "streamedTables: {orders: {snapshotLimit: 0}}        | /streamedTables/orders/snapshotLimit",
        "streamedTables: {orders: {snapshotLimit: 100001}}   | /streamedTables/orders/snapshotLimit",
        "streamedTables: {orders: {attributes: status}}      | /streamedTables/orders/attributes",
        "streamedTables: {orders: {attributes: [1, 2]}}      | /streamedTables/orders/attributes/0",
        "streamedTables: {orders: {atributes: [status]}}     | atributes",
        "streamedTables: {orders: [status]}                  | /streamedTables/orders",
        "streamedTables: {no/slash: {}}                      | invalid propertyName",
        "tokens: {jwksUrl: issuer.example.com}               | /tokens/jwksUrl",
        "tokens: {audiences: [a]}                            | audiences",
    })
    void theSchemaRefusesWhatTheBroadcasterCouldNotRead(String yaml, String where) throws IOException {
        Path file = values(yaml);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HelmRunner.template(file), yaml);
        assertTrue(e.getMessage().contains(where), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo-counters", "demo-history", "demo-presses", "demo-broadcaster", "demo-broadcaster-orders"})
    void oneOfTheInstallsOwnTablesIsRefused(String table) throws IOException {
        Path file = values("streamedTables: {" + table + ": {}}");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HelmRunner.template(file));
        assertTrue(e.getMessage().contains("one of Live Counter's own tables"), e.getMessage());
    }

    @Test
    void theNotesNameTheTablesAndWhatTheyNeed() throws IOException {
        String dev = HelmRunner.notes(HelmRunner.values("dev-dynamodb-local.yaml"), HelmRunner.KUBE_VERSION);
        String aws = HelmRunner.notes(values("streamedTables: {prices: {}, orders: {access: token}}"), HelmRunner.KUBE_VERSION);
        String none = HelmRunner.notes(HelmRunner.values("defaults.yaml"), HelmRunner.KUBE_VERSION);

        assertTrue(dev.contains("Streamed tables (clients subscribe to their changes on /ws): orders."), dev);
        assertTrue(dev.contains("http://localhost:8080/tables"), dev);
        assertTrue(aws.contains("Streamed tables (clients subscribe to their changes on /ws): orders, prices."), aws);
        assertTrue(aws.contains("DescribeStream, GetShardIterator and GetRecords"), aws);
        assertFalse(aws.contains("/tables"), aws);
        assertFalse(none.contains("Streamed tables"), none);
    }
}

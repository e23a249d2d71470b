package dev.livecounter.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Any DynamoDB table, live: an outside writer (the plain AWS SDK) changes items of the streamed tables while
 * subscribers on both replicas watch them by key, partition, prefix and filter, with signed scopes, through a
 * subscribe racing the writes, and across a cut socket.
 */
@ExtendWith(LiveSystem.Running.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TablesIT {

    private DynamoDbClient writer;

    @BeforeAll
    void start() {
        writer = LiveSystem.get().dynamoDbClient();
        // the tables' streams are read from the first second the tests need them
        String customer = customer("warmup");
        put("orders", customer, "o1", "placed", 0);
        for (int replica = 0; replica < 2; replica++) {
            try (TableClient client = TableClient.open(LiveSystem.replica(replica))) {
                int from = client.subscribe(partition("orders", customer));
                client.awaitSnapshot(from);
                setTotal("orders", customer, "o1", replica + 1);
                long total = replica + 1;
                client.await("the warm-up change", from, f -> "change".equals(f.path("type").asText())
                        && f.path("new").path("total").asLong() == total);
            }
        }
    }

    @AfterAll
    void stop() {
        writer.close();
    }

    @Test
    void anItemsChangesReachSubscribersOnBothReplicasInOrder() {
        String customer = customer("order");
        put("orders", customer, "o1", "placed", 0);
        try (TableClient first = TableClient.open(LiveSystem.replica(0));
                TableClient second = TableClient.open(LiveSystem.replica(1))) {
            int a = first.subscribe(key("orders", customer, "o1"));
            int b = second.subscribe(key("orders", customer, "o1"));
            TableClient.Snapshot snapshotA = first.awaitSnapshot(a);
            TableClient.Snapshot snapshotB = second.awaitSnapshot(b);
            assertEquals(snapshotA.sub(), snapshotB.sub(), "the same subscription has the same id on every replica");
            assertEquals(0, snapshotA.items().get(0).path("total").asLong());
            for (int total = 1; total <= 30; total++) {
                setTotal("orders", customer, "o1", total);
            }
            for (TableClient client : List.of(first, second)) {
                client.await("the last change", 0, f -> f.path("new").path("total").asLong() == 30);
                List<Long> totals = client.changes(snapshotA.sub(), 0).stream().map(f -> f.path("new").path("total").asLong()).toList();
                assertEquals(range(1, 30), totals, "every change once, in the order it was made");
            }
        }
    }

    @Test
    void aSubscribeRacingFastWritesMissesNothingAndRepeatsNothing() throws Exception {
        String customer = customer("race");
        put("orders", customer, "o1", "placed", 0);
        int last = 300;
        CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
            for (int total = 1; total <= last; total++) {
                setTotal("orders", customer, "o1", total);
            }
        });
        List<TableClient> clients = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        try {
            while (!writes.isDone() && clients.size() < 8) {
                TableClient client = TableClient.open(LiveSystem.replica(clients.size() % 2));
                starts.add(client.subscribe(key("orders", customer, "o1")));
                clients.add(client);
                Thread.sleep(150);
            }
            writes.get(120, TimeUnit.SECONDS);
            assertTrue(clients.size() >= 2, "subscribed while the item changed");
            for (int i = 0; i < clients.size(); i++) {
                TableClient client = clients.get(i);
                TableClient.Snapshot snapshot = client.awaitSnapshot(starts.get(i));
                long from = snapshot.items().get(0).path("total").asLong();
                if (from < last) {
                    client.await("the last change", 0, f -> "change".equals(f.path("type").asText())
                            && f.path("new").path("total").asLong() == last);
                }
                List<Long> totals = client.changes(snapshot.sub(), 0).stream().map(f -> f.path("new").path("total").asLong()).toList();
                assertEquals(range(from + 1, last), totals, "subscriber " + i + " (snapshot at " + from
                        + "): every change after its snapshot exactly once, in order");
                assertTrue(client.frames().stream().noneMatch(f -> "gap".equals(f.path("type").asText())), "no gap");
            }
        } finally {
            clients.forEach(TableClient::close);
        }
    }

    @Test
    void aPartitionWithAPrefixAFilterAndAProjectionShowsOnlyWhatItSelects() {
        String customer = customer("filter");
        put("orders", customer, "a-1", "placed", 5);
        put("orders", customer, "a-2", "shipped", 6);
        put("orders", customer, "b-1", "shipped", 7);
        try (TableClient client = TableClient.open(LiveSystem.replica(1))) {
            int from = client.subscribe(partition("orders", customer) + ",\"prefix\":\"a-\",\"filter\":\"#s = :s\","
                    + "\"names\":{\"#s\":\"status\"},\"values\":{\":s\":\"shipped\"},\"attributes\":[\"status\"]");
            TableClient.Snapshot snapshot = client.awaitSnapshot(from);
            assertEquals(1, snapshot.items().size(), "only a-2 is shipped under the prefix: " + snapshot.items());
            JsonNode item = snapshot.items().get(0);
            assertEquals("a-2", item.path("orderId").asText());
            assertEquals(List.of("customer", "orderId", "status"), fields(item), "keys and the projection only");

            setStatus("orders", customer, "b-1", "placed");   // outside the prefix: never shown
            setStatus("orders", customer, "a-1", "shipped");  // enters the view
            delete("orders", customer, "a-2");                // a delete, matched on its old image
            setStatus("orders", customer, "a-1", "placed");   // leaves the view
            setStatus("orders", customer, "a-1", "lost");     // outside before and after: never shown
            setStatus("orders", customer, "a-1", "shipped");  // enters again: the last frame
            client.await("a-1 shipped again", from, f -> "change".equals(f.path("type").asText())
                    && f.path("keys").path("orderId").asText().equals("a-1") && f.path("in").asBoolean()
                    && client.changes(snapshot.sub(), 0).size() >= 4);
            List<JsonNode> changes = client.changes(snapshot.sub(), 0);
            assertEquals(List.of("a-1 modify in", "a-2 remove out", "a-1 modify out", "a-1 modify in"),
                    changes.stream().map(f -> f.path("keys").path("orderId").asText() + " " + f.path("event").asText()
                            + (f.path("in").asBoolean() ? " in" : " out")).toList());
            JsonNode removed = changes.get(1);
            assertTrue(removed.path("new").isNull());
            assertEquals("shipped", removed.path("old").path("status").asText());
            for (JsonNode change : changes) {
                for (String image : List.of("new", "old")) {
                    if (!change.path(image).isNull()) {
                        assertEquals(List.of("customer", "orderId", "status"), fields(change.path(image)), image + " projected");
                    }
                }
            }
        }
    }

    @Test
    void theWholeTableIsSnapshotAndStreamedWithoutItsHiddenAttribute() {
        String customer = customer("whole");
        try (TableClient client = TableClient.open(LiveSystem.replica(0))) {
            int from = client.subscribe("\"table\":\"orders\"");
            TableClient.Snapshot snapshot = client.awaitSnapshot(from);
            assertTrue(snapshot.items().size() >= 5, "the example orders at least: " + snapshot.items().size());
            assertTrue(snapshot.items().stream().noneMatch(item -> item.has("card")), "card is never shared");
            put("orders", customer, "o1", "placed", 3);
            JsonNode insert = client.await("the insert", from, f -> "insert".equals(f.path("event").asText())
                    && customer.equals(f.path("keys").path("customer").asText()));
            assertEquals(3, insert.path("new").path("total").asLong());
            assertFalse(insert.path("new").has("card"));
        }
    }

    @Test
    void aTokenTableTakesOnlyTokensWhoseScopeCoversTheSubscription() throws Exception {
        String mine = customer("mine");
        String theirs = customer("theirs");
        put("scoped", mine, "o1", "placed", 1);
        put("scoped", theirs, "o1", "placed", 2);
        String token = token(TOKEN_SECRET, Map.of("keys", List.of(mine), "attributes", List.of("status")), 600);
        try (TableClient client = TableClient.open(LiveSystem.replica(0))) {
            int from = client.subscribe(partition("scoped", mine) + ",\"token\":\"" + token + "\"");
            TableClient.Snapshot snapshot = client.awaitSnapshot(from);
            assertEquals(List.of("customer", "orderId", "status"), fields(snapshot.items().get(0)), "the token's attributes only");

            from = client.subscribe(partition("scoped", theirs) + ",\"ref\":\"theirs\",\"token\":\"" + token + "\"");
            assertEquals("theirs", client.awaitError("not_permitted", from).path("ref").asText());
            from = client.subscribe("\"table\":\"scoped\",\"token\":\"" + token + "\"");
            client.awaitError("not_permitted", from);
            from = client.subscribe(partition("scoped", mine));
            client.awaitError("not_permitted", from);
            String foreign = token("another-secret-0123456789abcdef0123456789", Map.of("keys", List.of(mine)), 600);
            from = client.subscribe(partition("scoped", mine) + ",\"ref\":\"foreign\",\"token\":\"" + foreign + "\"");
            client.awaitError("bad_token", from);
            String expired = token(TOKEN_SECRET, Map.of("keys", List.of(mine)), -120);
            from = client.subscribe(partition("scoped", mine) + ",\"ref\":\"expired\",\"token\":\"" + expired + "\"");
            client.awaitError("token_expired", from);
            assertTrue(client.isOpen(), "refusals leave the socket open");
        }
        try (TableClient client = TableClient.open(LiveSystem.replica(1))) {
            String shortLived = token(TOKEN_SECRET, Map.of("keys", List.of(mine)), 4);
            int from = client.subscribe(key("scoped", mine, "o1") + ",\"token\":\"" + shortLived + "\"");
            String sub = client.awaitSnapshot(from).sub();
            JsonNode ended = client.await("the end of the subscription", from, f -> "unsubscribed".equals(f.path("type").asText()));
            assertEquals(sub, ended.path("sub").asText());
            assertEquals("token_expired", ended.path("reason").asText());
            int changesBefore = client.changes(sub, 0).size();
            setTotal("scoped", mine, "o1", 99);
            int probe = client.subscribe(key("orders", mine, "none"));
            client.awaitSnapshot(probe);
            assertEquals(changesBefore, client.changes(sub, 0).size(), "nothing after the token expired");
        }
    }

    @Test
    void badSubscribesGetErrorFramesThatSayWhatWasWrongAndTheSocketStays() {
        try (TableClient client = TableClient.open(LiveSystem.replica(0))) {
            int from = client.subscribe("\"table\":\"nope\"");
            assertTrue(client.awaitError("unknown_table", from).path("message").asText().contains("nope"));
            from = client.subscribe("\"table\":\"" + LiveSystem.get().tableName("counters") + "\"");
            client.awaitError("unknown_table", from);
            from = client.subscribe(partition("orders", "x") + ",\"filter\":\"total >\",\"values\":{}");
            client.awaitError("bad_filter", from);
            from = client.subscribe(partition("orders", "x") + ",\"filter\":\"card = :c\",\"values\":{\":c\":\"1\"}");
            assertTrue(client.awaitError("bad_filter", from).path("message").asText().contains("card"));
            from = client.subscribe(partition("orders", "x") + ",\"attributes\":[\"card\"]");
            assertTrue(client.awaitError("bad_attribute", from).path("message").asText().contains("card"));
            from = client.subscribe("\"table\":\"orders\",\"key\":{\"customer\":\"x\"}");
            client.awaitError("bad_attribute", from);
            from = client.subscribe(partition("orders", "x") + ",\"after\":\"not a position\"");
            client.awaitError("bad_request", from);
            client.send("{\"action\":\"plus\"}");
            assertTrue(client.awaitError("bad_request", from).path("message").asText().length() > 0);
            from = client.subscribe(partition("orders", "x"));
            assertEquals(0, client.awaitSnapshot(from).items().size());
            assertTrue(client.isOpen());
        }
    }

    @Test
    void aClientThatComesBackWithItsPositionOnAnotherReplicaGetsWhatItMissed() {
        String customer = customer("resume");
        put("orders", customer, "o1", "placed", 0);
        String position;
        try (TableClient before = TableClient.open(LiveSystem.replica(0))) {
            int from = before.subscribe(key("orders", customer, "o1"));
            before.awaitSnapshot(from);
            setTotal("orders", customer, "o1", 1);
            position = before.await("the first change", from, f -> f.path("new").path("total").asLong() == 1).path("position").asText();
            before.abort();
        }
        for (int total = 2; total <= 6; total++) {
            setTotal("orders", customer, "o1", total);
        }
        try (TableClient after = TableClient.open(LiveSystem.replica(1))) {
            // the other replica may take the last changes a moment later than the writer made them
            List<Long> totals = List.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                int from = after.subscribe(key("orders", customer, "o1") + ",\"after\":\"" + position + "\"");
                JsonNode answer = after.await("the answer", from, f -> "resumed".equals(f.path("type").asText())
                        || "gap".equals(f.path("type").asText()) || "error".equals(f.path("type").asText()));
                assertEquals("resumed", answer.path("type").asText(), "the log covers a few seconds: " + answer);
                String sub = answer.path("sub").asText();
                after.await("the missed changes", from, f -> after.changes(sub, from).size() >= answer.path("missed").asInt());
                totals = after.changes(sub, from).stream().map(f -> f.path("new").path("total").asLong()).toList();
                if (totals.size() == 5) {
                    break;
                }
                after.send("{\"action\":\"unsubscribe\",\"sub\":\"" + sub + "\"}");
                after.awaitType("unsubscribed", from);
            }
            assertEquals(range(2, 6), totals, "exactly what it missed, in order");
        }
    }

    // ---- helpers

    private static final String TOKEN_SECRET = LiveSystem.TOKEN_SECRET;

    private static String customer(String what) {
        return "it-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String key(String table, String customer, String orderId) {
        return "\"table\":\"" + table + "\",\"key\":{\"customer\":\"" + customer + "\",\"orderId\":\"" + orderId + "\"}";
    }

    private static String partition(String table, String customer) {
        return "\"table\":\"" + table + "\",\"partition\":{\"customer\":\"" + customer + "\"}";
    }

    private static List<Long> range(long from, long to) {
        List<Long> range = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            range.add(i);
        }
        return range;
    }

    private static List<String> fields(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        return names;
    }

    private void put(String table, String customer, String orderId, String status, long total) {
        writer.putItem(r -> r.tableName(table).item(Map.of(
                "customer", AttributeValue.fromS(customer), "orderId", AttributeValue.fromS(orderId),
                "status", AttributeValue.fromS(status), "total", AttributeValue.fromN(Long.toString(total)),
                "item", AttributeValue.fromS("test"), "card", AttributeValue.fromS("4111"))));
    }

    private void setTotal(String table, String customer, String orderId, long total) {
        writer.updateItem(r -> r.tableName(table).key(keyOf(customer, orderId)).updateExpression("SET #t = :t")
                .expressionAttributeNames(Map.of("#t", "total"))
                .expressionAttributeValues(Map.of(":t", AttributeValue.fromN(Long.toString(total)))));
    }

    private void setStatus(String table, String customer, String orderId, String status) {
        writer.updateItem(r -> r.tableName(table).key(keyOf(customer, orderId)).updateExpression("SET #s = :s")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(status))));
    }

    private void delete(String table, String customer, String orderId) {
        writer.deleteItem(r -> r.tableName(table).key(keyOf(customer, orderId)));
    }

    private static Map<String, AttributeValue> keyOf(String customer, String orderId) {
        return Map.of("customer", AttributeValue.fromS(customer), "orderId", AttributeValue.fromS(orderId));
    }

    private static String token(String secret, Map<String, Object> scope, long seconds) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject("tables-it")
                .expirationTime(Date.from(Instant.now().plusSeconds(seconds)))
                .claim("tables", Map.of("scoped", scope))
                .build());
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }
}

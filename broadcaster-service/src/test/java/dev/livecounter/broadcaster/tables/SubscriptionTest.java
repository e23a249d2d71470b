package dev.livecounter.broadcaster.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.livecounter.broadcaster.tables.filter.Condition;
import dev.livecounter.broadcaster.tables.filter.FilterException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A subscription's id names its question: subscribers asking the same (on any replica) share one evaluation and one
 * frame, so the same question must give the same id and any different question another.
 */
class SubscriptionTest {

    private static final TableCatalog.Table ORDERS = new TableCatalog.Table(
            new StreamedTable("orders", List.of("status", "total"), StreamedTable.Access.PUBLIC, 100, false, false),
            "customer", "orderId", Set.of("customer", "orderId", "status", "total"));
    private static final TableCatalog.Table INVOICES = new TableCatalog.Table(
            new StreamedTable("invoices", List.of("status", "total"), StreamedTable.Access.PUBLIC, 100, false, false),
            "customer", "orderId", Set.of("customer", "orderId", "status", "total"));

    private static Condition filter(String expression, String value) throws FilterException {
        return Condition.parse(expression, Map.of(), Map.of(":v", AttributeValue.fromS(value)));
    }

    private static Set<String> ordered(String... attributes) {
        return new LinkedHashSet<>(List.of(attributes));
    }

    private static String partition(TableCatalog.Table table, String customer, String prefix, Condition filter,
            Set<String> projection) {
        return Subscription.of(table, null, AttributeValue.fromS(customer), prefix, filter, projection).id();
    }

    @Test
    void theSameQuestionHasTheSameIdHoweverItWasWritten() throws FilterException {
        String id = partition(ORDERS, "ada", "2026-", filter("status = :v", "shipped"), ordered("customer", "orderId", "status"));
        assertEquals(id, partition(ORDERS, "ada", "2026-", filter("status=:v", "shipped"), ordered("status", "orderId", "customer")));
        assertEquals(id, partition(ORDERS, "ada", "2026-", filter("(status = :v)", "shipped"), ordered("orderId", "customer", "status")));
        // an item asked for by a key whose number is spelled differently
        Map<String, AttributeValue> one = Map.of("customer", AttributeValue.fromN("1.0"), "orderId", AttributeValue.fromS("o1"));
        Map<String, AttributeValue> same = Map.of("customer", AttributeValue.fromN("1"), "orderId", AttributeValue.fromS("o1"));
        assertEquals(Subscription.of(ORDERS, one, null, null, null, ORDERS.allowed()).id(),
                Subscription.of(ORDERS, same, null, null, null, ORDERS.allowed()).id());
    }

    @Test
    void anyDifferenceInTheQuestionGivesAnotherId() throws FilterException {
        Condition shipped = filter("status = :v", "shipped");
        Set<String> projection = ordered("customer", "orderId", "status");
        String id = partition(ORDERS, "ada", "2026-", shipped, projection);
        List<String> others = List.of(
                partition(ORDERS, "ada", "2026-", shipped, ordered("customer", "orderId", "total")),
                partition(ORDERS, "ada", "2026-", shipped, ordered("customer", "orderId", "status", "total")),
                partition(ORDERS, "ada", "2026-", filter("status = :v", "packing"), projection),
                partition(ORDERS, "ada", "2026-", null, projection),
                partition(ORDERS, "ada", "2025-", shipped, projection),
                partition(ORDERS, "ada", null, shipped, projection),
                partition(ORDERS, "bob", "2026-", shipped, projection),
                partition(INVOICES, "ada", "2026-", shipped, projection),
                Subscription.of(ORDERS, null, null, null, shipped, projection).id());
        for (String other : others) {
            assertNotEquals(id, other);
        }
        assertEquals(others.size(), Set.copyOf(others).size(), "each question its own id: " + others);
    }

    @Test
    void aSubscriptionSelectsByItsKindAndPrefix() {
        Subscription prefixed = Subscription.of(ORDERS, null, AttributeValue.fromS("ada"), "2026-", null, ORDERS.allowed());
        assertEquals(Subscription.Kind.PARTITION, prefixed.kind());
        assertEquals(Items.keyPart(AttributeValue.fromS("ada")), prefixed.index());
        assertEquals(true, prefixed.selects(Map.of("customer", AttributeValue.fromS("ada"), "orderId", AttributeValue.fromS("2026-7"))));
        assertEquals(false, prefixed.selects(Map.of("customer", AttributeValue.fromS("ada"), "orderId", AttributeValue.fromS("2025-7"))));
        assertEquals(Subscription.Kind.TABLE, Subscription.of(ORDERS, null, null, null, null, ORDERS.allowed()).kind());
    }
}

package dev.livecounter.broadcaster.tables;

import dev.livecounter.broadcaster.limits.ClientLimits;
import dev.livecounter.broadcaster.protocol.ClientMessages.Rejected;
import dev.livecounter.broadcaster.tables.items.ItemJson;
import dev.livecounter.common.contract.ErrorCode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.tree.JsonNode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@code POST /tables/<table>/items} with {@code {"key":{..},"set":{..}}}: changes allowed attributes of an existing
 * item of a table marked {@code writable} (the demo page's), so two browsers can see each other's edits arrive
 * through the stream like any other writer's. Keys are never changed and no item is made; rate-limited per address.
 */
@Controller("/tables")
class TableWritesController {

    private final TableCatalog catalog;
    private final ClientLimits limits;
    private final DynamoDbAsyncClient dynamoDb;

    TableWritesController(TableCatalog catalog, ClientLimits limits, DynamoDbAsyncClient dynamoDb) {
        this.catalog = catalog;
        this.limits = limits;
        this.dynamoDb = dynamoDb;
    }

    @Post("/{table}/items")
    CompletableFuture<MutableHttpResponse<?>> set(String table, @Body JsonNode body, HttpRequest<?> request) {
        try {
            TableCatalog.Table target = catalog.table(table);
            if (!target.config().writable()) {
                throw new Rejected(ErrorCode.NOT_PERMITTED, "table " + table + " is not writable here");
            }
            if (!limits.trySubscribe(limits.address(request))) {
                throw new Rejected(ErrorCode.RATE_LIMITED, "too many changes from your address; slow down");
            }
            Map<String, AttributeValue> key = key(target, body.get("key"));
            JsonNode set = body.get("set");
            if (set == null || !set.isObject() || set.size() == 0 || set.size() > 20) {
                throw new Rejected(ErrorCode.BAD_REQUEST, "\"set\" is an object of 1-20 attributes");
            }
            Map<String, String> names = new HashMap<>(Map.of("#pk", target.partitionKey()));
            Map<String, AttributeValue> values = new LinkedHashMap<>();
            StringBuilder update = new StringBuilder("SET ");
            int i = 0;
            for (Map.Entry<String, JsonNode> attribute : set.entries()) {
                String name = attribute.getKey();
                if (!target.config().attributes().contains(name)) {
                    throw new Rejected(ErrorCode.BAD_ATTRIBUTE, name + " is not an attribute of " + table + " that may be set");
                }
                names.put("#a" + i, name);
                values.put(":v" + i, ItemJson.fromPlain(attribute.getValue()));
                update.append(i == 0 ? "" : ", ").append("#a").append(i).append(" = :v").append(i);
                i++;
            }
            return dynamoDb.updateItem(r -> r.tableName(table).key(key).updateExpression(update.toString())
                            .conditionExpression("attribute_exists(#pk)")
                            .expressionAttributeNames(names).expressionAttributeValues(values))
                    .<MutableHttpResponse<?>>thenApply(done -> HttpResponse.ok(Map.of("ok", true)))
                    .exceptionally(TableWritesController::failed);
        } catch (Rejected refused) {
            return CompletableFuture.completedFuture(refusal(refused));
        } catch (IllegalArgumentException bad) {
            return CompletableFuture.completedFuture(HttpResponse.badRequest(ErrorCode.BAD_REQUEST.body(bad.getMessage())));
        }
    }

    private static Map<String, AttributeValue> key(TableCatalog.Table table, JsonNode given) throws Rejected {
        int expected = table.sortKey() == null ? 1 : 2;
        if (given == null || !given.isObject() || given.size() != expected || given.get(table.partitionKey()) == null
                || (table.sortKey() != null && given.get(table.sortKey()) == null)) {
            throw new Rejected(ErrorCode.BAD_ATTRIBUTE, "\"key\" names exactly the keys of " + table.name());
        }
        return ItemJson.fromPlainObject(given);
    }

    private static MutableHttpResponse<?> failed(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ConditionalCheckFailedException) {
            return HttpResponse.notFound(ErrorCode.BAD_REQUEST.body("no such item"));
        }
        return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(ErrorCode.UNAVAILABLE.body("the table cannot be written now"));
    }

    private static MutableHttpResponse<?> refusal(Rejected refused) {
        HttpStatus status = switch (refused.code()) {
            case UNKNOWN_TABLE -> HttpStatus.NOT_FOUND;
            case NOT_PERMITTED -> HttpStatus.FORBIDDEN;
            case RATE_LIMITED -> HttpStatus.TOO_MANY_REQUESTS;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            default -> HttpStatus.BAD_REQUEST;
        };
        return HttpResponse.status(status).body(refused.code().body(refused.getMessage()));
    }
}

package dev.livecounter.broadcaster.tables;

import dev.livecounter.broadcaster.protocol.ClientMessages.Rejected;
import dev.livecounter.common.contract.ErrorCode;
import dev.livecounter.common.dynamodb.TableSettings;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * The streamed tables as this replica knows them: the operator's entries ({@link StreamedTable}) with each table's
 * keys as DynamoDB describes them. Start-up stops when an entry names one of the project's own tables (and, in the
 * stream consumer, at a table whose stream does not carry new and old images); a table that does not exist yet, or
 * a database not reachable yet, is described again on the first subscribe.
 */
@Singleton
public class TableCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(TableCatalog.class);

    /** A streamed table with its keys. {@code sortKey} is null for a table with a partition key only. */
    public record Table(StreamedTable config, String partitionKey, @Nullable String sortKey, Set<String> allowed) {
        public String name() {
            return config.name();
        }
    }

    private final Map<String, StreamedTable> configured = new LinkedHashMap<>();
    private final Map<String, Table> described = new ConcurrentHashMap<>();
    private final DynamoDbClient dynamoDb;
    private final boolean createExamples;

    TableCatalog(List<StreamedTable> tables, TableSettings own, DynamoDbClient dynamoDb) {
        this.dynamoDb = dynamoDb;
        this.createExamples = own.create();
        Set<String> ownTables = Set.of(own.counters(), own.connections(), own.history(), own.replicas());
        for (StreamedTable table : tables) {
            if (ownTables.contains(table.name()) || table.name().startsWith(own.streamApplication())) {
                throw new IllegalStateException("livecounter.streamed-tables." + table.name()
                        + ": this is one of Live Counter's own tables, which are never streamed to clients");
            }
            configured.put(table.name(), table);
        }
    }

    /** Makes the demo table where asked to, and describes every table once at start-up. */
    @EventListener
    void onStartup(StartupEvent event) {
        for (String name : configured.keySet()) {
            try {
                if (createExamples && configured.get(name).example()) {
                    ExampleOrders.createIfMissing(dynamoDb, name);
                }
                describe(name);
            } catch (ResourceNotFoundException missing) {
                LOG.warn("Streamed table {} does not exist yet; its subscribers wait until it does", name);
            } catch (RuntimeException unreachable) {
                LOG.warn("Cannot describe streamed table {} yet: {}", name, unreachable.toString());
            }
        }
        if (!configured.isEmpty()) {
            LOG.info("Clients may subscribe to {}", configured.keySet());
        }
    }

    /** The names of the streamed tables, as configured. */
    public List<String> names() {
        return List.copyOf(configured.keySet());
    }

    /** The table {@code name}, described. */
    public Table table(String name) throws Rejected {
        Table table = described.get(name);
        if (table != null) {
            return table;
        }
        if (!configured.containsKey(name)) {
            throw new Rejected(ErrorCode.UNKNOWN_TABLE, "no streamed table " + name);
        }
        try {
            return describe(name);
        } catch (ResourceNotFoundException missing) {
            throw new Rejected(ErrorCode.UNAVAILABLE, "table " + name + " does not exist yet; try again later");
        } catch (RuntimeException e) {
            throw new Rejected(ErrorCode.UNAVAILABLE, "table " + name + " cannot be read now; try again shortly");
        }
    }

    private Table describe(String name) {
        StreamedTable config = configured.get(name);
        TableDescription description = dynamoDb.describeTable(r -> r.tableName(name)).table();
        String partitionKey = null;
        String sortKey = null;
        for (var key : description.keySchema()) {
            if (key.keyType() == KeyType.HASH) {
                partitionKey = key.attributeName();
            } else {
                sortKey = key.attributeName();
            }
        }
        Set<String> allowed = new LinkedHashSet<>();
        allowed.add(partitionKey);
        if (sortKey != null) {
            allowed.add(sortKey);
        }
        allowed.addAll(config.attributes());
        Table table = new Table(config, partitionKey, sortKey, Set.copyOf(allowed));
        described.put(name, table);
        return table;
    }
}

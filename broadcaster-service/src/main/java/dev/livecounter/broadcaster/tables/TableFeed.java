package dev.livecounter.broadcaster.tables;

import dev.livecounter.broadcaster.replica.PeerPosts;
import dev.livecounter.broadcaster.stream.TableRecords;
import dev.livecounter.broadcaster.tables.items.ItemJson;
import dev.livecounter.broadcaster.tables.items.JsonText;
import dev.livecounter.common.contract.ReplicaOperations;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The streamed tables' changes as the stream consumer reads them (on the replica that holds a shard's lease): into
 * this replica's topics, and to every peer, which takes them at {@link ReplicaOperations#TABLE_CHANGES}. The consumer
 * checkpoints a batch only after this returns, and this waits (briefly) for the peers, so a replica that dies
 * between the two leaves a hole its peers see, and tell their subscribers about, rather than one nobody sees.
 */
@Singleton
public class TableFeed implements TableRecords {

    private static final Logger LOG = LoggerFactory.getLogger(TableFeed.class);

    private final TableCatalog catalog;
    private final TableSubscriptions subscriptions;
    private final PeerPosts peers;
    private final SubscriptionSettings settings;

    TableFeed(TableCatalog catalog, TableSubscriptions subscriptions, PeerPosts peers, SubscriptionSettings settings) {
        this.catalog = catalog;
        this.subscriptions = subscriptions;
        this.peers = peers;
        this.settings = settings;
    }

    @Override
    public List<String> tables() {
        return catalog.names();
    }

    @Override
    public void accept(String table, String shardId, @Nullable String previous, List<Record> records) {
        List<TableChange> changes = records.stream().map(record -> TableChange.of(shardId, record)).toList();
        if (changes.isEmpty()) {
            return;
        }
        subscriptions.apply(table, shardId, previous, changes);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        peers.tableChanges(encode(table, shardId, previous, changes)).forEach((peer, post) -> sent.add(
                post.whenComplete((ok, error) -> {
                    if (error != null) {
                        LOG.warn("Changes of {} to replica {} failed: {}", table, peer.replicaId(), error.toString());
                    }
                })));
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                    .get(settings.peerWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // logged per peer; a peer that missed the batch sees the hole with the next one
        }
    }

    /** A batch as a peer posts it: {@code {"table","shard","previous","changes":[{"seq","event","keys","new","old"}]}}. */
    static byte[] encode(String table, String shard, @Nullable String previous, List<TableChange> changes) {
        StringBuilder out = new StringBuilder(256 * changes.size());
        out.append("{\"table\":");
        JsonText.appendString(out, table);
        out.append(",\"shard\":");
        JsonText.appendString(out, shard);
        out.append(",\"previous\":").append(previous == null ? "null" : '"' + previous + '"');
        out.append(",\"changes\":[");
        for (int i = 0; i < changes.size(); i++) {
            TableChange change = changes.get(i);
            out.append(i == 0 ? "" : ",").append("{\"seq\":\"").append(change.sequence())
                    .append("\",\"event\":\"").append(change.event()).append("\",\"keys\":").append(ItemJson.typed(change.keys()))
                    .append(",\"new\":").append(change.newImage() == null ? "null" : ItemJson.typed(change.newImage()))
                    .append(",\"old\":").append(change.oldImage() == null ? "null" : ItemJson.typed(change.oldImage()))
                    .append('}');
        }
        return out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A batch a peer posted, into this replica's topic. */
    void posted(JsonNode batch) {
        String table = batch.get("table").getStringValue();
        String shard = batch.get("shard").getStringValue();
        JsonNode previous = batch.get("previous");
        List<TableChange> changes = new ArrayList<>();
        for (JsonNode change : batch.get("changes").values()) {
            changes.add(new TableChange(shard, new BigInteger(change.get("seq").getStringValue()),
                    change.get("event").getStringValue(), ItemJson.fromTyped(change.get("keys")),
                    image(change.get("new")), image(change.get("old"))));
        }
        subscriptions.apply(table, shard, previous == null || previous.isNull() ? null : previous.getStringValue(), changes);
    }

    @Nullable
    private static Map<String, AttributeValue> image(@Nullable JsonNode node) {
        return node == null || node.isNull() ? null : ItemJson.fromTyped(node);
    }
}

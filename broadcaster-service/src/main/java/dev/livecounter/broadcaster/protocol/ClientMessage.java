package dev.livecounter.broadcaster.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * Everything a client may send on {@code /ws}, one JSON object per message, told apart by {@code action}. Decoded by
 * {@link ClientMessages#decode}; the shapes and their answers are README's "The protocol".
 */
@Serdeable
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "action")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ClientMessage.Plus.class, name = "plus"),
    @JsonSubTypes.Type(value = ClientMessage.Minus.class, name = "minus"),
    @JsonSubTypes.Type(value = ClientMessage.Subscribe.class, name = "subscribe"),
    @JsonSubTypes.Type(value = ClientMessage.Unsubscribe.class, name = "unsubscribe")
})
public sealed interface ClientMessage {

    /** A press of the socket's counter; {@code id} (optional) makes sending it again count once. */
    sealed interface Press extends ClientMessage {
        @Nullable
        String id();

        /** +1 or -1. */
        int delta();
    }

    @Serdeable
    record Plus(@Nullable String id) implements Press {
        @Override
        public int delta() {
            return 1;
        }
    }

    @Serdeable
    record Minus(@Nullable String id) implements Press {
        @Override
        public int delta() {
            return -1;
        }
    }

    /**
     * Subscribes to a streamed table: one item ({@code key}), one partition ({@code partition}, optionally with a
     * sort-key {@code prefix}) or the whole table (neither); optionally filtered, projected, signed and resumed.
     */
    @Serdeable
    record Subscribe(
            @Nullable String ref,
            @Nullable String table,
            @Nullable Map<String, JsonNode> key,
            @Nullable Map<String, JsonNode> partition,
            @Nullable String prefix,
            @Nullable String filter,
            @Nullable Map<String, String> names,
            @Nullable Map<String, JsonNode> values,
            @Nullable List<String> attributes,
            @Nullable String token,
            @Nullable String after) implements ClientMessage {}

    /** Ends one of this socket's subscriptions. */
    @Serdeable
    record Unsubscribe(@Nullable String sub) implements ClientMessage {}
}

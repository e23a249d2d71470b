package dev.livecounter.broadcaster.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.livecounter.common.contract.ErrorCode;
import dev.livecounter.common.model.Ids;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes what a client sends into a {@link ClientMessage}, strictly: one JSON object and nothing after it, no key
 * twice, no key a message does not have, nesting at most {@link #MAX_DEPTH} deep, at most {@link #MAX_LENGTH}
 * characters. Anything else is {@link Rejected} with the error frame's code and a reason, never an exception.
 */
public final class ClientMessages {

    /** Anything longer is not a message a client sends (a subscribe with a token and a filter fits easily). */
    public static final int MAX_LENGTH = 4096;

    /** Objects and arrays inside one another at most this deep (a subscribe's values need a few levels). */
    public static final int MAX_DEPTH = 8;

    /**
     * Each message's keys and the JSON kind of each, read off {@link ClientMessage}'s records (a message's record is
     * the one list of its keys): a key not listed, or of another kind, is refused.
     */
    private static final Map<String, Map<String, JsonToken>> SHAPES = shapes();
    private static final String UNKNOWN_ACTION = "unknown action; use " + actions();
    private static final String EXPECTED = "send {\"action\":\"plus\"}, {\"action\":\"minus\"}, or a subscribe";
    private static final ObjectMapper JSON = ObjectMapper.getDefault();
    private static final JsonFactory STRICT = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private ClientMessages() {}

    /** A message the server refuses, with the error frame's code. */
    public static final class Rejected extends Exception {
        private final ErrorCode code;

        public Rejected(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public ErrorCode code() {
            return code;
        }
    }

    public static ClientMessage decode(String text) throws Rejected {
        if (text == null || text.isBlank()) {
            throw new Rejected(ErrorCode.BAD_REQUEST, "empty message; " + EXPECTED);
        }
        if (text.length() > MAX_LENGTH) {
            throw new Rejected(ErrorCode.BAD_REQUEST, "message longer than " + MAX_LENGTH + " characters");
        }
        Map<String, JsonToken> keys = readKeys(text);
        String action = actionOf(text, keys);
        Map<String, JsonToken> shape = SHAPES.get(action);
        for (Map.Entry<String, JsonToken> key : keys.entrySet()) {
            JsonToken expected = shape.get(key.getKey());
            if (expected == null) {
                throw new Rejected(ErrorCode.BAD_REQUEST, "a " + action + " message has no \"" + key.getKey() + "\"");
            }
            if (expected != key.getValue()) {
                throw new Rejected(ErrorCode.BAD_REQUEST, "\"" + key.getKey() + "\" is " + kind(expected));
            }
        }
        ClientMessage message;
        try {
            message = JSON.readValue(text, ClientMessage.class);
        } catch (IOException | RuntimeException e) {
            throw new Rejected(ErrorCode.BAD_REQUEST, "unexpected " + action + " message: " + reason(e));
        }
        if (message instanceof ClientMessage.Press press && press.id() != null && !Ids.isValid(press.id())) {
            throw new Rejected(ErrorCode.BAD_REQUEST, "id: " + Ids.DESCRIBED);
        }
        return message;
    }

    /**
     * Reads the whole text once with a strict parser: one object, no duplicate keys, not too deep, nothing after
     * it. Returns its keys with the kind of each value (a number, true, false and null count as themselves).
     */
    private static Map<String, JsonToken> readKeys(String text) throws Rejected {
        try (JsonParser parser = STRICT.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new Rejected(ErrorCode.BAD_REQUEST, "not a JSON object; " + EXPECTED);
            }
            Map<String, JsonToken> keys = new HashMap<>();
            while (parser.nextToken() != JsonToken.END_OBJECT) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                keys.put(name, token);
                if (token.isStructStart()) {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new Rejected(ErrorCode.BAD_REQUEST, "more than one JSON value in one message");
            }
            return keys;
        } catch (IOException | RuntimeException e) {
            throw new Rejected(ErrorCode.BAD_REQUEST, "malformed JSON (" + reason(e) + "); " + EXPECTED);
        }
    }

    /** The message's action (a string, one of the four). */
    private static String actionOf(String text, Map<String, JsonToken> keys) throws Rejected {
        if (keys.get("action") != JsonToken.VALUE_STRING) {
            throw new Rejected(ErrorCode.BAD_REQUEST, "no \"action\" string; " + EXPECTED);
        }
        String action;
        try (JsonParser parser = STRICT.createParser(text)) {
            parser.nextToken();
            action = null;
            while (parser.nextToken() != JsonToken.END_OBJECT) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if ("action".equals(name)) {
                    action = parser.getText();
                    break;
                }
                if (token.isStructStart()) {
                    parser.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new Rejected(ErrorCode.BAD_REQUEST, "malformed JSON (" + reason(e) + ")");
        }
        if (!SHAPES.containsKey(action)) {
            throw new Rejected(ErrorCode.UNKNOWN_ACTION, UNKNOWN_ACTION);
        }
        return action;
    }

    private static Map<String, Map<String, JsonToken>> shapes() {
        Map<String, Map<String, JsonToken>> shapes = new LinkedHashMap<>();
        for (JsonSubTypes.Type type : ClientMessage.class.getAnnotation(JsonSubTypes.class).value()) {
            Map<String, JsonToken> keys = new HashMap<>();
            keys.put("action", JsonToken.VALUE_STRING);
            for (RecordComponent component : type.value().getRecordComponents()) {
                keys.put(component.getName(), token(component.getType()));
            }
            shapes.put(type.name(), Map.copyOf(keys));
        }
        return Collections.unmodifiableMap(shapes);
    }

    /** The JSON kind a record component is read from. */
    private static JsonToken token(Class<?> type) {
        if (type == String.class) {
            return JsonToken.VALUE_STRING;
        }
        if (Map.class.isAssignableFrom(type)) {
            return JsonToken.START_OBJECT;
        }
        if (List.class.isAssignableFrom(type)) {
            return JsonToken.START_ARRAY;
        }
        throw new IllegalStateException("a client message field of type " + type + " has no JSON kind here");
    }

    /** {@code "plus", "minus", "subscribe" or "unsubscribe"}. */
    private static String actions() {
        List<String> quoted = SHAPES.keySet().stream().map(action -> '"' + action + '"').toList();
        return String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
    }

    private static String kind(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> "a string";
        };
    }

    /** The parser's reason without its echo of the input. */
    private static String reason(Exception e) {
        String message = String.valueOf(e.getMessage());
        int source = message.indexOf("\n at [Source");
        message = source < 0 ? message : message.substring(0, source);
        return message.length() > 160 ? message.substring(0, 160) + "..." : message;
    }
}

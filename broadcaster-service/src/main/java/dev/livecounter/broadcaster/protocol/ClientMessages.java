package dev.livecounter.broadcaster.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.livecounter.common.contract.ErrorCode;
import dev.livecounter.common.model.Ids;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.util.Set;

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

    private static final Set<String> ACTIONS = Set.of("plus", "minus", "subscribe", "unsubscribe");
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
        String action = checkShape(text);
        if (action == null) {
            throw new Rejected(ErrorCode.BAD_REQUEST, "no \"action\"; " + EXPECTED);
        }
        if (!ACTIONS.contains(action)) {
            throw new Rejected(ErrorCode.UNKNOWN_ACTION, "unknown action; use \"plus\", \"minus\", \"subscribe\" or \"unsubscribe\"");
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
     * it. Returns the top-level {@code action} when it is a string, else null.
     */
    private static String checkShape(String text) throws Rejected {
        try (JsonParser parser = STRICT.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new Rejected(ErrorCode.BAD_REQUEST, "not a JSON object; " + EXPECTED);
            }
            String action = null;
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
                String name = parser.currentName();
                token = parser.nextToken();
                if ("action".equals(name) && token == JsonToken.VALUE_STRING) {
                    action = parser.getText();
                } else if (token.isStructStart()) {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new Rejected(ErrorCode.BAD_REQUEST, "more than one JSON value in one message");
            }
            return action;
        } catch (IOException | RuntimeException e) {
            throw new Rejected(ErrorCode.BAD_REQUEST, "malformed JSON (" + reason(e) + "); " + EXPECTED);
        }
    }

    /** The parser's reason without its echo of the input. */
    private static String reason(Exception e) {
        String message = String.valueOf(e.getMessage());
        int source = message.indexOf("\n at [Source");
        message = source < 0 ? message : message.substring(0, source);
        return message.length() > 160 ? message.substring(0, 160) + "..." : message;
    }
}

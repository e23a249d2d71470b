package dev.livecounter.broadcaster.websocket;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;

/** Parses what a page sends: {@code {"action":"plus"}} or {@code {"action":"minus"}}, nothing else. */
public final class ClientMessages {

    /** Anything longer is not a message a page sends. */
    public static final int MAX_LENGTH = 256;

    private static final ObjectMapper JSON = ObjectMapper.getDefault();

    private ClientMessages() {}

    /** What a page may ask for. */
    public enum Action {
        PLUS,
        MINUS
    }

    /** A message the server refuses, with the error frame's code. */
    public static final class Rejected extends Exception {
        private final String code;

        Rejected(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public static Action parse(String text) throws Rejected {
        if (text == null || text.isBlank()) {
            throw new Rejected("bad_request", "empty message; send {\"action\":\"plus\"} or {\"action\":\"minus\"}");
        }
        if (text.length() > MAX_LENGTH) {
            throw new Rejected("bad_request", "message longer than " + MAX_LENGTH + " characters");
        }
        String trimmed = text.strip();
        if (trimmed.charAt(0) != '{') {
            throw new Rejected("bad_request", "message must be a JSON object");
        }
        Message message;
        try {
            message = JSON.readValue(trimmed, Message.class);
        } catch (IOException | RuntimeException e) {
            throw new Rejected("bad_request", "malformed JSON");
        }
        if (message == null || message.action() == null) {
            throw new Rejected("bad_request", "missing \"action\"");
        }
        return switch (message.action()) {
            case "plus" -> Action.PLUS;
            case "minus" -> Action.MINUS;
            default -> throw new Rejected("unknown_action", "unknown action; use \"plus\" or \"minus\"");
        };
    }

    @Serdeable
    record Message(@Nullable String action) {}
}

package dev.livecounter.broadcaster.websocket;

import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses what a page sends: {@code {"action":"plus"}} or {@code {"action":"minus"}}, nothing else. */
public final class ClientMessages {

    /** Anything longer is not a message a page sends. */
    public static final int MAX_LENGTH = 256;

    private static final ObjectMapper JSON = ObjectMapper.getDefault();
    private static final Pattern MESSAGE = Pattern.compile("\\s*\\{\\s*\"action\"\\s*:\\s*\"([^\"\\\\]{0,32})\"\\s*}\\s*");
    private static final String EXPECTED = "send {\"action\":\"plus\"} or {\"action\":\"minus\"}";

    private ClientMessages() {}

    /** What a page may ask for. */
    public enum Action {
        PLUS,
        MINUS
    }

    /** A message the server refuses, with the error frame's code. */
    public static final class Rejected extends Exception {
        private final String code;

        public Rejected(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public static Action parse(String text) throws Rejected {
        if (text == null || text.isBlank()) {
            throw new Rejected("bad_request", "empty message; " + EXPECTED);
        }
        if (text.length() > MAX_LENGTH) {
            throw new Rejected("bad_request", "message longer than " + MAX_LENGTH + " characters");
        }
        // the whole grammar, strictly: no second object after the first, no duplicate or extra keys, so no
        // lenient reading can turn garbage into a press
        Matcher message = MESSAGE.matcher(text);
        if (!message.matches()) {
            throw new Rejected("bad_request", (isJson(text) ? "unexpected message; " : "malformed JSON; ") + EXPECTED);
        }
        return switch (message.group(1)) {
            case "plus" -> Action.PLUS;
            case "minus" -> Action.MINUS;
            default -> throw new Rejected("unknown_action", "unknown action; use \"plus\" or \"minus\"");
        };
    }

    private static boolean isJson(String text) {
        try {
            JSON.readValue(text, Object.class);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

}

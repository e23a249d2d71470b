package dev.livecounter.broadcaster.protocol;

import dev.livecounter.common.model.Ids;
import dev.livecounter.common.contract.ErrorCode;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses what a page sends: {@code {"action":"plus"}} or {@code {"action":"minus"}}, optionally with the press's id
 * ({@code {"action":"plus","id":"<1-64 of A-Za-z0-9_->"}}, either key first), nothing else.
 */
public final class ClientMessages {

    /** Anything longer is not a message a page sends. */
    public static final int MAX_LENGTH = 256;

    private static final ObjectMapper JSON = ObjectMapper.getDefault();
    private static final Pattern MESSAGE = Pattern.compile("\\s*\\{\\s*\"action\"\\s*:\\s*\"([^\"\\\\]{0,32})\"\\s*}\\s*");
    private static final String ID = "\\s*\"id\"\\s*:\\s*\"(" + Ids.RULE + ")\"\\s*";
    private static final String ACTION = "\\s*\"action\"\\s*:\\s*\"([^\"\\\\]{0,32})\"\\s*";
    private static final Pattern ACTION_THEN_ID = Pattern.compile("\\s*\\{" + ACTION + "," + ID + "}\\s*");
    private static final Pattern ID_THEN_ACTION = Pattern.compile("\\s*\\{" + ID + "," + ACTION + "}\\s*");
    private static final String EXPECTED = "send {\"action\":\"plus\"} or {\"action\":\"minus\"}";

    private ClientMessages() {}

    /** What a page may ask for. */
    public enum Action {
        PLUS,
        MINUS
    }

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

    /** A press: what to do and the page's id for it (null from a page that sends none). */
    public record Press(Action action, String id) {}

    public static Action parse(String text) throws Rejected {
        return parsePress(text).action();
    }

    public static Press parsePress(String text) throws Rejected {
        if (text == null || text.isBlank()) {
            throw new Rejected(ErrorCode.BAD_REQUEST, "empty message; " + EXPECTED);
        }
        if (text.length() > MAX_LENGTH) {
            throw new Rejected(ErrorCode.BAD_REQUEST, "message longer than " + MAX_LENGTH + " characters");
        }
        // the whole grammar, strictly: no second object after the first, no duplicate or extra keys, so no
        // lenient reading can turn garbage into a press
        Matcher message = MESSAGE.matcher(text);
        Matcher actionThenId = ACTION_THEN_ID.matcher(text);
        Matcher idThenAction = ID_THEN_ACTION.matcher(text);
        String action;
        String id = null;
        if (message.matches()) {
            action = message.group(1);
        } else if (actionThenId.matches()) {
            action = actionThenId.group(1);
            id = actionThenId.group(2);
        } else if (idThenAction.matches()) {
            id = idThenAction.group(1);
            action = idThenAction.group(2);
        } else {
            throw new Rejected(ErrorCode.BAD_REQUEST, (isJson(text) ? "unexpected message; " : "malformed JSON; ") + EXPECTED);
        }
        return new Press(action(action), id);
    }

    private static Action action(String action) throws Rejected {
        return switch (action) {
            case "plus" -> Action.PLUS;
            case "minus" -> Action.MINUS;
            default -> throw new Rejected(ErrorCode.UNKNOWN_ACTION, "unknown action; use \"plus\" or \"minus\"");
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

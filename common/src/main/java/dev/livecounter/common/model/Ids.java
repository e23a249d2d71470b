package dev.livecounter.common.model;

import java.util.regex.Pattern;

/**
 * The one rule for the ids clients and services make (connection, visit, visitor and press ids, address keys):
 * 1-64 letters, digits, '_' or '-'. Every check on the server side uses it; the page's copy in {@code client.js}
 * is held to it by a test.
 */
public final class Ids {

    /** The rule as a regular expression (for {@code @Pattern} and composed expressions). */
    public static final String RULE = "[A-Za-z0-9_-]{1,64}";

    /** Human-readable form of the rule, for error messages. */
    public static final String DESCRIBED = "1-64 characters: letters, digits, '_' or '-'";

    private static final Pattern VALID = Pattern.compile(RULE);

    private Ids() {}

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}

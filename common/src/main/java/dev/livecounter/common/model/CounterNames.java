package dev.livecounter.common.model;

import java.util.regex.Pattern;

/** The one rule for counter names, shared by every service so that none accepts what another refuses. */
public final class CounterNames {

    /** Letters, digits, '-', '_' and '.', starting with a letter or digit, 1 to 64 characters. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Human-readable form of the rule, used in error messages. */
    public static final String RULE =
            "1-64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit";

    /** The counter a page gets when it names none. */
    public static final String DEFAULT = "home";

    private CounterNames() {}

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }
}

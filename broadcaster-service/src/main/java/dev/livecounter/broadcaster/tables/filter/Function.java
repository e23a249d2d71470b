package dev.livecounter.broadcaster.tables.filter;

import java.util.Arrays;

/** The functions a condition may call (not {@code size}, which is an operand). Names are case-sensitive. */
enum Function {
    ATTRIBUTE_EXISTS("attribute_exists", 1),
    ATTRIBUTE_NOT_EXISTS("attribute_not_exists", 1),
    ATTRIBUTE_TYPE("attribute_type", 2),
    BEGINS_WITH("begins_with", 2),
    CONTAINS("contains", 2);

    private final String text;
    private final int arguments;

    Function(String text, int arguments) {
        this.text = text;
        this.arguments = arguments;
    }

    String text() {
        return text;
    }

    /** How many arguments it takes, the path included. */
    int arguments() {
        return arguments;
    }

    static Function named(String name) {
        return Arrays.stream(values()).filter(f -> f.text.equals(name)).findFirst().orElse(null);
    }
}

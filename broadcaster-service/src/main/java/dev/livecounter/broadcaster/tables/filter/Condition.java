package dev.livecounter.broadcaster.tables.filter;

import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A client's filter: a DynamoDB condition expression, parsed once and then tested against every change of the table.
 *
 * <p>The grammar and the meaning are DynamoDB's (comparators, {@code BETWEEN}, {@code IN}, {@code AND}/{@code OR}/
 * {@code NOT}, the condition functions and {@code size}), so a filter that works in a Query works here and gives the
 * same answer. The limits are ours and tighter than DynamoDB's, because one filter runs on every change for as long
 * as its subscription lives: at most {@value #MAX_LENGTH} characters, parentheses nested at most {@value
 * Parser#MAX_DEPTH} deep, at most {@value Parser#MAX_OPERATORS} operators and functions, at most {@value
 * Parser#MAX_IN_VALUES} values in one {@code IN}, document paths at most {@value Parser#MAX_PATH_DEPTH} levels.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class Condition {

    /** Longest expression accepted, in characters. */
    public static final int MAX_LENGTH = 1024;

    private final Node root;
    private final Set<String> attributes;
    private final String canonical;

    private Condition(Node root, Set<String> attributes) {
        this.root = root;
        this.attributes = Set.copyOf(attributes);
        StringBuilder text = new StringBuilder();
        root.render(text);
        this.canonical = text.toString();
    }

    /**
     * Parses {@code expression} with its placeholders. As in DynamoDB, every {@code #name} and {@code :value} the
     * expression uses must be defined, and every one defined must be used.
     *
     * @param names {@code #name} to attribute name; null for none
     * @param values {@code :value} to value; null for none
     * @throws FilterException on any bad input, with a message fit for the client
     */
    public static Condition parse(String expression, Map<String, String> names, Map<String, AttributeValue> values)
            throws FilterException {
        if (expression == null || expression.isBlank()) {
            throw new FilterException("empty expression");
        }
        if (expression.length() > MAX_LENGTH) {
            throw new FilterException(
                    "expression is " + expression.length() + " characters long, more than " + MAX_LENGTH);
        }
        Parser parser = new Parser(
                Lexer.tokens(expression), names == null ? Map.of() : names, values == null ? Map.of() : values);
        Node root = parser.parse();
        return new Condition(root, parser.attributes());
    }

    /** Whether {@code item} matches; false for a null item (a remove's missing new image). Never throws. */
    public boolean test(Map<String, AttributeValue> item) {
        return item != null && root.test(item);
    }

    /** The top-level attribute names the expression reads, after {@code #name} substitution. */
    public Set<String> attributes() {
        return attributes;
    }

    /**
     * The condition as normalized text: placeholders replaced by what they stand for (names as JSON strings, values
     * as DynamoDB typed JSON), keywords upper-case, single spaces, explicit parentheses around every {@code AND} and
     * {@code OR}. Two filters that differ only in placeholder names, spacing, keyword case or redundant parentheses
     * have the same canonical text, so subscribers can share one evaluation.
     */
    public String canonical() {
        return canonical;
    }

    @Override
    public String toString() {
        return canonical;
    }
}

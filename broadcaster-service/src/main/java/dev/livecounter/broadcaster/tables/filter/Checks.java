package dev.livecounter.broadcaster.tables.filter;

import java.util.Set;

/** Checks DynamoDB makes on a condition's arguments before it evaluates anything, made here at parse time too. */
final class Checks {

    private static final Set<String> TYPE_NAMES = Set.of("S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M");

    private Checks() {}

    /** A list index: digits only, small enough for an int. */
    static int index(Token token) throws FilterException {
        if (token.kind() != Token.Kind.INDEX || !token.text().chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new FilterException("expected a list index, found " + token.describe(), token.offset());
        }
        if (token.text().length() > 9) {
            throw new FilterException("list index " + token.text() + " is too large", token.offset());
        }
        return Integer.parseInt(token.text());
    }

    /** attribute_type names a real type; begins_with is given a string or binary when given a constant. */
    static void argument(Function function, Operand argument, Token at) throws FilterException {
        if (function == Function.ATTRIBUTE_TYPE) {
            if (!(argument instanceof Operand.Value v)
                    || v.value().s() == null
                    || !TYPE_NAMES.contains(v.value().s())) {
                throw new FilterException(
                        "attribute_type takes a :value naming a type (S, SS, N, NS, B, BS, BOOL, NULL, L or M)",
                        at.offset());
            }
        } else if (function == Function.BEGINS_WITH
                && argument instanceof Operand.Value v
                && v.value().s() == null
                && v.value().b() == null) {
            throw new FilterException("begins_with takes a string or binary prefix", at.offset());
        }
    }

    /** DynamoDB refuses a BETWEEN whose constant bounds are out of order; so do we, rather than match nothing. */
    static void bounds(Operand low, Operand high, Token between) throws FilterException {
        if (low instanceof Operand.Value l && high instanceof Operand.Value h) {
            int order = Values.compare(l.value(), h.value());
            if (order != Values.UNORDERED && order > 0) {
                throw new FilterException(
                        "BETWEEN lower bound " + l.placeholder() + " is greater than upper bound " + h.placeholder(),
                        between.offset());
            }
        }
    }
}

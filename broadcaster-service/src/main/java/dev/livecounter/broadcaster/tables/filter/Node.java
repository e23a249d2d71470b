package dev.livecounter.broadcaster.tables.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A parsed condition: logic over comparisons and functions, evaluated on one item and rendered canonically. */
sealed interface Node {

    boolean test(Map<String, AttributeValue> item);

    void render(StringBuilder out);

    /** Chains of one operator are kept flat, so {@code a AND (b AND c)} and {@code (a AND b) AND c} are one node. */
    record Logic(boolean and, List<Node> parts) implements Node {

        static Node of(boolean and, List<Node> parts) {
            if (parts.size() == 1) {
                return parts.get(0);
            }
            List<Node> flat = new ArrayList<>();
            for (Node part : parts) {
                if (part instanceof Logic logic && logic.and == and) {
                    flat.addAll(logic.parts);
                } else {
                    flat.add(part);
                }
            }
            return new Logic(and, List.copyOf(flat));
        }

        @Override
        public boolean test(Map<String, AttributeValue> item) {
            for (Node part : parts) {
                if (part.test(item) != and) {
                    return !and;
                }
            }
            return and;
        }

        @Override
        public void render(StringBuilder out) {
            out.append('(');
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    out.append(and ? " AND " : " OR ");
                }
                parts.get(i).render(out);
            }
            out.append(')');
        }
    }

    record Not(Node inner) implements Node {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            return !inner.test(item);
        }

        @Override
        public void render(StringBuilder out) {
            inner.render(out.append("NOT "));
        }
    }

    /**
     * {@code a = b} ... {@code a >= b}. {@code <>} is the negation of {@code =}, as in DynamoDB: true when the types
     * differ or an operand is missing; the order comparisons are false then.
     */
    record Compare(Operand left, String op, Operand right) implements Node {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue a = left.resolve(item);
            AttributeValue b = right.resolve(item);
            if (op.equals("=")) {
                return Values.equal(a, b);
            }
            if (op.equals("<>")) {
                return !Values.equal(a, b);
            }
            int order = Values.compare(a, b);
            if (order == Values.UNORDERED) {
                return false;
            }
            return switch (op) {
                case "<" -> order < 0;
                case "<=" -> order <= 0;
                case ">" -> order > 0;
                default -> order >= 0;
            };
        }

        @Override
        public void render(StringBuilder out) {
            left.render(out);
            out.append(' ').append(op).append(' ');
            right.render(out);
        }
    }

    record Between(Operand value, Operand low, Operand high) implements Node {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = value.resolve(item);
            int fromLow = Values.compare(v, low.resolve(item));
            int toHigh = Values.compare(v, high.resolve(item));
            return fromLow != Values.UNORDERED && toHigh != Values.UNORDERED && fromLow >= 0 && toHigh <= 0;
        }

        @Override
        public void render(StringBuilder out) {
            value.render(out);
            low.render(out.append(" BETWEEN "));
            high.render(out.append(" AND "));
        }
    }

    record In(Operand value, List<Operand> candidates) implements Node {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = value.resolve(item);
            for (Operand candidate : candidates) {
                if (Values.equal(v, candidate.resolve(item))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void render(StringBuilder out) {
            value.render(out);
            out.append(" IN (");
            for (int i = 0; i < candidates.size(); i++) {
                candidates.get(i).render(i > 0 ? out.append(", ") : out);
            }
            out.append(')');
        }
    }

    /** One of the condition functions; {@code argument} is null for the one-argument ones. */
    record Call(Function function, Operand.Path path, Operand argument) implements Node {
        @Override
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = path.resolve(item);
            return switch (function) {
                case ATTRIBUTE_EXISTS -> v != null;
                case ATTRIBUTE_NOT_EXISTS -> v == null;
                case ATTRIBUTE_TYPE -> argument.resolve(item).s().equals(Values.typeName(v));
                case BEGINS_WITH -> Values.beginsWith(v, argument.resolve(item));
                case CONTAINS -> Values.contains(v, argument.resolve(item));
            };
        }

        @Override
        public void render(StringBuilder out) {
            out.append(function.text()).append('(');
            path.render(out);
            if (argument != null) {
                argument.render(out.append(", "));
            }
            out.append(')');
        }
    }
}

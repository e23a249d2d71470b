package dev.livecounter.broadcaster.tables.filter;

import dev.livecounter.broadcaster.tables.filter.Token.Kind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Recursive descent over DynamoDB's condition grammar, precedence from loosest: OR, AND, NOT, then comparisons,
 * BETWEEN, IN and functions. Recursion happens only at NOT and '(' and both are bounded (operator count, nesting
 * depth), so no input can exhaust the stack.
 */
final class Parser {

    static final int MAX_DEPTH = 8;
    static final int MAX_OPERATORS = 64;
    static final int MAX_IN_VALUES = 100;
    static final int MAX_PATH_DEPTH = 32;

    private final List<Token> tokens;
    private final Map<String, String> names;
    private final Map<String, AttributeValue> values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();
    private final Set<String> attributes = new HashSet<>();
    private int pos;
    private int depth;
    private int operators;

    Parser(List<Token> tokens, Map<String, String> names, Map<String, AttributeValue> values) {
        this.tokens = tokens;
        this.names = names;
        this.values = values;
    }

    /** The whole expression as one condition; every placeholder defined must have been used. */
    Node parse() throws FilterException {
        Node node = or();
        Token rest = peek();
        if (rest.kind() == Kind.RPAREN) {
            throw new FilterException("unmatched ')'", rest.offset());
        }
        if (rest.kind() != Kind.END) {
            throw new FilterException("unexpected " + rest.describe() + " after a complete condition", rest.offset());
        }
        for (String name : names.keySet()) {
            if (!usedNames.contains(name)) {
                throw new FilterException("unused placeholder " + name);
            }
        }
        for (String value : values.keySet()) {
            if (!usedValues.contains(value)) {
                throw new FilterException("unused placeholder " + value);
            }
        }
        return node;
    }

    /** The top-level attribute names the expression reads, after {@code #name} substitution. */
    Set<String> attributes() {
        return attributes;
    }

    private Node or() throws FilterException {
        return chain(Kind.OR, this::and);
    }

    private Node and() throws FilterException {
        return chain(Kind.AND, this::not);
    }

    /** {@code operand (joiner operand)*}: the operands of one {@code AND} or {@code OR}, each of the tighter rule. */
    private Node chain(Kind joiner, Rule operand) throws FilterException {
        List<Node> parts = new ArrayList<>(List.of(operand.parse()));
        while (peek().kind() == joiner) {
            count(next());
            parts.add(operand.parse());
        }
        return Node.Logic.of(joiner == Kind.AND, parts);
    }

    /** A rule of the grammar, parsed from where the parser stands. */
    private interface Rule {
        Node parse() throws FilterException;
    }

    private Node not() throws FilterException {
        if (peek().kind() == Kind.NOT) {
            count(next());
            return new Node.Not(not());
        }
        return primary();
    }

    private Node primary() throws FilterException {
        Token first = peek();
        if (first.kind() == Kind.LPAREN) {
            return group(next());
        }
        if (first.kind() == Kind.NAME && peekAt(1).kind() == Kind.LPAREN && !first.text().equals("size")) {
            return call(next());
        }
        Operand left = operand();
        Token op = next();
        switch (op.kind()) {
            case COMPARATOR:
                count(op);
                return new Node.Compare(left, op.text(), operand());
            case BETWEEN:
                count(op);
                Operand low = operand();
                expect(Kind.AND, "AND of BETWEEN");
                Operand high = operand();
                Checks.bounds(low, high, op);
                return new Node.Between(left, low, high);
            case IN:
                count(op);
                return new Node.In(left, inList());
            default:
                throw new FilterException("expected a comparator, BETWEEN or IN, found " + op.describe(), op.offset());
        }
    }

    private Node group(Token open) throws FilterException {
        if (++depth > MAX_DEPTH) {
            throw new FilterException("parentheses nested deeper than " + MAX_DEPTH, open.offset());
        }
        Node inner = or();
        Token close = next();
        if (close.kind() != Kind.RPAREN) {
            throw new FilterException(
                    "'(' at " + open.offset() + " is not closed: found " + close.describe(), close.offset());
        }
        depth--;
        return inner;
    }

    private Node call(Token name) throws FilterException {
        Function function = Function.named(name.text());
        if (function == null) {
            throw new FilterException("unknown function " + name.text(), name.offset());
        }
        count(name);
        expect(Kind.LPAREN, "'(' after " + name.text());
        Operand.Path path = path("the first argument of " + name.text());
        Operand argument = null;
        if (function.arguments() == 2) {
            expect(Kind.COMMA, "',' and a second argument of " + name.text());
            Token at = peek();
            argument = operand();
            Checks.argument(function, argument, at);
        }
        expect(Kind.RPAREN, "')' closing " + name.text());
        return new Node.Call(function, path, argument);
    }

    private List<Operand> inList() throws FilterException {
        expect(Kind.LPAREN, "'(' of IN");
        List<Operand> list = new ArrayList<>();
        do {
            Token at = peek();
            if (list.size() == MAX_IN_VALUES) {
                throw new FilterException("IN takes at most " + MAX_IN_VALUES + " values", at.offset());
            }
            list.add(operand());
        } while (accept(Kind.COMMA));
        expect(Kind.RPAREN, "',' or ')' of IN");
        return List.copyOf(list);
    }

    private Operand operand() throws FilterException {
        Token token = peek();
        if (token.kind() == Kind.VALUE_PLACEHOLDER) {
            next();
            AttributeValue value = values.get(token.text());
            if (value == null) {
                throw new FilterException("unknown placeholder " + token.text(), token.offset());
            }
            if (Values.typeName(value) == null) {
                throw new FilterException("placeholder " + token.text() + " has no value", token.offset());
            }
            usedValues.add(token.text());
            return new Operand.Value(token.text(), value);
        }
        if (token.kind() == Kind.NAME && peekAt(1).kind() == Kind.LPAREN) {
            if (!token.text().equals("size")) {
                throw new FilterException(
                        Function.named(token.text()) == null
                                ? "unknown function " + token.text()
                                : token.text() + " is a condition, not an operand",
                        token.offset());
            }
            count(next());
            next();
            Operand.Path path = path("the argument of size");
            expect(Kind.RPAREN, "')' closing size");
            return new Operand.Size(path);
        }
        return path("an attribute, #name, :value or size(path)");
    }

    private Operand.Path path(String wanted) throws FilterException {
        String top = segment(next(), wanted);
        attributes.add(top);
        List<Operand.Path.Step> steps = new ArrayList<>();
        while (peek().kind() == Kind.DOT || peek().kind() == Kind.LBRACKET) {
            Token step = next();
            if (steps.size() + 1 == MAX_PATH_DEPTH) {
                throw new FilterException("document path deeper than " + MAX_PATH_DEPTH, step.offset());
            }
            if (step.kind() == Kind.DOT) {
                steps.add(new Operand.Path.Key(segment(next(), "a name after '.'")));
            } else {
                steps.add(new Operand.Path.Index(Checks.index(next())));
                expect(Kind.RBRACKET, "']'");
            }
        }
        return new Operand.Path(top, List.copyOf(steps));
    }

    private String segment(Token token, String wanted) throws FilterException {
        if (token.kind() == Kind.NAME) {
            return token.text();
        }
        if (token.kind() == Kind.NAME_PLACEHOLDER) {
            String name = names.get(token.text());
            if (name == null) {
                throw new FilterException("unknown placeholder " + token.text(), token.offset());
            }
            if (name.isEmpty()) {
                throw new FilterException("placeholder " + token.text() + " names an empty attribute", token.offset());
            }
            usedNames.add(token.text());
            return name;
        }
        throw new FilterException("expected " + wanted + ", found " + token.describe(), token.offset());
    }

    private void count(Token token) throws FilterException {
        if (++operators > MAX_OPERATORS) {
            throw new FilterException("more than " + MAX_OPERATORS + " operators and functions", token.offset());
        }
    }

    private void expect(Kind kind, String wanted) throws FilterException {
        Token token = next();
        if (token.kind() != kind) {
            throw new FilterException("expected " + wanted + ", found " + token.describe(), token.offset());
        }
    }

    private boolean accept(Kind kind) {
        if (peek().kind() == kind) {
            pos++;
            return true;
        }
        return false;
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peekAt(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    /** The current token; END is never passed, so reading past the end keeps answering END. */
    private Token next() {
        Token token = tokens.get(pos);
        if (token.kind() != Kind.END) {
            pos++;
        }
        return token;
    }
}

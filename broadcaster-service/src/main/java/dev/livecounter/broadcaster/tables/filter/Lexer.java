package dev.livecounter.broadcaster.tables.filter;

import dev.livecounter.broadcaster.tables.filter.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits an expression into tokens. Keywords are case-insensitive, as in DynamoDB; function names stay {@link
 * Kind#NAME}s (DynamoDB's are case-sensitive). Bare attribute names are what DynamoDB allows without a placeholder:
 * a letter or underscore, then letters, digits and underscores.
 */
final class Lexer {

    private final String text;
    private int pos;

    private Lexer(String text) {
        this.text = text;
    }

    /** The tokens of {@code text}, ending with one {@link Kind#END}. */
    static List<Token> tokens(String text) throws FilterException {
        Lexer lexer = new Lexer(text);
        List<Token> tokens = new ArrayList<>();
        Token token;
        do {
            token = lexer.next();
            tokens.add(token);
        } while (token.kind() != Kind.END);
        return tokens;
    }

    private Token next() throws FilterException {
        while (pos < text.length() && isSpace(text.charAt(pos))) {
            pos++;
        }
        int start = pos;
        if (pos == text.length()) {
            return new Token(Kind.END, "", start);
        }
        char c = text.charAt(pos);
        if (isNameStart(c)) {
            String word = word(start);
            return new Token(keyword(word), word, start);
        }
        if (c == '#' || c == ':') {
            pos++;
            String word = word(pos);
            if (word.isEmpty()) {
                throw new FilterException("'" + c + "' must be followed by a placeholder name", start);
            }
            return new Token(c == '#' ? Kind.NAME_PLACEHOLDER : Kind.VALUE_PLACEHOLDER, c + word, start);
        }
        if (c >= '0' && c <= '9') {
            return new Token(Kind.INDEX, word(start), start);
        }
        pos++;
        return switch (c) {
            case '(' -> new Token(Kind.LPAREN, "(", start);
            case ')' -> new Token(Kind.RPAREN, ")", start);
            case '[' -> new Token(Kind.LBRACKET, "[", start);
            case ']' -> new Token(Kind.RBRACKET, "]", start);
            case '.' -> new Token(Kind.DOT, ".", start);
            case ',' -> new Token(Kind.COMMA, ",", start);
            case '=' -> new Token(Kind.COMPARATOR, "=", start);
            case '<' -> comparator(start, accept('>') ? "<>" : accept('=') ? "<=" : "<");
            case '>' -> comparator(start, accept('=') ? ">=" : ">");
            default -> throw new FilterException("unexpected character " + show(c), start);
        };
    }

    private String word(int start) {
        while (pos < text.length() && isNamePart(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private boolean accept(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private static Token comparator(int start, String op) {
        return new Token(Kind.COMPARATOR, op, start);
    }

    private static Kind keyword(String word) {
        return switch (word.toUpperCase(Locale.ROOT)) {
            case "AND" -> Kind.AND;
            case "OR" -> Kind.OR;
            case "NOT" -> Kind.NOT;
            case "BETWEEN" -> Kind.BETWEEN;
            case "IN" -> Kind.IN;
            default -> Kind.NAME;
        };
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }

    /** Printable ASCII as itself, anything else as its code so a message never carries control characters. */
    private static String show(char c) {
        return c > ' ' && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}

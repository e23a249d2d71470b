package dev.livecounter.broadcaster.tables.filter;

/** One lexical unit of a condition expression, with the offset of its first character for error messages. */
record Token(Kind kind, String text, int offset) {

    enum Kind {
        NAME,
        NAME_PLACEHOLDER,
        VALUE_PLACEHOLDER,
        INDEX,
        COMPARATOR,
        AND,
        OR,
        NOT,
        BETWEEN,
        IN,
        LPAREN,
        RPAREN,
        LBRACKET,
        RBRACKET,
        DOT,
        COMMA,
        END
    }

    /** How the token reads in an error message. */
    String describe() {
        return kind == Kind.END ? "the end of the expression" : "'" + text + "'";
    }
}

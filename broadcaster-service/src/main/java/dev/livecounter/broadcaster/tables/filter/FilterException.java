package dev.livecounter.broadcaster.tables.filter;

/**
 * A filter that cannot be accepted: bad syntax, an unknown or unused placeholder, or one of the limits that keep a
 * client's filter cheap to evaluate on every change. The message names what was wrong and, when it is a place in the
 * expression, the character offset ({@code unknown placeholder :min at 12}), so it can go back to the client as is.
 */
public final class FilterException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int offset;

    FilterException(String message, int offset) {
        super(offset < 0 ? message : message + " at " + offset);
        this.offset = offset;
    }

    FilterException(String message) {
        this(message, -1);
    }

    /** The character offset in the expression the message is about, or -1 when it is about no one place. */
    public int offset() {
        return offset;
    }
}

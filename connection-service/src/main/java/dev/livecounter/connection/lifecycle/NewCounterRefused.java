package dev.livecounter.connection.lifecycle;

/** A connect would have created a counter past the budget of new ones: refused, nothing written. */
public class NewCounterRefused extends RuntimeException {

    public NewCounterRefused(String message) {
        super(message, null, false, false);
    }
}

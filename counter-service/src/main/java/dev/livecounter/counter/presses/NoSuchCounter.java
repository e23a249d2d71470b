package dev.livecounter.counter.presses;

/** A press on a name that is not a counter: refused, nothing written (counters are made by pages' connects). */
public class NoSuchCounter extends RuntimeException {

    public NoSuchCounter(String counter) {
        super("no counter " + counter + ": a counter is made by the first page that opens it", null, false, false);
    }
}

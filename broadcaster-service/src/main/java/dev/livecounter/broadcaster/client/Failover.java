package dev.livecounter.broadcaster.client;

import java.net.ConnectException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A call refused before anything was sent (connection refused: the instance is down or gone) is made again, and
 * the client's round robin takes it to the next instance of the service: with two connection-services (or two
 * counter-services) a killed one costs a page nothing. Only refusals are retried here: a call that was sent may
 * have been written, and what to do then is its caller's to say.
 */
public final class Failover {

    /** Tries per call: each instance of a two-replica service once, and one more for a pod being replaced. */
    static final int ATTEMPTS = 3;

    private Failover() {}

    public static <T> CompletableFuture<T> onRefused(Supplier<CompletableFuture<T>> call) {
        return attempt(call, 1);
    }

    private static <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<T>> call, int attempt) {
        return call.get().exceptionallyCompose(error -> attempt < ATTEMPTS && causedBy(error, ConnectException.class)
                ? attempt(call, attempt + 1)
                : CompletableFuture.failedFuture(error));
    }

    /** Whether {@code error} or one of its causes is a {@code type}: how a failed call says what happened to it. */
    public static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}

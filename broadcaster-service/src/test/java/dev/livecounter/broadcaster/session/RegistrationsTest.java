package dev.livecounter.broadcaster.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.common.contract.ErrorCode;
import dev.livecounter.common.contract.ConnectAnswer;
import dev.livecounter.common.model.ConnectResult;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.ResponseClosedException;
import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What a failed connect says of the socket's registration, which decides whether the broadcaster deregisters the
 * socket when it closes. Getting it wrong either way shows on the count: NEVER for a call that was written leaves a
 * phantom online for good (the fault suite's "kill -9 of connection-service during the storm" showed 101 of 100).
 */
class RegistrationsTest {

    /** A new one each time: a failed second call is added to the first call's exception as suppressed. */
    private static RuntimeException closed() {
        return new ResponseClosedException("Connection closed before response was received");
    }

    private static RuntimeException refused() {
        return new HttpClientException("Connect Error: Connection refused", new ConnectException("Connection refused"));
    }

    /** Answers each call with the next of {@code outcomes}; counts the calls. */
    private static final class Calls implements Supplier<CompletableFuture<ConnectResult>> {
        private final Queue<Object> outcomes;
        int made;

        Calls(Object... outcomes) {
            this.outcomes = new ArrayDeque<>(List.of(outcomes));
        }

        @Override
        public CompletableFuture<ConnectResult> get() {
            made++;
            Object next = outcomes.remove();
            return next instanceof Throwable error
                    ? CompletableFuture.failedFuture(error)
                    : CompletableFuture.completedFuture((ConnectResult) next);
        }
    }

    private static Registration outcome(Calls calls) {
        try {
            ConnectionCalls.sendOnceMore(calls).join();
            return Registration.CONFIRMED;
        } catch (CompletionException e) {
            return Registrations.afterFailure(e);
        }
    }

    @Test
    void aCallWrittenBeforeTheServiceDiedIsDeregisteredEvenIfEveryInstanceRefusesTheSecond() {
        Calls calls = new Calls(closed(), refused(), refused(), refused());
        assertEquals(Registration.UNKNOWN, outcome(calls));
        assertEquals(4, calls.made);
    }

    @Test
    void aSecondCallThatIsAnsweredConfirmsTheSocket() {
        Calls calls = new Calls(closed(), new ConnectResult(true, true, null));
        assertEquals(Registration.CONFIRMED, outcome(calls));
        assertEquals(2, calls.made);
    }

    @Test
    void aCallRefusedByEveryInstanceWasNeverSent() {
        Calls calls = new Calls(refused(), refused(), refused());
        assertEquals(Registration.NEVER, outcome(calls));
        assertEquals(3, calls.made);
    }

    @Test
    void aCallRefusedByOneInstanceIsAnsweredByTheNext() {
        Calls calls = new Calls(refused(), new ConnectResult(true, true, null));
        assertEquals(Registration.CONFIRMED, outcome(calls));
        assertEquals(2, calls.made);
    }

    @Test
    void aConnectTheDatabaseFailedMayHaveBeenWrittenTheOthersWereNot() {
        assertEquals(Registration.UNKNOWN,
                Registrations.afterRefusal(ConnectAnswer.refused(ErrorCode.UNAVAILABLE, "the database did not answer")));
        assertEquals(Registration.NEVER,
                Registrations.afterRefusal(ConnectAnswer.refused(ErrorCode.COUNTER_LIMIT, "too many new counters")));
        assertEquals(Registration.NEVER,
                Registrations.afterRefusal(ConnectAnswer.refused(ErrorCode.BAD_REQUEST, "counter not served here: x")));
    }
}

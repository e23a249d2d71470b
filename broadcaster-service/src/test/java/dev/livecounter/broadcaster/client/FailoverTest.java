package dev.livecounter.broadcaster.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Which failed calls go to the next instance: only those refused before anything was sent. */
class FailoverTest {

    /** Calls that answer in turn, as the client's round robin over the instances would. */
    private static Supplier<CompletableFuture<String>> instances(AtomicInteger calls, List<Throwable> answers) {
        return () -> {
            Throwable answer = answers.get(Math.min(calls.getAndIncrement(), answers.size() - 1));
            return answer == null ? CompletableFuture.completedFuture("answered") : CompletableFuture.failedFuture(answer);
        };
    }

    @Test
    void aRefusedCallGoesToTheNextInstance() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String answer = Failover.onRefused(instances(calls, Arrays.asList(
                new RuntimeException("connect failed", new ConnectException("Connection refused")), null))).get();

        assertEquals("answered", answer);
        assertEquals(2, calls.get());
    }

    @Test
    void aCallThatWasSentIsNotMadeAgain() {
        AtomicInteger calls = new AtomicInteger();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> Failover.onRefused(
                instances(calls, Arrays.asList(new IOException("read timed out"), null))).get());

        assertInstanceOf(IOException.class, failed.getCause());
        assertEquals(1, calls.get(), "it may have been written: its caller decides");
    }

    @Test
    void everyInstanceRefusingEndsTheCallAfterAFewTries() {
        AtomicInteger calls = new AtomicInteger();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> Failover.onRefused(
                instances(calls, List.of(new ConnectException("Connection refused")))).get());

        assertInstanceOf(ConnectException.class, failed.getCause());
        assertEquals(Failover.ATTEMPTS, calls.get());
    }
}

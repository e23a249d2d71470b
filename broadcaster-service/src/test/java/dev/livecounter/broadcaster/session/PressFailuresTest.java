package dev.livecounter.broadcaster.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.broadcaster.limits.TestLimits;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.exceptions.ReadTimeoutException;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * What a page is told about a press counter-service did not confirm: "pending" when it may still be applied (a
 * timeout, a server error), so the page sends the same id again rather than a new press; "unavailable" only when it
 * surely was not (unreachable, refused). Telling "failed" for a press that lands makes the user press twice.
 */
class PressFailuresTest {

    private static String told(String pressId, Throwable failure) {
        RecordingSocket socket = new RecordingSocket();
        PageSession page = new PageSession(socket.session, new EmbeddedChannel(), null, "visit", "10.0.0.1",
                TestLimits.settings(null, 50, 5, 20, Duration.ofSeconds(70)));
        PressFailures.tell(page, pressId, failure);
        assertEquals(1, socket.sent.size(), "one frame about the press");
        assertEquals(null, socket.closed, "the socket stays open");
        return (String) socket.sent.get(0);
    }

    private static HttpClientResponseException answered(HttpStatus status) {
        return new HttpClientResponseException(status.getReason(), HttpResponse.status(status));
    }

    @Test
    void aPressThatMayStillLandIsPendingWithItsId() {
        for (Throwable maybe : new Throwable[] {
            ReadTimeoutException.TIMEOUT_EXCEPTION,
            new CompletionException(ReadTimeoutException.TIMEOUT_EXCEPTION),
            answered(HttpStatus.SERVICE_UNAVAILABLE),
            new CompletionException(answered(HttpStatus.INTERNAL_SERVER_ERROR))}) {
            String frame = told("p1", maybe);
            assertEquals(true, frame.startsWith("{\"type\":\"pending\",\"id\":\"p1\","), frame);
        }
    }

    @Test
    void aPressThatSurelyDidNotLandIsUnavailableWithItsId() {
        for (Throwable surely : new Throwable[] {
            new HttpClientException("Connect Error", new ConnectException("Connection refused")),
            new CompletionException(answered(HttpStatus.BAD_REQUEST)),
            answered(HttpStatus.NOT_FOUND),
            new IllegalStateException("no counter home")}) {
            String frame = told("p2", surely);
            assertEquals(true, frame.startsWith("{\"type\":\"error\",\"code\":\"unavailable\",\"id\":\"p2\","), frame);
        }
    }

    @Test
    void aPressWithoutAnIdIsToldTheSameWithoutOne() {
        assertEquals(true, told(null, ReadTimeoutException.TIMEOUT_EXCEPTION).startsWith("{\"type\":\"pending\""));
        String unavailable = told(null, new IllegalStateException("no counter"));
        assertEquals(true, unavailable.startsWith("{\"type\":\"error\",\"code\":\"unavailable\",\"message\":"), unavailable);
    }
}

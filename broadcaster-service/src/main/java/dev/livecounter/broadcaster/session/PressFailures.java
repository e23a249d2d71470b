package dev.livecounter.broadcaster.session;

import dev.livecounter.broadcaster.protocol.Frames;

import dev.livecounter.common.contract.ErrorCode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.http.client.exceptions.ReadTimeoutException;
import java.util.concurrent.CompletionException;

/**
 * What a page is told when counter-service did not confirm a press. A call that timed out, or that counter-service
 * answered with a server error (its own database call timed out), may still have been applied: queued behind a busy
 * counter, up to eight conflict retries, a slow database. Saying "failed" then is a lie the user corrects by pressing
 * again, which counts twice. Such a press is "pending"; only a press that surely was not applied (counter-service
 * unreachable, or refusing the request) is "unavailable".
 */
final class PressFailures {

    private PressFailures() {}

    /** Sends the page the frame for a press that was not confirmed. */
    static void tell(PageSession page, @Nullable String pressId, Throwable failure) {
                boolean unknown = outcomeUnknown(failure);
        String frame;
        if (unknown) {
            frame = Frames.pending(pressId, pressId == null
                    ? "that press is taking a while; it may still count, so there is no need to press again"
                    : "that press is taking a while; send it again with the same id and it counts once");
        } else if (pressId == null) {
            frame = Frames.error(ErrorCode.UNAVAILABLE, "the counter could not be changed; try again");
        } else {
            frame = Frames.error(ErrorCode.UNAVAILABLE, pressId, "the counter could not be changed; try again");
        }
        page.sendText(frame);
    }

    static boolean outcomeUnknown(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        if (cause instanceof ReadTimeoutException) {
            return true;
        }
        return cause instanceof HttpClientResponseException response && response.getStatus().getCode() >= 500;
    }
}

package dev.livecounter.connection.api;

import dev.livecounter.connection.lifecycle.NewCounterRefused;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * A connect that would create a counter past the budget: 429 {@code counter_limit}, which the broadcaster shows the
 * page as an error frame and a close the page does not retry at once.
 */
@Produces
@Singleton
public class NewCounterRefusedHandler implements ExceptionHandler<NewCounterRefused, HttpResponse<?>> {

    /** The error code callers (the broadcaster, the page) recognise. */
    public static final String CODE = "counter_limit";

    @Override
    public HttpResponse<?> handle(HttpRequest request, NewCounterRefused exception) {
        return HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS)
                .body(Map.of("error", CODE, "message", exception.getMessage()));
    }
}

package dev.livecounter.connection.api;

import dev.livecounter.common.contract.ErrorCode;
import dev.livecounter.connection.lifecycle.NewCounterRefused;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * A connect that would create a counter past the budget: 429 {@link ErrorCode#COUNTER_LIMIT}, which the broadcaster
 * shows the page as an error frame and a close the page does not retry at once.
 */
@Produces
@Singleton
public class NewCounterRefusedHandler implements ExceptionHandler<NewCounterRefused, HttpResponse<?>> {

    @Override
    public HttpResponse<?> handle(HttpRequest request, NewCounterRefused exception) {
        return HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS)
                .body(ErrorCode.COUNTER_LIMIT.body(exception.getMessage()));
    }
}

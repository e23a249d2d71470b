package dev.livecounter.counter.api;

import dev.livecounter.common.contract.ErrorCode;
import dev.livecounter.counter.presses.NoSuchCounter;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** A press on a name that is not a counter: 404 {@link ErrorCode#NO_COUNTER}, which a caller knows was not applied. */
@Produces
@Singleton
public class NoSuchCounterHandler implements ExceptionHandler<NoSuchCounter, HttpResponse<?>> {

    @Override
    public HttpResponse<?> handle(HttpRequest request, NoSuchCounter exception) {
        return HttpResponse.status(HttpStatus.NOT_FOUND).body(ErrorCode.NO_COUNTER.body(exception.getMessage()));
    }
}

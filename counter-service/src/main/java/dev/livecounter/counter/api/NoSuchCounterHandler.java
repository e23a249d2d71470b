package dev.livecounter.counter.api;

import dev.livecounter.counter.dynamodb.NoSuchCounter;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.util.Map;

/** A press on a name that is not a counter: 404 {@code no_counter}, which a caller knows was not applied. */
@Produces
@Singleton
public class NoSuchCounterHandler implements ExceptionHandler<NoSuchCounter, HttpResponse<?>> {

    @Override
    public HttpResponse<?> handle(HttpRequest request, NoSuchCounter exception) {
        return HttpResponse.status(HttpStatus.NOT_FOUND)
                .body(Map.of("error", "no_counter", "message", exception.getMessage()));
    }
}

package dev.livecounter.common.api;

import dev.livecounter.common.contract.ErrorCode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * DynamoDB slow or away, after the client's bounded retries: 503 with a reason, which callers (the broadcaster)
 * turn into an error frame or a 1013 close. Not a 500: nothing is wrong with the request, try it again later.
 */
@Produces
@Singleton
@Requires(classes = {SdkException.class, ExceptionHandler.class})
public class DatabaseUnavailableHandler implements ExceptionHandler<SdkException, HttpResponse<?>> {

    /** What a caller is told when the database failed; also each failed connect of a batch. */
    public static final String MESSAGE = "the database is unavailable; try again shortly";

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseUnavailableHandler.class);

    @Override
    public HttpResponse<?> handle(HttpRequest request, SdkException exception) {
        LOG.warn("{} {}: database unavailable: {}", request.getMethod(), request.getPath(), exception.toString());
        return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "1")
                .body(ErrorCode.UNAVAILABLE.body(MESSAGE));
    }
}

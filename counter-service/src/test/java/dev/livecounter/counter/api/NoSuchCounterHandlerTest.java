package dev.livecounter.counter.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livecounter.common.contract.ErrorCode;
import dev.livecounter.counter.presses.NoSuchCounter;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A press on a name that is not a counter: an answer the broadcaster knows was not applied. */
class NoSuchCounterHandlerTest {

    @Test
    void itIs404WithTheNoCounterCode() {
        HttpResponse<?> answer = new NoSuchCounterHandler()
                .handle(HttpRequest.POST("/counters/x/increment", ""), new NoSuchCounter("x"));

        assertEquals(HttpStatus.NOT_FOUND, answer.getStatus());
        Map<?, ?> body = (Map<?, ?>) answer.body();
        assertEquals(ErrorCode.NO_COUNTER.code(), body.get("error"));
        assertEquals("no counter x: a counter is made by the first page that opens it", body.get("message"));
    }
}

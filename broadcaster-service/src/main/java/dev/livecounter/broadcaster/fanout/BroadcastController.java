package dev.livecounter.broadcaster.fanout;

import dev.livecounter.common.contract.ReplicaOperations;
import dev.livecounter.common.model.CounterNames;
import dev.livecounter.common.model.CounterSnapshot;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.exceptions.HttpStatusException;

/**
 * Takes a change for this replica's pages, posted by the service that made it (connection-service for connects,
 * disconnects and the reaper's corrections; a peer replica for the presses it forwarded) or by the peer that read
 * it from the stream.
 */
@Controller
public final class BroadcastController implements ReplicaOperations.Broadcast {

    private final PageFanout pages;

    BroadcastController(PageFanout pages) {
        this.pages = pages;
    }

    @Override
    public HttpResponse<Void> broadcast(@Body CounterSnapshot snapshot) {
        if (!CounterNames.isValid(snapshot.counter())) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "counter: " + CounterNames.RULE);
        }
        pages.offer(snapshot);
        return HttpResponse.accepted();
    }
}

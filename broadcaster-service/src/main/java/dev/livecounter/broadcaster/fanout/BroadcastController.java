package dev.livecounter.broadcaster.fanout;

import dev.livecounter.common.model.CounterNames;
import dev.livecounter.common.model.CounterSnapshot;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;

/** Takes a change posted by the peer replica that read it from the stream, for this replica's pages. */
@Controller
public class BroadcastController {

    private final LocalFanout local;

    BroadcastController(LocalFanout local) {
        this.local = local;
    }

    @Post(ReplicaFanout.PATH)
    HttpResponse<Void> broadcast(@Body CounterSnapshot snapshot) {
        if (!CounterNames.isValid(snapshot.counter())) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "counter: " + CounterNames.RULE);
        }
        local.offer(snapshot);
        return HttpResponse.accepted();
    }
}

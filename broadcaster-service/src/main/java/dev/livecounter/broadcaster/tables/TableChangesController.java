package dev.livecounter.broadcaster.tables;

import dev.livecounter.common.contract.ReplicaOperations;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.json.tree.JsonNode;

/** Takes a batch of a streamed table's changes from the peer that read it (an internal, signed call). */
@Controller
class TableChangesController {

    private final TableFeed feed;

    TableChangesController(TableFeed feed) {
        this.feed = feed;
    }

    @Post(ReplicaOperations.TABLE_CHANGES)
    HttpResponse<Void> changes(@Body JsonNode batch) {
        try {
            feed.posted(batch);
        } catch (RuntimeException malformed) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "not a batch of table changes: " + malformed.getMessage());
        }
        return HttpResponse.accepted();
    }
}

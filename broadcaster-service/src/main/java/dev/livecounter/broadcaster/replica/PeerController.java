package dev.livecounter.broadcaster.replica;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;

/** Takes a peer's introduction ({@link PeerIntroductions}): this replica re-reads its peers at once. */
@Controller
public class PeerController {

    private final ReplicaRegistry registry;

    PeerController(ReplicaRegistry registry) {
        this.registry = registry;
    }

    @Post(PeerIntroductions.PATH)
    HttpResponse<Void> introduced() {
        registry.refreshPeersSoon();
        return HttpResponse.accepted();
    }
}

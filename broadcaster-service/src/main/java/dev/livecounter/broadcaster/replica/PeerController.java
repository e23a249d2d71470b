package dev.livecounter.broadcaster.replica;

import dev.livecounter.common.contract.ReplicaOperations;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;

/** Takes a peer's introduction ({@link PeerIntroductions}): this replica re-reads its peers at once. */
@Controller
public final class PeerController implements ReplicaOperations.Peers {

    private final ReplicaRegistry registry;

    PeerController(ReplicaRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HttpResponse<Void> introduced() {
        registry.refreshPeersSoon();
        return HttpResponse.accepted();
    }
}

package dev.livecounter.broadcaster.api;

import dev.livecounter.common.model.ConnectRequest;
import dev.livecounter.common.model.ConnectResult;
import dev.livecounter.common.model.DisconnectResult;
import dev.livecounter.common.model.LeaseRenewal;
import dev.livecounter.common.security.InternalSecretFilter;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.http.client.annotation.Client;
import java.util.concurrent.CompletableFuture;

/** The {@code $connect}/{@code $disconnect} route integrations, as API Gateway calls its Lambda. */
@Client("${livecounter.broadcaster.connection-service-url}")
@Header(name = InternalSecretFilter.HEADER, value = "${livecounter.internal.secret:}")
public interface ConnectionServiceClient {

    @Put("/connections/{connectionId}")
    CompletableFuture<ConnectResult> connect(String connectionId, @Body ConnectRequest request);

    @Delete("/connections/{connectionId}")
    CompletableFuture<DisconnectResult> disconnect(String connectionId);

    /** Keeps the items of this replica's open sockets from expiring under them. */
    @Post("/connections/leases/{replicaId}")
    CompletableFuture<LeaseRenewed> renew(String replicaId, @Body LeaseRenewal renewal);

    /** How many of the sockets sent were live and renewed. */
    @Serdeable
    record LeaseRenewed(int renewed) {}
}

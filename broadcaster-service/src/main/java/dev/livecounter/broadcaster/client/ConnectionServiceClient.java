package dev.livecounter.broadcaster.client;

import dev.livecounter.common.contract.ConnectionOperations;
import dev.livecounter.common.security.InternalCall;
import io.micronaut.http.client.annotation.Client;

/** connection-service's route integrations and lease renewals ({@link ConnectionOperations}), with the secret. */
@Client(id = "connection-service")
@InternalCall
public interface ConnectionServiceClient extends ConnectionOperations {}

package dev.livecounter.broadcaster.client;

import dev.livecounter.common.contract.CounterOperations;
import dev.livecounter.common.security.InternalCall;
import io.micronaut.http.client.annotation.Client;

/** counter-service ({@link CounterOperations}): the plus/minus route and the snapshots of the public read API. */
@Client(id = "counter-service")
@InternalCall
public interface CounterServiceClient extends CounterOperations {}

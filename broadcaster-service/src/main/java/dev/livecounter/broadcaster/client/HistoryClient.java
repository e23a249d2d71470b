package dev.livecounter.broadcaster.client;

import dev.livecounter.common.contract.HistoryOperations;
import dev.livecounter.common.security.InternalCall;
import io.micronaut.http.client.annotation.Client;

/** Reads of the history table, from connection-service, which writes it ({@link HistoryOperations}). */
@Client("#{ ctx[dev.livecounter.broadcaster.config.BroadcasterSettings].connectionServiceUrl }")
@InternalCall
public interface HistoryClient extends HistoryOperations {}

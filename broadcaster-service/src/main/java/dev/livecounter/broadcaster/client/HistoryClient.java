package dev.livecounter.broadcaster.client;

import dev.livecounter.common.contract.HistoryOperations;
import dev.livecounter.common.security.InternalCall;
import io.micronaut.http.client.annotation.Client;

/** Reads of the history table, from connection-service, which writes it ({@link HistoryOperations}). */
@Client(id = "connection-service")
@InternalCall
public interface HistoryClient extends HistoryOperations {}

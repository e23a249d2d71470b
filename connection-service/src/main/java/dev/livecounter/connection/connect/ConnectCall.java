package dev.livecounter.connection.connect;

import dev.livecounter.common.model.ConnectRequest;

/**
 * One socket's {@code $connect} call.
 *
 * @param connectionId the socket's id, unique per socket
 * @param request      what the broadcaster knows of it
 */
public record ConnectCall(String connectionId, ConnectRequest request) {

    /** The items the connect may add to a transaction: its connection and visit marker, and its visitor's marker. */
    public int items() {
        return request.visitorId() == null ? 2 : 3;
    }
}

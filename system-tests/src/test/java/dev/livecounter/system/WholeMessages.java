package dev.livecounter.system;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The JDK WebSocket listener of the system tests' clients: puts a message's text parts together, hands each whole
 * message on, and keeps the close code the server sent (-1 for a socket that failed or was cut).
 */
final class WholeMessages implements WebSocket.Listener {

    private final StringBuilder text = new StringBuilder();
    private final Consumer<String> messages;
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();

    WholeMessages(Consumer<String> messages) {
        this.messages = messages;
    }

    /** Completes with the close code once the socket closed. */
    CompletableFuture<Integer> closed() {
        return closed;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            messages.accept(text.toString());
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }
}

package dev.livecounter.broadcaster.session;

import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A socket as Micronaut's session shows it to the page's code, keeping what was sent to it and how it closed. */
final class RecordingSocket {

    final List<Object> sent = new CopyOnWriteArrayList<>();
    final List<byte[]> pings = new CopyOnWriteArrayList<>();
    volatile CloseReason closed;
    final WebSocketSession session;

    RecordingSocket() {
        Map<String, Object> attributes = new HashMap<>();
        session = (WebSocketSession) Proxy.newProxyInstance(WebSocketSession.class.getClassLoader(),
                new Class<?>[] {WebSocketSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isOpen" -> closed == null;
                    case "sendAsync" -> {
                        sent.add(args[0]);
                        yield CompletableFuture.completedFuture(args[0]);
                    }
                    case "sendPingAsync" -> {
                        pings.add((byte[]) args[0]);
                        yield CompletableFuture.completedFuture(null);
                    }
                    case "close" -> {
                        closed = args == null || args.length == 0 ? CloseReason.NORMAL : (CloseReason) args[0];
                        yield null;
                    }
                    case "put" -> {
                        attributes.put((String) args[0], args[1]);
                        yield proxy;
                    }
                    case "remove" -> {
                        attributes.remove((String) args[0]);
                        yield proxy;
                    }
                    case "get" -> Optional.ofNullable(attributes.get((String) args[0]));
                    case "getId" -> "socket";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "RecordingSocket";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}

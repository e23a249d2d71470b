package dev.livecounter.broadcaster.session;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.websocket.WebSocketSession;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The pages open on this replica, by connection id, and the page behind each socket. */
@Singleton
public class OpenPages {

    private static final String ATTRIBUTE = "page";

    private final Map<String, PageSession> open = new ConcurrentHashMap<>();

    OpenPages(MeterRegistry meters) {
        Gauge.builder("livecounter.sockets.open", open, Map::size)
                .description("WebSockets open on this replica")
                .register(meters);
    }

    void add(PageSession page) {
        page.socket().put(ATTRIBUTE, page);
        open.put(page.connectionId(), page);
    }

    /** Takes the page off; false if it was not open any more (closed already, or drained). */
    boolean remove(PageSession page) {
        page.socket().remove(ATTRIBUTE);
        return open.remove(page.connectionId()) != null;
    }

    /** The page behind a socket, or null once it is closed. */
    public PageSession of(WebSocketSession socket) {
        return socket.get(ATTRIBUTE, PageSession.class).orElse(null);
    }

    public int count() {
        return open.size();
    }

    List<PageSession> all() {
        return List.copyOf(open.values());
    }

    /** The open sockets whose connect connection-service confirmed: the ones whose items must not expire. */
    List<PageSession> registered() {
        return open.values().stream()
                .filter(page -> page.registration().getNow(Registration.UNKNOWN) == Registration.CONFIRMED)
                .toList();
    }
}

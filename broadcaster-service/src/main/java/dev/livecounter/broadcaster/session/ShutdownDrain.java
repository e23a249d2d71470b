package dev.livecounter.broadcaster.session;

import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM (a rolling update, a scale-down) and SIGINT: first close every page's socket with 1001 and wait,
 * bounded, until connection-service has taken them off the count; then exit through the normal shutdown,
 * which hands back the stream leases. Micronaut's own shutdown hook stops the server, cutting the sockets
 * (the pages would see 1006 and their connections would be left to the reaper), before any bean or
 * shutdown event could say goodbye, so the signal is taken here first.
 */
@Singleton
final class ShutdownDrain {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownDrain.class);
    /** Exit status of a process ended by SIGTERM, as if the JVM had handled it itself. */
    private static final int TERMINATED = 143;

    private final SocketDrain sockets;
    private final AtomicBoolean draining = new AtomicBoolean();

    ShutdownDrain(SocketDrain sockets) {
        this.sockets = sockets;
    }

    @EventListener
    void onServerStartup(ServerStartupEvent event) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), this::drainAndExit);
            } catch (IllegalArgumentException unavailable) {
                LOG.warn("Cannot handle SIG{}: sockets will not be drained on it", name);
            }
        }
    }

    private void drainAndExit(Signal signal) {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        LOG.info("SIG{}: draining sockets before shutdown", signal.getName());
        try {
            sockets.drain().get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Draining sockets did not finish: {}", e.toString());
        }
        // System.exit blocks until the shutdown hooks ran: never from the signal thread itself
        new Thread(() -> System.exit(TERMINATED), "shutdown-after-drain").start();
    }
}

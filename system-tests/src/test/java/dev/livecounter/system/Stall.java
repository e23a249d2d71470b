package dev.livecounter.system;

import dev.livecounter.local.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A service process frozen with SIGSTOP and thawed with SIGCONT: what a long GC pause, a CPU-starved pod or a
 * partition looks like from outside. Close it to thaw (try-with-resources), so no test leaves a process frozen.
 */
final class Stall implements AutoCloseable {

    private final List<ServiceProcess> services;
    private boolean thawed;

    private Stall(List<ServiceProcess> services) {
        this.services = services;
    }

    static Stall of(ServiceProcess service) {
        return of(List.of(service));
    }

    /** Every instance of a service at once (the stack runs two of connection-service and counter-service). */
    static Stall of(List<ServiceProcess> services) {
        services.forEach(service -> signal(service, "-STOP"));
        return new Stall(List.copyOf(services));
    }

    /** SIGCONT, once. */
    void thaw() {
        if (!thawed) {
            thawed = true;
            services.forEach(service -> signal(service, "-CONT"));
        }
    }

    @Override
    public void close() {
        thaw();
    }

    private static void signal(ServiceProcess service, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(service.process().pid()))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + signal + " " + service.name() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
